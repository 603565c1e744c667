#include "harness/request_plan.h"

#include "common/strings.h"
#include "common/sha256.h"

namespace reval::harness {
namespace {

// splitmix64 finalizer (Steele, Lea, Flood 2014): a bijective mix with good avalanche.
std::uint64_t mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

std::uint64_t sample_seed(std::uint64_t run_seed, std::string_view problem_id, int sample) {
  // FNV-1a over the id, then mixed with the run seed and the sample index.
  std::uint64_t id_hash = 0xcbf29ce484222325ULL;
  for (char ch : problem_id) {
    id_hash ^= static_cast<unsigned char>(ch);
    id_hash *= 0x100000001b3ULL;
  }
  const std::uint64_t mixed = mix64(mix64(run_seed ^ mix64(id_hash)) ^ static_cast<std::uint64_t>(sample));
  return mixed & 0x7fffffffULL;
}

std::vector<ChatMessage> build_messages(const SuiteSpec& suite, const datasets::Problem& problem) {
  std::vector<ChatMessage> messages;
  if (suite.system_prompt) messages.push_back({"system", *suite.system_prompt});
  messages.push_back({"user", replace_all(suite.user_template, "{problem}", problem.problem)});
  return messages;
}

std::string request_hash(const nlohmann::json& backend_identity, const Request& request) {
  nlohmann::json key;
  key["backend"] = backend_identity.value("backend", "");
  key["model"] = backend_identity.value("name", "");
  key["base_url"] = backend_identity.value("base_url", nlohmann::json(nullptr));
  key["file_sha256"] = backend_identity.value("file_sha256", nlohmann::json(nullptr));
  nlohmann::json messages = nlohmann::json::array();
  for (const ChatMessage& message : request.messages) messages.push_back({message.role, message.content});
  key["messages"] = std::move(messages);
  const SamplingParams& s = request.sampling;
  key["sampling"] = {{"temperature", s.temperature}, {"top_p", s.top_p}, {"top_k", s.top_k},
                     {"min_p", s.min_p}, {"max_tokens", s.max_tokens}, {"stop", s.stop}};
  key["seed"] = request.seed;
  return sha256_hex(key.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

std::vector<Request> expand_requests(const SuiteSpec& suite, const std::vector<datasets::Problem>& problems,
                                     const SamplingParams& sampling, int n_samples, std::uint64_t run_seed,
                                     const nlohmann::json& backend_identity) {
  std::vector<Request> requests;
  requests.reserve(problems.size() * static_cast<std::size_t>(n_samples));
  for (const datasets::Problem& problem : problems) {
    const std::vector<ChatMessage> messages = build_messages(suite, problem);
    for (int sample = 0; sample < n_samples; ++sample) {
      Request request;
      request.problem_id = problem.id;
      request.sample = sample;
      request.messages = messages;
      request.sampling = sampling;
      request.seed = sample_seed(run_seed, problem.id, sample);
      request.request_hash = request_hash(backend_identity, request);
      requests.push_back(std::move(request));
    }
  }
  return requests;
}

}  // namespace reval::harness
