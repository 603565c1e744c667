#include "harness/backends/builtin_backend.h"

#include <chrono>
#include <filesystem>
#include <map>
#include <string_view>
#include <utility>

#include "common/sha256.h"
#include "common/strings.h"

namespace reval::harness {
namespace {

constexpr std::string_view kThinkOpen = "<think>";
constexpr std::string_view kThinkClose = "</think>";

bool ends_with_open_think(const std::string& prompt) {
  const std::string_view trimmed = trim(prompt);
  return trimmed.size() >= kThinkOpen.size() && trimmed.substr(trimmed.size() - kThinkOpen.size()) == kThinkOpen;
}

class BuiltinBackend final : public Backend {
 public:
  BuiltinBackend(std::unique_ptr<engine::Session> session, BuiltinBackendOptions options)
      : session_(std::move(session)), options_(std::move(options)) {}

  Status run(const std::vector<Request>& requests, const std::function<void(Completion)>& on_complete,
             const std::atomic<bool>& stop) override;
  nlohmann::json identity() const override;
  nlohmann::json stats() const override;

 private:
  struct Pending {
    std::vector<const Request*> samples;  // requests sharing one prompt and sampling
    std::vector<std::int32_t> prompt;
    bool thinking_open = false;
  };
  Result<std::vector<Pending>> group_requests(const std::vector<Request>& requests) const;

  std::unique_ptr<engine::Session> session_;
  BuiltinBackendOptions options_;
  // The model file's sha256, computed once on first use (hashing a multi-GB file takes seconds).
  mutable std::string file_sha256_;
};

Result<std::vector<BuiltinBackend::Pending>> BuiltinBackend::group_requests(const std::vector<Request>& requests) const {
  // Key: the rendered prompt and the sampling parameters; samples of one problem share both.
  std::map<std::string, std::size_t> index;
  std::vector<Pending> groups;
  for (const Request& r : requests) {
    REVAL_ASSIGN_OR_RETURN(std::string prompt, render_chat_prompt(*session_, r.messages, options_.chat_template));
    const SamplingParams& s = r.sampling;
    std::string key = prompt;
    key += '\0' + std::to_string(s.temperature) + ',' + std::to_string(s.top_p) + ',' + std::to_string(s.top_k) +
           ',' + std::to_string(s.min_p) + ',' + std::to_string(s.max_tokens) + ',' + join(s.stop, "\x1f");
    auto [it, inserted] = index.emplace(key, groups.size());
    if (inserted) {
      Pending p;
      p.prompt = session_->encode_prompt(prompt, /*parse_special=*/true);
      p.thinking_open = ends_with_open_think(prompt);
      groups.push_back(std::move(p));
    }
    groups[it->second].samples.push_back(&r);
  }
  return groups;
}

Status BuiltinBackend::run(const std::vector<Request>& requests, const std::function<void(Completion)>& on_complete,
                           const std::atomic<bool>& stop) {
  REVAL_ASSIGN_OR_RETURN(std::vector<Pending> groups, group_requests(requests));
  engine::Scheduler& scheduler = session_->scheduler();
  // Latency of a sample: from its prompt's submission to the scheduler to its last token.
  std::vector<std::chrono::steady_clock::time_point> submitted(groups.size());
  std::size_t next_group = 0;
  std::size_t in_flight = 0;
  // Groups are handed to the scheduler a few at a time so `stop` can take effect between them; the
  // scheduler itself admits samples as the KV budget allows.
  const auto submit_more = [&] {
    while (!stop.load() && next_group < groups.size() && in_flight < static_cast<std::size_t>(options_.max_sequences)) {
      const Pending& g = groups[next_group];
      engine::GenerationRequest request;
      request.id = next_group;
      request.prompt = g.prompt;
      const SamplingParams& s = g.samples.front()->sampling;
      request.sampling = {.temperature = static_cast<float>(s.temperature), .top_k = s.top_k,
                          .top_p = static_cast<float>(s.top_p), .min_p = static_cast<float>(s.min_p)};
      request.max_tokens = s.max_tokens;
      request.stop_strings = s.stop;
      for (const Request* r : g.samples) request.seeds.push_back(r->seed);
      in_flight += g.samples.size();
      submitted[next_group] = std::chrono::steady_clock::now();
      scheduler.submit(std::move(request));
      ++next_group;
    }
  };
  const auto on_done = [&](engine::SampleResult result) {
    const Pending& g = groups[result.id];
    const Request& r = *g.samples[static_cast<std::size_t>(result.sample)];
    --in_flight;
    Completion c;
    c.problem_id = r.problem_id;
    c.sample = r.sample;
    c.seed = r.seed;
    c.request_hash = r.request_hash;
    c.prompt_tokens = result.prompt_tokens;
    c.completion_tokens = static_cast<std::int64_t>(result.tokens.size());
    c.finish_reason = std::string(engine::finish_reason_name(result.finish));
    c.error = result.error;
    split_reasoning(result.text, g.thinking_open, c);
    if (c.reasoning_open || !c.reasoning.empty()) {
      // Tokens up to and including "</think>" (or all of them when thinking never closed).
      const std::size_t close = result.text.find(kThinkClose);
      c.reasoning_tokens = close == std::string::npos
                               ? c.completion_tokens
                               : static_cast<std::int64_t>(session_->encode_prompt(result.text.substr(0, close), false).size());
    }
    c.latency_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - submitted[result.id]).count();
    on_complete(std::move(c));
  };
  submit_more();
  while (!scheduler.idle()) {
    scheduler.step([](std::uint64_t, int, std::int32_t, std::string_view) {}, on_done);
    submit_more();
  }
  return Status::ok_status();
}

nlohmann::json BuiltinBackend::identity() const {
  const engine::Model& m = session_->model();
  std::map<std::string, std::int64_t> types;
  for (const auto& t : m.file.tensors()) types[std::string(gguf::tensor_type_name(t.type))] += 1;
  std::error_code ec;
  const auto size = std::filesystem::file_size(options_.model_path, ec);
  const gguf::GgufValue* name = m.file.find("general.name");
  if (file_sha256_.empty()) {
    // The file is already mapped and readable, so a failure here is unexpected; the run still goes on.
    auto digest = sha256_file_hex(options_.model_path);
    file_sha256_ = digest.ok() ? *digest : "unavailable: " + digest.status().message();
  }
  return {
      {"backend", "builtin"},
      {"file", std::filesystem::path(options_.model_path).filename().string()},
      {"path", options_.model_path},
      {"file_bytes", ec ? 0 : size},
      {"file_sha256", file_sha256_},
      {"quantization", types},
      {"name", name != nullptr && name->type() == gguf::ValueType::kString ? std::string(name->as_string()) : ""},
      {"architecture", std::string(m.hparams.arch->name)},
      {"tensor_types", types},
      {"threads", session_->n_threads()},
      {"n_ctx", session_->n_ctx()},
  };
}

nlohmann::json BuiltinBackend::stats() const {
  const engine::Scheduler::Stats& s = session_->scheduler().stats();
  const int cap = session_->scheduler().max_sequences();
  // Occupancy: decoding samples per forward pass that decodes, over the batch cap; a full batch
  // (every pass carrying max_sequences samples) is 1.
  const double mean_batch =
      s.decode_passes > 0 ? static_cast<double>(s.decode_tokens) / static_cast<double>(s.decode_passes) : 0.0;
  return {
      {"forward_passes", s.forward_passes},
      {"decode_passes", s.decode_passes},
      {"decode_tokens", s.decode_tokens},
      {"prefill_tokens", s.prefill_tokens},
      {"max_sequences", cap},
      {"mean_batch_sequences", mean_batch},
      {"batch_occupancy", cap > 0 ? mean_batch / cap : 0.0},
      {"forward_seconds", s.forward_seconds},
      {"sampling_seconds", s.sampling_seconds},
      {"decode_tok_s", s.forward_seconds > 0 ? static_cast<double>(s.decode_tokens) / s.forward_seconds : 0.0},
  };
}

}  // namespace

void split_reasoning(const std::string& generated, bool thinking_open, Completion& completion) {
  const std::size_t close = generated.find(kThinkClose);
  if (close != std::string::npos) {
    std::string before = generated.substr(0, close);
    const std::size_t open = before.find(kThinkOpen);
    if (open != std::string::npos) before.erase(0, open + kThinkOpen.size());
    completion.reasoning = std::string(trim(before));
    completion.text = std::string(trim(std::string_view(generated).substr(close + kThinkClose.size())));
    completion.reasoning_open = false;
    return;
  }
  const bool opened_here = generated.find(kThinkOpen) != std::string::npos;
  if (thinking_open || opened_here) {
    std::string reasoning = generated;
    if (opened_here) reasoning.erase(0, reasoning.find(kThinkOpen) + kThinkOpen.size());
    completion.reasoning = std::string(trim(reasoning));
    completion.text.clear();
    completion.reasoning_open = true;
    return;
  }
  completion.text = generated;
}

Result<std::unique_ptr<Backend>> make_builtin_backend(const BuiltinBackendOptions& options) {
  engine::SessionOptions session_options;
  session_options.n_threads = options.n_threads;
  session_options.kv_budget_bytes = options.kv_budget_bytes;
  session_options.n_ctx = options.n_ctx;
  session_options.max_sequences = options.max_sequences;
  REVAL_ASSIGN_OR_RETURN(auto session, engine::Session::open(options.model_path, session_options));
  // Fail at start, not on the first request, when the chat template is unknown.
  REVAL_RETURN_IF_ERROR(render_chat_prompt(*session, {{"user", "x"}}, options.chat_template).status());
  return std::unique_ptr<Backend>(new BuiltinBackend(std::move(session), options));
}

}  // namespace reval::harness
