#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>

#include "common/files.h"
#include "engine/chat/chat_template.h"
#include "engine/gguf/keys.h"
#include "engine/gguf/model_summary.h"
#include "engine/gguf/reader.h"
#include "engine/kernels/type_traits.h"
#include "engine/synth/model_shapes.h"
#include "engine/synth/synthesize.h"
#include "tests/support/test_support.h"

namespace reval::synth {
namespace {

namespace keys = gguf::keys;

std::string vocab(const std::string& name) { return test::shared_data_dir() + "/gguf/" + name; }

}  // namespace

TEST_CASE("a synthesized llama has the shape's tensors, hyper-parameters and the vocab's tokenizer",
          "[engine][synth][conformance]") {
  if (test::shared_data_dir().empty()) {
    test::skip("../shared/data is absent");
    return;
  }
  test::TempDir dir;
  SynthOptions options;
  options.arch = "llama";
  options.shape = "tiny";
  options.vocab_path = vocab("ggml-vocab-llama-spm.gguf");
  options.type = "q8_0";
  options.out = dir.file("a.gguf");
  options.n_threads = 1;
  auto summary = synthesize_model(options);
  REQUIRE(summary.ok());
  CHECK(summary->n_vocab == 32000);
  auto file = gguf::GgufFile::open(options.out);
  REQUIRE(file.ok());
  CHECK(*file->get_string(keys::kGeneralArchitecture) == "llama");
  CHECK(*file->get_u32(gguf::arch_key("llama", keys::kEmbeddingLength)) == 256);
  CHECK(*file->get_u32(gguf::arch_key("llama", keys::kBlockCount)) == 2);
  CHECK(*file->get_u32(gguf::arch_key("llama", keys::kHeadCountKv)) == 2);
  CHECK(*file->get_u32(gguf::arch_key("llama", keys::kRopeDimensionCount)) == 64);
  CHECK(*file->get_u32(gguf::arch_key("llama", keys::kVocabSize)) == 32000);
  CHECK(*file->get_string(keys::kTokenizerModel) == "llama");
  CHECK(file->get_string_array(keys::kTokenizerTokens)->size() == 32000);
  CHECK(*file->get_u32(keys::kGeneralFileType) == 7);
  const gguf::GgufTensorInfo* q = file->find_tensor("blk.1.attn_q.weight");
  REQUIRE(q != nullptr);
  CHECK(q->type == gguf::TensorType::kQ8_0);
  CHECK(q->ne[0] == 256);
  CHECK(q->ne[1] == 256);
  const gguf::GgufTensorInfo* k = file->find_tensor("blk.0.attn_k.weight");
  REQUIRE(k != nullptr);
  CHECK(k->ne[1] == 128);  // 2 kv heads of 64
  CHECK(file->find_tensor("blk.0.attn_q.bias") == nullptr);  // llama: no QKV bias
  const gguf::GgufTensorInfo* norm = file->find_tensor("blk.0.attn_norm.weight");
  REQUIRE(norm != nullptr);
  CHECK(norm->type == gguf::TensorType::kF32);
  CHECK(file->find_tensor("output.weight") != nullptr);

  // Scaled init: the query projection's weights have std ~ 1/sqrt(256).
  std::vector<float> row(256);
  double sum_sq = 0;
  for (std::uint64_t r = 0; r < q->ne[1]; ++r) {
    kernels::type_traits(q->type)->dequantize_row(q->data + r * q->row_bytes(), row.data(), 256);
    for (float v : row) sum_sq += static_cast<double>(v) * v;
  }
  CHECK(std::sqrt(sum_sq / (256.0 * 256.0)) == Approx(1.0 / 16).epsilon(0.05));
}

TEST_CASE("synthesis is deterministic per seed and independent of the thread count",
          "[engine][synth][conformance]") {
  if (test::shared_data_dir().empty()) {
    test::skip("../shared/data is absent");
    return;
  }
  test::TempDir dir;
  SynthOptions options;
  options.shape = "tiny";
  options.arch = "llama";
  options.vocab_path = vocab("ggml-vocab-llama-spm.gguf");
  options.type = "q8_0";
  options.n_layers = 1;
  options.tied = true;
  options.seed = 7;
  options.out = dir.file("one.gguf");
  options.n_threads = 1;
  REQUIRE(synthesize_model(options).ok());
  options.out = dir.file("three.gguf");
  options.n_threads = 3;
  REQUIRE(synthesize_model(options).ok());
  options.out = dir.file("other-seed.gguf");
  options.seed = 8;
  REQUIRE(synthesize_model(options).ok());
  auto one = read_file(dir.file("one.gguf"));
  auto three = read_file(dir.file("three.gguf"));
  auto other = read_file(dir.file("other-seed.gguf"));
  REQUIRE(one.ok());
  REQUIRE(three.ok());
  REQUIRE(other.ok());
  CHECK(*one == *three);
  CHECK(one->size() == other->size());
  CHECK(*one != *other);
}

TEST_CASE("the R1 flavour puts DeepSeek's specials, BOS and chat template on the qwen2 vocab",
          "[engine][synth][conformance][slow]") {
  if (test::shared_data_dir().empty()) {
    test::skip("../shared/data is absent");
    return;
  }
  test::TempDir dir;
  SynthOptions options;
  options.shape = "tiny";
  options.vocab_path = vocab("ggml-vocab-qwen2.gguf");
  options.r1 = true;
  options.tied = true;
  options.n_layers = 1;
  options.out = dir.file("r1.gguf");
  REQUIRE(synthesize_model(options).ok());
  auto file = gguf::GgufFile::open(options.out);
  REQUIRE(file.ok());
  auto tokens = file->get_string_array(keys::kTokenizerTokens);
  REQUIRE(tokens.ok());
  CHECK((*tokens)[151644] == "<｜User｜>");
  CHECK((*tokens)[151646] == "<｜begin▁of▁sentence｜>");
  CHECK((*tokens)[151648] == "<think>");
  CHECK(*file->get_u32(keys::kTokenizerBosId) == 151646);
  CHECK(*file->get_u32(keys::kTokenizerEosId) == 151643);
  CHECK(*file->get_bool(keys::kTokenizerAddBos));
  CHECK(*file->get_string(keys::kTokenizerPre) == "deepseek-r1-qwen");
  auto types = file->get_array<std::int32_t>(keys::kTokenizerTokenType);
  REQUIRE(types.ok());
  CHECK((*types)[151644] == 3);
  CHECK((*types)[151648] == 4);
  CHECK(file->find_tensor("output.weight") == nullptr);
  CHECK(file->find_tensor("blk.0.attn_q.bias") != nullptr);
  auto summary = gguf::summarize_model(*file);
  REQUIRE(summary.ok());
  REQUIRE(summary->has_chat_template);
  auto detected = chat::detect_chat_template(summary->chat_template);
  REQUIRE(detected.ok());
  CHECK(detected->name == "deepseek-r1");
  CHECK(summary->tied_embeddings);
}

TEST_CASE("synthesis reports unknown shapes, types and bad vocab files clearly", "[engine][synth]") {
  test::TempDir dir;
  SynthOptions options;
  options.shape = "huge";
  options.vocab_path = dir.file("missing.gguf");
  options.out = dir.file("x.gguf");
  auto r = synthesize_model(options);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message().find("unknown shape 'huge' (one of: tiny, qwen2-0.5b") == 0);
  options.shape = "tiny";
  options.type = "q3_k";
  CHECK(synthesize_model(options).status().message().find("unknown quantization type 'q3_k'") == 0);
  options.type = "f16";
  r = synthesize_model(options);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message().find("missing.gguf") != std::string::npos);
}

TEST_CASE("shapes carry the published dimensions of the models they name", "[engine][synth]") {
  const ModelShape* r1 = find_model_shape("r1-distill-qwen-1.5b");
  REQUIRE(r1 != nullptr);
  CHECK(r1->n_embd == 1536);
  CHECK(r1->n_layer == 28);
  CHECK(r1->n_head_kv == 2);
  CHECK(r1->n_ff == 8960);
  CHECK(r1->r1);
  // 28 KiB of F16 KV per token: 28 layers x 2 (K, V) x 2 heads x 128 dims x 2 bytes.
  CHECK(r1->n_layer * 2 * r1->n_head_kv * (r1->n_embd / r1->n_head) * 2 == 28 * 1024);
  const ModelShape* l8 = find_model_shape("llama-3-8b");
  REQUIRE(l8 != nullptr);
  CHECK(l8->n_ff == 14336);
  CHECK(l8->llama3_rope);
  CHECK(find_model_shape("nope") == nullptr);
}

TEST_CASE("llama-3.1 rope factors are 1 at high frequencies and 8 at low ones", "[engine][synth]") {
  const std::vector<float> f = llama3_rope_factors(128, 500000.0f);
  REQUIRE(f.size() == 64);
  CHECK(f.front() == 1.0f);
  CHECK(f.back() == 8.0f);
  for (std::size_t i = 1; i < f.size(); ++i) CHECK(f[i] >= f[i - 1]);
}

}  // namespace reval::synth
