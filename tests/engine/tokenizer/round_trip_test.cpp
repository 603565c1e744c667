// decode(encode(x)) == x for random bytes and random Unicode text, on every shared vocab.
#include <catch2/catch.hpp>

#include <random>

#include "engine/gguf/reader.h"
#include "engine/tokenizer/tokenizer.h"
#include "engine/tokenizer/unicode.h"
#include "tests/support/test_support.h"

namespace reval::tokenizer {
namespace {

std::string random_text(std::mt19937& rng) {
  std::string s;
  const int n = std::uniform_int_distribution<int>(0, 60)(rng);
  for (int i = 0; i < n; ++i) {
    switch (std::uniform_int_distribution<int>(0, 4)(rng)) {
      case 0: {
        // Any byte, valid UTF-8 or not, except C0, C1 and F5..FF: DeepSeek vocabs hold the byte-level
        // spellings of exactly these never-valid bytes as user-defined tokens, which decode as their
        // text (as in llama.cpp), so a lone such byte comes back as a two-byte character.
        int byte = std::uniform_int_distribution<int>(0, 255)(rng);
        if (byte == 0xC0 || byte == 0xC1 || byte >= 0xF5) byte = 0x80;
        s.push_back(static_cast<char>(byte));
        break;
      }
      case 1:
        s.append(std::uniform_int_distribution<int>(0, 1)(rng) ? " " : "\n");
        break;
      case 2:
        s.push_back(static_cast<char>(std::uniform_int_distribution<int>(0x20, 0x7E)(rng)));
        break;
      default: {
        std::uint32_t cp = std::uniform_int_distribution<std::uint32_t>(0x80, 0x2FFFF)(rng);
        if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0x4E00;
        append_utf8(s, cp);
      }
    }
  }
  return s;
}

}  // namespace

TEST_CASE("decoding the encoding of any text gives the text back, for every shared vocab",
          "[engine][tokenizer][conformance]") {
  if (test::shared_data_dir().empty()) {
    test::skip("../shared/data is absent");
    return;
  }
  for (const char* name : {"qwen2", "qwen35", "llama-bpe", "gpt-2", "deepseek-llm", "deepseek-coder", "llama-spm"}) {
    INFO(name);
    auto file = gguf::GgufFile::open(test::shared_data_dir() + "/gguf/ggml-vocab-" + std::string(name) + ".gguf");
    REQUIRE(file.ok());
    auto tok = Tokenizer::from_gguf(*file);
    REQUIRE(tok.ok());
    std::mt19937 rng(1234);
    for (int i = 0; i < 300; ++i) {
      const std::string text = random_text(rng);
      INFO("case " << i);
      CHECK(tok->decode(tok->encode(text), DecodeOptions{.strip_dummy_prefix = true}) == text);
    }
  }
}

}  // namespace reval::tokenizer
