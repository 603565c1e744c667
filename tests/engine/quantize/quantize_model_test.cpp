#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>

#include "engine/gguf/keys.h"
#include "engine/gguf/reader.h"
#include "engine/gguf/writer.h"
#include "engine/kernels/type_traits.h"
#include "engine/quantize/quantize_model.h"
#include "tests/engine/kernels/kernel_test_util.h"
#include "tests/support/test_support.h"

namespace reval::quantize {
namespace {

using gguf::TensorType;

gguf::GgufTensorInfo weight(std::string_view name, std::uint64_t cols, std::uint64_t rows) {
  gguf::GgufTensorInfo t;
  t.name = name;
  t.type = TensorType::kF32;
  t.n_dims = 2;
  t.ne = {cols, rows, 1, 1};
  return t;
}

std::vector<std::uint8_t> float_bytes(const std::vector<float>& v) {
  std::vector<std::uint8_t> out(v.size() * 4);
  std::memcpy(out.data(), v.data(), out.size());
  return out;
}

}  // namespace

TEST_CASE("quantization type names parse case-insensitively, unknown ones list the choices", "[engine][quantize]") {
  auto plan = parse_quantize_plan("Q4_K_M");
  REQUIRE(plan.ok());
  CHECK(plan->base == TensorType::kQ4_K);
  CHECK(plan->k_mix);
  CHECK(plan->file_type == 15);
  CHECK(parse_quantize_plan("q8_0")->file_type == 7);
  CHECK(parse_quantize_plan("bf16")->base == TensorType::kBF16);
  auto bad = parse_quantize_plan("q2_k");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().code() == StatusCode::kUsage);
  CHECK(bad.status().message().find("unknown quantization type 'q2_k' (one of: f32, f16") == 0);
}

TEST_CASE("the _M mixes give the output and a third of attn_v / ffn_down Q6_K", "[engine][quantize]") {
  const QuantizePlan plan = *parse_quantize_plan("q4_k_m");
  const int n_layers = 8;  // more bits: layers 0 (first eighth), 7 (last eighth), 3 and 6 ((l - 1) % 3 == 2)
  CHECK(choose_tensor_type(plan, weight("output.weight", 256, 10), n_layers) == TensorType::kQ6_K);
  CHECK(choose_tensor_type(plan, weight("token_embd.weight", 256, 10), n_layers) == TensorType::kQ4_K);
  const bool expected[8] = {true, false, false, true, false, false, true, true};
  for (int l = 0; l < n_layers; ++l) {
    const std::string v = "blk." + std::to_string(l) + ".attn_v.weight";
    const std::string down = "blk." + std::to_string(l) + ".ffn_down.weight";
    const std::string q = "blk." + std::to_string(l) + ".attn_q.weight";
    INFO("layer " << l);
    CHECK((choose_tensor_type(plan, weight(v, 256, 4), n_layers) == TensorType::kQ6_K) == expected[l]);
    CHECK((choose_tensor_type(plan, weight(down, 256, 4), n_layers) == TensorType::kQ6_K) == expected[l]);
    CHECK(choose_tensor_type(plan, weight(q, 256, 4), n_layers) == TensorType::kQ4_K);
  }
}

TEST_CASE("rows that do not fit a type's block fall back to a smaller block type", "[engine][quantize]") {
  CHECK(choose_tensor_type(*parse_quantize_plan("q4_k"), weight("w.weight", 64, 2), 1) == TensorType::kQ5_0);
  CHECK(choose_tensor_type(*parse_quantize_plan("q5_k"), weight("w.weight", 64, 2), 1) == TensorType::kQ5_1);
  CHECK(choose_tensor_type(*parse_quantize_plan("q6_k"), weight("w.weight", 96, 2), 1) == TensorType::kQ8_0);
  CHECK(choose_tensor_type(*parse_quantize_plan("q8_0"), weight("w.weight", 48, 2), 1) == TensorType::kF16);
  gguf::GgufTensorInfo norm = weight("blk.0.attn_norm.weight", 256, 1);
  norm.n_dims = 1;
  CHECK(choose_tensor_type(*parse_quantize_plan("q4_0"), norm, 1) == TensorType::kF32);
}

TEST_CASE("a quantized model keeps metadata and 1-D tensors and decodes close to the original",
          "[engine][quantize]") {
  test::TempDir dir;
  const std::vector<float> w = kernels::test::random_floats(256 * 16, 4, 0.05f);
  const std::vector<float> norm = kernels::test::random_floats(256, 5);
  gguf::GgufWriter writer;
  writer.set(gguf::keys::kGeneralArchitecture, gguf::MetaValue::str("llama"));
  writer.set("llama.block_count", gguf::MetaValue::u32(1));
  writer.add_tensor("blk.0.attn_q.weight", TensorType::kF32, {256, 16}, float_bytes(w));
  writer.add_tensor("blk.0.attn_norm.weight", TensorType::kF32, {256}, float_bytes(norm));
  REQUIRE(writer.write(dir.file("in.gguf")).ok());
  auto stats = quantize_model(dir.file("in.gguf"), dir.file("out.gguf"), *parse_quantize_plan("q6_k"), 2);
  REQUIRE(stats.ok());
  CHECK(stats->n_tensors == 2);
  CHECK(stats->n_quantized == 1);
  auto out = gguf::GgufFile::open(dir.file("out.gguf"));
  REQUIRE(out.ok());
  CHECK(*out->get_string(gguf::keys::kGeneralArchitecture) == "llama");
  CHECK(*out->get_u32("llama.block_count") == 1);
  CHECK(*out->get_u32(gguf::keys::kGeneralFileType) == 18);
  const gguf::GgufTensorInfo* q = out->find_tensor("blk.0.attn_q.weight");
  REQUIRE(q != nullptr);
  CHECK(q->type == TensorType::kQ6_K);
  CHECK(q->n_bytes == 16 * 210);
  std::vector<float> back(256 * 16);
  for (int r = 0; r < 16; ++r) {
    kernels::type_traits(TensorType::kQ6_K)->dequantize_row(q->data + r * 210, back.data() + r * 256, 256);
  }
  const std::string mismatch = kernels::test::first_mismatch(back.data(), w.data(), back.size(), 0.01f);
  INFO(mismatch);
  CHECK(mismatch.empty());
  const gguf::GgufTensorInfo* n = out->find_tensor("blk.0.attn_norm.weight");
  REQUIRE(n != nullptr);
  CHECK(n->type == TensorType::kF32);
  CHECK(std::memcmp(n->data, norm.data(), 256 * 4) == 0);
}

TEST_CASE("quantizing stories260K to q8_0 and q4_k works with fallbacks for its 64-wide rows",
          "[engine][quantize][conformance]") {
  if (test::shared_data_dir().empty()) {
    test::skip("../shared/data is absent");
    return;
  }
  test::TempDir dir;
  const std::string in = test::shared_data_dir() + "/gguf/stories260K.gguf";
  auto q8 = quantize_model(in, dir.file("q8.gguf"), *parse_quantize_plan("q8_0"), 1);
  REQUIRE(q8.ok());
  CHECK(q8->n_fallback == 5);  // the five ffn_down rows are 172 long: F16
  auto q8_file = gguf::GgufFile::open(dir.file("q8.gguf"));
  REQUIRE(q8_file.ok());
  CHECK(q8_file->find_tensor("blk.2.ffn_down.weight")->type == TensorType::kF16);
  CHECK(q8_file->find_tensor("blk.2.ffn_up.weight")->type == TensorType::kQ8_0);
  auto q4k = quantize_model(in, dir.file("q4k.gguf"), *parse_quantize_plan("q4_k"), 1);
  REQUIRE(q4k.ok());
  CHECK(q4k->n_fallback > 0);
  auto file = gguf::GgufFile::open(dir.file("q4k.gguf"));
  REQUIRE(file.ok());
  CHECK(file->find_tensor("blk.0.attn_q.weight")->type == TensorType::kQ5_0);
  CHECK(file->get_string_array(gguf::keys::kTokenizerTokens)->size() == 512);
}

}  // namespace reval::quantize
