#include "engine/synth/synthesize.h"

#include <cmath>
#include <cstring>
#include <numbers>
#include <vector>

#include "engine/gguf/keys.h"
#include "engine/gguf/reader.h"
#include "engine/gguf/writer.h"
#include "engine/kernels/thread_pool.h"
#include "engine/quantize/quantize_model.h"
#include "engine/quantize/quantize_row.h"
#include "engine/synth/model_shapes.h"

namespace reval::synth {

using gguf::MetaValue;
using gguf::TensorType;
namespace keys = gguf::keys;
namespace names = gguf::tensors;

namespace {

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

std::uint64_t hash_name(std::string_view s) {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

// n Gaussian values N(mean, std) for one row, from the row's own stream.
void fill_row(std::uint64_t seed, std::uint64_t tensor_hash, std::uint64_t row, float mean, float std_dev,
              float* out, std::int64_t n) {
  std::uint64_t state = seed ^ tensor_hash ^ (row * 0xd1342543de82ef95ull);
  splitmix64(state);
  for (std::int64_t i = 0; i < n; i += 2) {
    // Box-Muller from two 53-bit uniforms; u1 in (0, 1].
    const double u1 = (static_cast<double>(splitmix64(state) >> 11) + 1.0) * 0x1p-53;
    const double u2 = static_cast<double>(splitmix64(state) >> 11) * 0x1p-53;
    const double r = std::sqrt(-2.0 * std::log(u1));
    out[i] = mean + std_dev * static_cast<float>(r * std::cos(2.0 * std::numbers::pi * u2));
    if (i + 1 < n) out[i + 1] = mean + std_dev * static_cast<float>(r * std::sin(2.0 * std::numbers::pi * u2));
  }
}

struct TensorSpec {
  std::string name;
  std::uint64_t cols;
  std::uint64_t rows;  // 1 for vectors
  float mean;
  float std_dev;
  std::vector<float> fixed;  // non-empty: these exact values (rope factors)
};

std::vector<TensorSpec> tensor_specs(const ModelShape& shape, std::string_view arch, bool tied, std::size_t n_vocab,
                                     int n_layers) {
  const auto e = static_cast<std::uint64_t>(shape.n_embd);
  const auto ff = static_cast<std::uint64_t>(shape.n_ff);
  const std::uint64_t head_dim = e / static_cast<std::uint64_t>(shape.n_head);
  const std::uint64_t kv = head_dim * static_cast<std::uint64_t>(shape.n_head_kv);
  const float in_std = 1.0f / std::sqrt(static_cast<float>(e));
  // Residual-branch outputs are scaled down by sqrt(2 * layers) so the residual stream's size stays
  // near 1 however deep the model is; logits get std ~3 (clear but not absurd top-1 margins).
  const float branch = 1.0f / std::sqrt(2.0f * static_cast<float>(n_layers));
  const float logit_std = 3.0f / std::sqrt(static_cast<float>(e));
  std::vector<TensorSpec> specs;
  specs.push_back({std::string(names::kTokenEmbd), e, n_vocab, 0.0f, tied ? logit_std : 1.0f, {}});
  specs.push_back({std::string(names::kOutputNorm), e, 1, 1.0f, 0.1f, {}});
  if (!tied) specs.push_back({std::string(names::kOutput), e, n_vocab, 0.0f, logit_std, {}});
  if (arch == "llama" && shape.llama3_rope) {
    specs.push_back({std::string(names::kRopeFreqs), head_dim / 2, 1, 0, 0,
                     llama3_rope_factors(static_cast<int>(head_dim), shape.rope_theta)});
  }
  for (int l = 0; l < n_layers; ++l) {
    auto name = [l](std::string_view suffix) { return names::block_tensor(l, suffix); };
    specs.push_back({name(names::kAttnNorm), e, 1, 1.0f, 0.1f, {}});
    specs.push_back({name(names::kAttnQ), e, e, 0.0f, in_std, {}});
    specs.push_back({name(names::kAttnK), e, kv, 0.0f, in_std, {}});
    specs.push_back({name(names::kAttnV), e, kv, 0.0f, in_std, {}});
    if (arch == "qwen2") {
      specs.push_back({name(names::kAttnQBias), e, 1, 0.0f, 0.1f, {}});
      specs.push_back({name(names::kAttnKBias), kv, 1, 0.0f, 0.1f, {}});
      specs.push_back({name(names::kAttnVBias), kv, 1, 0.0f, 0.1f, {}});
    }
    specs.push_back({name(names::kAttnOutput), e, e, 0.0f, in_std * branch, {}});
    specs.push_back({name(names::kFfnNorm), e, 1, 1.0f, 0.1f, {}});
    specs.push_back({name(names::kFfnGate), e, ff, 0.0f, in_std, {}});
    specs.push_back({name(names::kFfnUp), e, ff, 0.0f, in_std, {}});
    specs.push_back({name(names::kFfnDown), ff, e, 0.0f, branch / std::sqrt(static_cast<float>(ff)), {}});
  }
  return specs;
}

Status copy_tokenizer(const gguf::GgufFile& vocab, bool r1, gguf::GgufWriter& writer, std::size_t* n_vocab) {
  REVAL_ASSIGN_OR_RETURN(std::vector<std::string_view> tokens, vocab.get_string_array(keys::kTokenizerTokens));
  *n_vocab = tokens.size();
  const R1Vocab* specials = r1 ? r1_vocab_for(tokens.size()) : nullptr;
  if (r1 && specials == nullptr) {
    return invalid_input_error(vocab.name() + ": the R1 flavour needs the Qwen2 (151936) or Llama-3 (128256) vocab, "
                               "this one has " + std::to_string(tokens.size()) + " tokens");
  }
  for (const gguf::GgufKeyValue& kv : vocab.metadata()) {
    if (kv.key.substr(0, 10) != "tokenizer.") continue;
    writer.set(kv.key, MetaValue::copy_of(kv.value));
  }
  if (specials == nullptr) return Status::ok_status();
  std::vector<std::string> texts(tokens.begin(), tokens.end());
  for (const SpecialToken& t : specials->tokens) texts[t.id] = std::string(t.text);
  writer.set(keys::kTokenizerTokens, MetaValue::string_array(std::move(texts)));
  if (vocab.find(keys::kTokenizerTokenType) != nullptr) {
    REVAL_ASSIGN_OR_RETURN(std::vector<std::int32_t> types, vocab.get_array<std::int32_t>(keys::kTokenizerTokenType));
    for (const SpecialToken& t : specials->tokens) {
      if (t.id < types.size()) types[t.id] = t.token_type;
    }
    writer.set(keys::kTokenizerTokenType, MetaValue::i32_array(types));
  }
  writer.set(keys::kTokenizerPre, MetaValue::str(specials->pre));
  writer.set(keys::kTokenizerBosId, MetaValue::u32(specials->bos_id));
  writer.set(keys::kTokenizerEosId, MetaValue::u32(specials->eos_id));
  writer.set(keys::kTokenizerAddBos, MetaValue::boolean(true));
  writer.set(keys::kTokenizerAddEos, MetaValue::boolean(false));
  writer.set(keys::kTokenizerChatTemplate, MetaValue::str(r1_chat_template()));
  return Status::ok_status();
}

void set_hparams(gguf::GgufWriter& writer, const ModelShape& shape, std::string_view arch, int n_layers,
                 std::size_t n_vocab, const std::string& title, std::uint32_t file_type) {
  auto k = [arch](std::string_view suffix) { return gguf::arch_key(arch, suffix); };
  writer.set(keys::kGeneralArchitecture, MetaValue::str(arch));
  writer.set(keys::kGeneralName, MetaValue::str(title));
  writer.set(keys::kGeneralFileType, MetaValue::u32(file_type));
  writer.set(keys::kGeneralQuantizationVersion, MetaValue::u32(2));
  writer.set(k(keys::kContextLength), MetaValue::u32(shape.n_ctx));
  writer.set(k(keys::kEmbeddingLength), MetaValue::u32(static_cast<std::uint32_t>(shape.n_embd)));
  writer.set(k(keys::kBlockCount), MetaValue::u32(static_cast<std::uint32_t>(n_layers)));
  writer.set(k(keys::kFeedForwardLength), MetaValue::u32(static_cast<std::uint32_t>(shape.n_ff)));
  writer.set(k(keys::kHeadCount), MetaValue::u32(static_cast<std::uint32_t>(shape.n_head)));
  writer.set(k(keys::kHeadCountKv), MetaValue::u32(static_cast<std::uint32_t>(shape.n_head_kv)));
  writer.set(k(keys::kLayerNormRmsEpsilon), MetaValue::f32(shape.rms_eps));
  writer.set(k(keys::kRopeFreqBase), MetaValue::f32(shape.rope_theta));
  if (arch == "llama") {
    writer.set(k(keys::kRopeDimensionCount), MetaValue::u32(static_cast<std::uint32_t>(shape.n_embd / shape.n_head)));
    writer.set(k(keys::kVocabSize), MetaValue::u32(static_cast<std::uint32_t>(n_vocab)));
  }
}

}  // namespace

Result<SynthSummary> synthesize_model(const SynthOptions& options) {
  const ModelShape* shape = find_model_shape(options.shape);
  if (shape == nullptr) {
    return usage_error("unknown shape '" + options.shape + "' (one of: " + model_shape_names() + ")");
  }
  const std::string arch = options.arch.empty() ? std::string(shape->default_arch) : options.arch;
  if (arch != "qwen2" && arch != "llama") return usage_error("unknown architecture '" + arch + "' (qwen2 or llama)");
  REVAL_ASSIGN_OR_RETURN(const quantize::QuantizePlan plan, quantize::parse_quantize_plan(options.type));
  const int n_layers = options.n_layers.value_or(shape->n_layer);
  if (n_layers <= 0 || n_layers > 1000) return usage_error("--layers must be between 1 and 1000");
  const bool tied = options.tied.value_or(shape->tied_embeddings);
  const bool r1 = options.r1.value_or(shape->r1);

  REVAL_ASSIGN_OR_RETURN(const gguf::GgufFile vocab, gguf::GgufFile::open(options.vocab_path));
  gguf::GgufWriter writer;
  std::size_t n_vocab = 0;
  // Architecture keys first (as converters write them), tokenizer after.
  const std::string title = "reval-synth " + std::string(shape->name) + " " + arch + " seed " +
                            std::to_string(options.seed);
  set_hparams(writer, *shape, arch, n_layers, 0, title, plan.file_type);
  REVAL_RETURN_IF_ERROR(copy_tokenizer(vocab, r1, writer, &n_vocab));
  set_hparams(writer, *shape, arch, n_layers, n_vocab, title, plan.file_type);
  if (!options.chat_template.empty()) {
    writer.set(keys::kTokenizerChatTemplate, MetaValue::str(options.chat_template));
  }

  kernels::ThreadPool pool(options.n_threads);
  SynthSummary summary;
  summary.arch = arch;
  summary.n_vocab = n_vocab;
  const std::vector<TensorSpec> specs = tensor_specs(*shape, arch, tied, n_vocab, n_layers);
  for (const TensorSpec& spec : specs) {
    gguf::GgufTensorInfo info;
    info.name = spec.name;
    info.type = TensorType::kF32;
    info.n_dims = spec.rows > 1 ? 2 : 1;
    info.ne = {spec.cols, spec.rows, 1, 1};
    TensorType type = quantize::choose_tensor_type(plan, info, n_layers);
    if (plan.k_mix && tied && spec.name == names::kTokenEmbd) {
      info.name = names::kOutput;
      type = quantize::choose_tensor_type(plan, info, n_layers);
    }
    std::vector<std::uint64_t> ne = {spec.cols};
    if (spec.rows > 1) ne.push_back(spec.rows);
    summary.n_params += spec.cols * spec.rows;
    summary.n_bytes += gguf::tensor_row_bytes(type, spec.cols) * spec.rows;
    ++summary.n_tensors;
    if (!spec.fixed.empty()) {
      std::vector<std::uint8_t> bytes(spec.fixed.size() * 4);
      std::memcpy(bytes.data(), spec.fixed.data(), bytes.size());
      writer.add_tensor(spec.name, TensorType::kF32, ne, std::move(bytes));
      continue;
    }
    const std::uint64_t tensor_hash = hash_name(spec.name);
    const std::uint64_t seed = options.seed;
    const std::uint64_t row_bytes = gguf::tensor_row_bytes(type, spec.cols);
    const auto cols = static_cast<std::int64_t>(spec.cols);
    const float mean = spec.mean;
    const float std_dev = spec.std_dev;
    kernels::ThreadPool* pool_ptr = &pool;
    writer.add_tensor(spec.name, type, ne,
                      [=](std::uint64_t row, std::uint64_t n_rows, std::span<std::uint8_t> out) -> Status {
                        kernels::parallel_for(pool_ptr, static_cast<std::int64_t>(n_rows), 4,
                                              [&](std::int64_t begin, std::int64_t end) {
                                                std::vector<float> values(static_cast<std::size_t>(cols));
                                                for (std::int64_t r = begin; r < end; ++r) {
                                                  const std::uint64_t global = row + static_cast<std::uint64_t>(r);
                                                  fill_row(seed, tensor_hash, global, mean, std_dev, values.data(), cols);
                                                  quantize::quantize_row(type, values.data(),
                                                                         out.data() + static_cast<std::uint64_t>(r) * row_bytes,
                                                                         cols);
                                                }
                                              });
                        return Status::ok_status();
                      });
  }
  REVAL_RETURN_IF_ERROR(writer.write(options.out));
  return summary;
}

}  // namespace reval::synth
