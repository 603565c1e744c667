// Reading the real GGUF files in ../shared/data/gguf (llama.cpp's vocab files and stories260K).
#include <catch2/catch.hpp>

#include <filesystem>

#include "engine/gguf/keys.h"
#include "engine/gguf/reader.h"
#include "tests/support/test_support.h"

namespace reval::gguf {

TEST_CASE("every shared vocab GGUF opens and has a consistent tokenizer", "[engine][gguf][conformance]") {
  if (test::shared_data_dir().empty()) {
    test::skip("../shared/data is absent");
    return;
  }
  int n_files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(test::shared_data_dir() + "/gguf")) {
    const std::string path = entry.path().string();
    if (entry.path().extension() != ".gguf") continue;
    INFO(path);
    auto file = GgufFile::open(path);
    REQUIRE(file.ok());
    ++n_files;
    CHECK((file->version() == 2 || file->version() == 3));
    auto arch = file->get_string(keys::kGeneralArchitecture);
    REQUIRE(arch.ok());
    auto tokens = file->get_string_array(keys::kTokenizerTokens);
    REQUIRE(tokens.ok());
    CHECK(tokens->size() > 200);
    if (file->find(keys::kTokenizerTokenType) != nullptr) {
      auto types = file->get_array<std::int32_t>(keys::kTokenizerTokenType);
      REQUIRE(types.ok());
      CHECK(types->size() == tokens->size());
    }
    if (file->find(keys::kTokenizerScores) != nullptr) {
      auto scores = file->get_array<float>(keys::kTokenizerScores);
      REQUIRE(scores.ok());
      CHECK(scores->size() == tokens->size());
    }
    CHECK(file->get_string(keys::kTokenizerModel).ok());
  }
  CHECK(n_files >= 8);
}

TEST_CASE("the qwen2 vocab has the known token count, merges and special ids", "[engine][gguf][conformance]") {
  if (test::shared_data_dir().empty()) {
    test::skip("../shared/data is absent");
    return;
  }
  auto file = GgufFile::open(test::shared_data_dir() + "/gguf/ggml-vocab-qwen2.gguf");
  REQUIRE(file.ok());
  CHECK(*file->get_string(keys::kGeneralArchitecture) == "qwen2");
  CHECK(*file->get_string(keys::kTokenizerModel) == "gpt2");
  CHECK(*file->get_string(keys::kTokenizerPre) == "qwen2");
  CHECK(file->get_string_array(keys::kTokenizerTokens)->size() == 151936);
  CHECK(file->get_string_array(keys::kTokenizerMerges)->size() == 151387);
  CHECK(*file->get_u32(keys::kTokenizerBosId) == 151643);
  CHECK(*file->get_u32(keys::kTokenizerEosId) == 151643);
  CHECK(file->tensors().empty());
}

TEST_CASE("stories260K's tensors have the shapes of a 5-layer 64-wide llama", "[engine][gguf][conformance]") {
  if (test::shared_data_dir().empty()) {
    test::skip("../shared/data is absent");
    return;
  }
  auto file = GgufFile::open(test::shared_data_dir() + "/gguf/stories260K.gguf");
  REQUIRE(file.ok());
  CHECK(*file->get_string(keys::kGeneralArchitecture) == "llama");
  CHECK(*file->get_u32(arch_key("llama", keys::kBlockCount)) == 5);
  CHECK(*file->get_u32(arch_key("llama", keys::kEmbeddingLength)) == 64);
  CHECK(*file->get_u32(arch_key("llama", keys::kHeadCountKv)) == 4);
  const GgufTensorInfo* emb = file->find_tensor(tensors::kTokenEmbd);
  REQUIRE(emb != nullptr);
  CHECK(emb->type == TensorType::kF32);
  CHECK(emb->ne[0] == 64);
  CHECK(emb->ne[1] == 512);
  const GgufTensorInfo* q = file->find_tensor(tensors::block_tensor(4, tensors::kAttnQ));
  REQUIRE(q != nullptr);
  CHECK(q->n_bytes == 64 * 64 * 4);
  std::uint64_t total = 0;
  for (const GgufTensorInfo& t : file->tensors()) total += t.n_bytes;
  CHECK(total <= file->file_size());
}

}  // namespace reval::gguf
