// SentencePiece-style tokenization on a tiny hand-built vocab.
#include <catch2/catch.hpp>

#include <cstdio>

#include "engine/tokenizer/tokenizer.h"

namespace reval::tokenizer {
namespace {

// <unk> <s> </s>, the 256 byte tokens, then the given pieces (' ' written as U+2581) with scores.
Vocab spm_vocab(const std::vector<std::pair<std::string, float>>& pieces) {
  Vocab v;
  v.model = VocabModel::kSpm;
  v.tokens = {"<unk>", "<s>", "</s>"};
  v.types = {TokenType::kUnknown, TokenType::kControl, TokenType::kControl};
  v.scores = {0, 0, 0};
  for (int b = 0; b < 256; ++b) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "<0x%02X>", b);
    v.tokens.emplace_back(hex);
    v.types.push_back(TokenType::kByte);
    v.scores.push_back(0);
  }
  for (const auto& [text, score] : pieces) {
    v.tokens.push_back(text);
    v.types.push_back(TokenType::kNormal);
    v.scores.push_back(score);
  }
  v.unk_id = 0;
  v.bos_id = 1;
  v.eos_id = 2;
  v.add_bos = true;
  v.add_space_prefix = true;
  return v;
}

Tokenizer make(Vocab v) {
  auto t = Tokenizer::create(std::move(v));
  INFO(t.status().to_string());
  REQUIRE(t.ok());
  return std::move(t).value();
}

const std::string kSpace = "\xE2\x96\x81";

}  // namespace

TEST_CASE("spm merges the highest-scoring pair first", "[engine][tokenizer]") {
  // "abc": "ab" (score -1) beats "bc" (score -2).
  const Tokenizer t = make(spm_vocab({{kSpace, -5}, {"a", -3}, {"b", -3}, {"c", -3}, {"ab", -1}, {"bc", -2}}));
  const std::vector<TokenId> ids = t.encode("abc");
  REQUIRE(ids.size() == 3);
  CHECK(t.token_text(ids[0]) == kSpace);
  CHECK(t.token_text(ids[1]) == "ab");
  CHECK(t.token_text(ids[2]) == "c");
  const Tokenizer u = make(spm_vocab({{kSpace, -5}, {"a", -3}, {"b", -3}, {"c", -3}, {"ab", -2}, {"bc", -1}}));
  const std::vector<TokenId> ids_u = u.encode("abc");
  REQUIRE(ids_u.size() == 3);
  CHECK(u.token_text(ids_u[2]) == "bc");
}

TEST_CASE("spm adds the dummy prefix and escapes spaces", "[engine][tokenizer]") {
  const Tokenizer t = make(spm_vocab({{kSpace + "hi", -1}, {"h", -3}, {"i", -3}, {kSpace, -4}, {kSpace + "h", -2}}));
  const std::vector<TokenId> ids = t.encode("hi hi");
  REQUIRE(ids.size() == 2);
  CHECK(ids[0] == ids[1]);
  CHECK(t.token_text(ids[0]) == kSpace + "hi");
  CHECK(t.encode("hi", EncodeOptions{.add_special = true}).front() == t.bos());
  CHECK(t.decode(ids) == " hi hi");
  CHECK(t.decode(ids, DecodeOptions{.strip_dummy_prefix = true}) == "hi hi");
}

TEST_CASE("spm falls back to byte tokens for characters outside the vocab", "[engine][tokenizer]") {
  const Tokenizer t = make(spm_vocab({{kSpace, -1}}));
  const std::vector<TokenId> ids = t.encode("\xC3\xA9");  // é
  REQUIRE(ids.size() == 3);
  CHECK(t.token_text(ids[1]) == "<0xC3>");
  CHECK(t.token_text(ids[2]) == "<0xA9>");
  CHECK(t.decode(ids, DecodeOptions{.strip_dummy_prefix = true}) == "\xC3\xA9");
}

TEST_CASE("spm puts a dummy prefix after each special token", "[engine][tokenizer]") {
  const Tokenizer t = make(spm_vocab({{kSpace, -1}, {"x", -2}, {kSpace + "x", -1}}));
  const std::vector<TokenId> ids = t.encode("x</s>x", EncodeOptions{.parse_special = true});
  REQUIRE(ids.size() == 3);
  CHECK(t.token_text(ids[0]) == kSpace + "x");
  CHECK(ids[1] == t.eos());
  CHECK(t.token_text(ids[2]) == kSpace + "x");
}

}  // namespace reval::tokenizer
