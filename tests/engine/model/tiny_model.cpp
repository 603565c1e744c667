#include "tests/engine/model/tiny_model.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "engine/gguf/keys.h"
#include "engine/gguf/writer.h"

namespace reval::test {
namespace {

std::vector<std::uint8_t> floats_to_bytes(const std::vector<float>& values) {
  std::vector<std::uint8_t> bytes(values.size() * sizeof(float));
  std::memcpy(bytes.data(), values.data(), bytes.size());
  return bytes;
}

}  // namespace

void write_tiny_model(const std::string& path, const TinyModelSpec& spec) {
  namespace keys = gguf::keys;
  namespace tensors = gguf::tensors;
  std::mt19937 rng(spec.seed);
  gguf::GgufWriter w;
  const auto key = [&](std::string_view suffix) { return gguf::arch_key(spec.arch, suffix); };
  w.set(keys::kGeneralArchitecture, gguf::MetaValue::str(spec.arch));
  w.set(key(keys::kContextLength), gguf::MetaValue::u32(512));
  w.set(key(keys::kEmbeddingLength), gguf::MetaValue::u32(static_cast<std::uint32_t>(spec.n_embd)));
  w.set(key(keys::kBlockCount), gguf::MetaValue::u32(static_cast<std::uint32_t>(spec.n_layer)));
  w.set(key(keys::kFeedForwardLength), gguf::MetaValue::u32(static_cast<std::uint32_t>(spec.n_ff)));
  w.set(key(keys::kHeadCount), gguf::MetaValue::u32(static_cast<std::uint32_t>(spec.n_head)));
  w.set(key(keys::kHeadCountKv), gguf::MetaValue::u32(static_cast<std::uint32_t>(spec.n_head_kv)));
  w.set(key(keys::kLayerNormRmsEpsilon), gguf::MetaValue::f32(1e-6f));
  w.set(key(keys::kRopeFreqBase), gguf::MetaValue::f32(10000.0f));

  const auto add = [&](const std::string& name, std::vector<std::uint64_t> ne, float scale, float offset) {
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::uint64_t n = 1;
    for (std::uint64_t d : ne) n *= d;
    std::vector<float> values(n);
    for (float& v : values) v = offset + scale * normal(rng);
    w.add_tensor(name, gguf::TensorType::kF32, std::move(ne), floats_to_bytes(values));
  };
  const auto e = static_cast<std::uint64_t>(spec.n_embd);
  const auto hd = e / static_cast<std::uint64_t>(spec.n_head);
  const auto kv = hd * static_cast<std::uint64_t>(spec.n_head_kv);
  const auto ff = static_cast<std::uint64_t>(spec.n_ff);
  const float s_in = 1.0f / std::sqrt(static_cast<float>(e));
  add(std::string(tensors::kTokenEmbd), {e, static_cast<std::uint64_t>(spec.n_vocab)}, 1.0f, 0.0f);
  add(std::string(tensors::kOutputNorm), {e}, 0.1f, 1.0f);
  if (spec.rope_freqs) {
    std::vector<float> factors(hd / 2);
    for (std::size_t i = 0; i < factors.size(); ++i) factors[i] = 1.0f + static_cast<float>(i);
    w.add_tensor(std::string(tensors::kRopeFreqs), gguf::TensorType::kF32, {hd / 2}, floats_to_bytes(factors));
  }
  if (!spec.tied) add(std::string(tensors::kOutput), {e, static_cast<std::uint64_t>(spec.n_vocab)}, 3.0f * s_in, 0.0f);
  for (int il = 0; il < spec.n_layer; ++il) {
    const auto name = [il](std::string_view suffix) { return tensors::block_tensor(il, suffix); };
    add(name(tensors::kAttnNorm), {e}, 0.1f, 1.0f);
    add(name(tensors::kAttnQ), {e, e}, s_in, 0.0f);
    add(name(tensors::kAttnK), {e, kv}, s_in, 0.0f);
    add(name(tensors::kAttnV), {e, kv}, s_in, 0.0f);
    if (spec.arch == "qwen2") {
      add(name(tensors::kAttnQBias), {e}, 0.1f, 0.0f);
      add(name(tensors::kAttnKBias), {kv}, 0.1f, 0.0f);
      add(name(tensors::kAttnVBias), {kv}, 0.1f, 0.0f);
    }
    add(name(tensors::kAttnOutput), {e, e}, s_in, 0.0f);
    add(name(tensors::kFfnNorm), {e}, 0.1f, 1.0f);
    add(name(tensors::kFfnGate), {e, ff}, s_in, 0.0f);
    add(name(tensors::kFfnUp), {e, ff}, s_in, 0.0f);
    add(name(tensors::kFfnDown), {ff, e}, 1.0f / std::sqrt(static_cast<float>(ff)), 0.0f);
  }
  const Status status = w.write(path);
  INFO(status.to_string());
  REQUIRE(status.ok());
}

}  // namespace reval::test
