#include "engine/session.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <thread>

namespace reval::engine {

std::int64_t available_memory_bytes() {
  std::ifstream meminfo("/proc/meminfo");
  std::string line;
  while (std::getline(meminfo, line)) {
    if (line.rfind("MemAvailable:", 0) == 0) {
      std::istringstream fields(line.substr(13));
      std::int64_t kib = 0;
      fields >> kib;
      return kib * 1024;
    }
  }
  return 0;
}

Result<std::unique_ptr<Session>> Session::open(const std::string& path, const SessionOptions& options) {
  REVAL_ASSIGN_OR_RETURN(std::unique_ptr<Model> model, load_model(path));
  auto tok = tokenizer::Tokenizer::from_gguf(model->file);
  if (!tok.ok()) return tok.status().with_context(path);
  if (tok.value().n_vocab() > model->hparams.n_vocab) {
    return invalid_input_error(path + ": the vocabulary has " + std::to_string(tok.value().n_vocab()) +
                               " tokens but token_embd.weight only " + std::to_string(model->hparams.n_vocab) +
                               " rows");
  }
  std::unique_ptr<Session> session(new Session(std::move(model), std::move(tok).value()));
  const ModelHparams& hp = session->model_->hparams;

  session->n_ctx_ = options.n_ctx > 0 ? options.n_ctx : std::min<std::int64_t>(hp.n_ctx_train, 32768 + 1024);
  std::int64_t budget = options.kv_budget_bytes;
  if (budget <= 0) {
    const std::int64_t available = available_memory_bytes();
    budget = std::min<std::int64_t>(available > 0 ? available / 2 : (std::int64_t{2} << 30), std::int64_t{16} << 30);
  }
  KvCacheConfig kv{.n_layers = hp.n_layer, .n_kv_heads = hp.n_head_kv, .head_dim = hp.head_dim,
                   .budget_bytes = budget, .block_tokens = 64};
  auto cache = KvCache::create(kv);
  if (!cache.ok()) return cache.status().with_context(path);
  session->cache_ = std::move(cache).value();

  int n_threads = options.n_threads;
  if (n_threads <= 0) n_threads = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  session->pool_ = std::make_unique<kernels::ThreadPool>(n_threads);

  SchedulerOptions sched;
  for (tokenizer::TokenId id : session->tokenizer_.end_of_generation_tokens()) sched.end_of_generation.push_back(id);
  const tokenizer::Tokenizer* tokenizer = &session->tokenizer_;
  sched.token_bytes = [tokenizer](std::int32_t id) {
    if (id < 0 || id >= tokenizer->n_vocab()) return std::string();
    return std::string(tokenizer->token_to_piece(id));
  };
  sched.n_ctx = session->n_ctx_;
  sched.max_sequences = std::max(1, options.max_sequences);
  sched.max_prefill_tokens = std::max(1, options.max_prefill_tokens);
  session->scheduler_ =
      std::make_unique<Scheduler>(*session->model_, *session->cache_, *session->pool_, std::move(sched));
  return session;
}

std::vector<std::int32_t> Session::encode_prompt(std::string_view text, bool parse_special) const {
  tokenizer::EncodeOptions options;
  options.add_special = true;  // BOS (and EOS) exactly as the metadata says
  options.parse_special = parse_special;
  const std::vector<tokenizer::TokenId> ids = tokenizer_.encode(text, options);
  return std::vector<std::int32_t>(ids.begin(), ids.end());
}

}  // namespace reval::engine
