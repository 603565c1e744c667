// Byte-level BPE on tiny hand-built vocabs: merge order, ties, fallbacks, special tokens, options.
#include <catch2/catch.hpp>

#include "engine/tokenizer/tokenizer.h"
#include "tests/engine/tokenizer/tiny_vocabs.h"

namespace reval::tokenizer {
namespace {

using test_vocabs::byte_level_vocab;
using test_vocabs::id_of;

Tokenizer make(Vocab v) {
  auto t = Tokenizer::create(std::move(v));
  INFO(t.status().to_string());
  REQUIRE(t.ok());
  return std::move(t).value();
}

}  // namespace

TEST_CASE("bpe applies merges in rank order", "[engine][tokenizer]") {
  const Tokenizer bc_first = make(byte_level_vocab({"ab", "bc"}, {{"b", "c"}, {"a", "b"}}));
  CHECK(bc_first.encode("abc") == std::vector<TokenId>{'a', id_of(bc_first, "bc")});
  const Tokenizer ab_first = make(byte_level_vocab({"ab", "bc"}, {{"a", "b"}, {"b", "c"}}));
  CHECK(ab_first.encode("abc") == std::vector<TokenId>{id_of(ab_first, "ab"), 'c'});
}

TEST_CASE("bpe merges the leftmost pair when ranks tie", "[engine][tokenizer]") {
  const Tokenizer t = make(byte_level_vocab({"aa"}, {{"a", "a"}}));
  const TokenId aa = id_of(t, "aa");
  CHECK(t.encode("aaa") == std::vector<TokenId>{aa, 'a'});
  CHECK(t.encode("aaaa") == std::vector<TokenId>{aa, aa});
}

TEST_CASE("bpe builds multi-level merges into one token", "[engine][tokenizer]") {
  const Tokenizer t = make(byte_level_vocab({"he", "ll", "hell", "hello"}, {{"h", "e"}, {"l", "l"}, {"he", "ll"}, {"hell", "o"}}));
  CHECK(t.encode("hello") == std::vector<TokenId>{id_of(t, "hello")});
  CHECK(t.decode(t.encode("hello hello")) == "hello hello");
}

TEST_CASE("bpe falls back to byte tokens for a merge result missing from the vocab", "[engine][tokenizer]") {
  // "x y" merges into "xy", which is not a token: the word comes out as its bytes.
  const Tokenizer t = make(byte_level_vocab({}, {{"x", "y"}}));
  CHECK(t.encode("xy") == std::vector<TokenId>{'x', 'y'});
}

TEST_CASE("bpe with ignore_merges emits a word that is a token whole", "[engine][tokenizer]") {
  Vocab v = byte_level_vocab({"abc"}, {}, PreTokenizerKind::kLlama3);
  Vocab no_ignore = v;
  v.ignore_merges = true;
  const Tokenizer with = make(std::move(v));
  const Tokenizer without = make(std::move(no_ignore));
  CHECK(with.encode("abc") == std::vector<TokenId>{id_of(with, "abc")});
  CHECK(without.encode("abc") == std::vector<TokenId>{'a', 'b', 'c'});
}

TEST_CASE("bpe keeps every byte of invalid utf-8 input", "[engine][tokenizer]") {
  const Tokenizer t = make(byte_level_vocab({}, {}));
  const std::string bytes("a\xff\xc3 b\x80", 6);
  const auto ids = t.encode(bytes);
  CHECK(ids.size() == 6);
  CHECK(t.decode(ids) == bytes);
}

TEST_CASE("user-defined tokens are matched in text even without parse_special", "[engine][tokenizer]") {
  const Tokenizer t = make(byte_level_vocab({}, {}, PreTokenizerKind::kGpt2,
                                            {{"<tool>", TokenType::kUserDefined}, {"<|ctl|>", TokenType::kControl}}));
  const TokenId tool = t.find_token("<tool>");
  const TokenId ctl = t.find_token("<|ctl|>");
  CHECK(t.encode("a<tool>b") == std::vector<TokenId>{'a', tool, 'b'});
  // Control tokens are text unless parse_special.
  CHECK(t.encode("<|ctl|>").size() == 7);
  CHECK(t.encode("x<|ctl|>", EncodeOptions{.add_special = false, .parse_special = true}) == std::vector<TokenId>{'x', ctl});
  // Decoding hides control tokens unless asked to render them.
  CHECK(t.decode(std::vector<TokenId>{'x', ctl}) == "x");
  CHECK(t.decode(std::vector<TokenId>{'x', ctl}, DecodeOptions{.render_special = true}) == "x<|ctl|>");
}

TEST_CASE("longer special tokens take precedence over shorter overlapping ones", "[engine][tokenizer]") {
  const Tokenizer t = make(byte_level_vocab({}, {}, PreTokenizerKind::kGpt2,
                                            {{"ab", TokenType::kUserDefined}, {"bcd", TokenType::kUserDefined}}));
  // llama.cpp's order: "bcd" (longer) claims its text first, so "ab" no longer matches.
  CHECK(t.encode("abcd") == std::vector<TokenId>{'a', t.find_token("bcd")});
  CHECK(t.encode("abab") == std::vector<TokenId>{t.find_token("ab"), t.find_token("ab")});
}

TEST_CASE("bos and eos are added only as the vocab says", "[engine][tokenizer]") {
  Vocab v = byte_level_vocab({}, {}, PreTokenizerKind::kGpt2, {{"<s>", TokenType::kControl}, {"</s>", TokenType::kControl}});
  v.bos_id = static_cast<TokenId>(v.tokens.size() - 2);
  v.eos_id = static_cast<TokenId>(v.tokens.size() - 1);
  v.add_bos = true;
  Vocab no_bos = v;
  no_bos.add_bos = false;
  const Tokenizer t = make(std::move(v));
  CHECK(t.encode("a", EncodeOptions{.add_special = true}) == std::vector<TokenId>{t.bos(), 'a'});
  CHECK(t.encode("a") == std::vector<TokenId>{'a'});
  CHECK(make(std::move(no_bos)).encode("a", EncodeOptions{.add_special = true}) == std::vector<TokenId>{'a'});
  CHECK(t.is_end_of_generation(t.eos()));
  CHECK_FALSE(t.is_end_of_generation('a'));
}

TEST_CASE("invalid vocabs are rejected with the field named", "[engine][tokenizer]") {
  Vocab v = byte_level_vocab({}, {});
  v.scores = {1.0f};
  auto bad_scores = Tokenizer::create(v);
  REQUIRE_FALSE(bad_scores.ok());
  CHECK_THAT(bad_scores.status().message(), Catch::Contains("scores"));
  Vocab w = byte_level_vocab({}, {});
  w.eos_id = 100000;
  auto bad_eos = Tokenizer::create(w);
  REQUIRE_FALSE(bad_eos.ok());
  CHECK_THAT(bad_eos.status().message(), Catch::Contains("eos"));
  Vocab m = byte_level_vocab({}, {});
  m.merges.push_back("nospace");
  auto bad_merge = Tokenizer::create(m);
  REQUIRE_FALSE(bad_merge.ok());
  CHECK_THAT(bad_merge.status().message(), Catch::Contains("merge 0"));
}

}  // namespace reval::tokenizer
