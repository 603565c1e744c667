// Streaming decode: characters split across tokens are held back until complete.
#include <catch2/catch.hpp>

#include "engine/tokenizer/stream_decoder.h"
#include "tests/engine/tokenizer/tiny_vocabs.h"

namespace reval::tokenizer {

TEST_CASE("complete_utf8_prefix holds back only unfinished sequences", "[engine][tokenizer]") {
  CHECK(complete_utf8_prefix("abc") == 3);
  CHECK(complete_utf8_prefix("ab\xE2\x82") == 2);       // € missing its last byte
  CHECK(complete_utf8_prefix("ab\xE2\x82\xAC") == 5);   // € complete
  CHECK(complete_utf8_prefix("a\xF0\x9F\x98") == 1);    // 4-byte emoji missing a byte
  CHECK(complete_utf8_prefix("a\x80") == 2);            // stray continuation: passed through
  CHECK(complete_utf8_prefix("a\xFF") == 2);            // never valid
  CHECK(complete_utf8_prefix("a\xE0\x80") == 3);        // E0 80 can never complete (overlong)
}

TEST_CASE("stream decoder emits multi-byte characters once their last byte arrives", "[engine][tokenizer]") {
  auto t = Tokenizer::create(test_vocabs::byte_level_vocab({}, {}));
  REQUIRE(t.ok());
  const std::string text = "a\xE2\x82\xAC" "b\xF0\x9F\x98\x80";
  const std::vector<TokenId> ids = t->encode(text);
  REQUIRE(ids.size() == 9);  // one token per byte: characters arrive in pieces
  StreamDecoder decoder(*t);
  std::vector<std::string> chunks;
  for (const TokenId id : ids) chunks.push_back(decoder.push(id));
  CHECK(chunks == std::vector<std::string>{"a", "", "", "\xE2\x82\xAC", "b", "", "", "", "\xF0\x9F\x98\x80"});
  CHECK(decoder.flush().empty());
}

TEST_CASE("stream decoder flushes an unfinished character at the end", "[engine][tokenizer]") {
  auto t = Tokenizer::create(test_vocabs::byte_level_vocab({}, {}));
  REQUIRE(t.ok());
  StreamDecoder decoder(*t);
  CHECK(decoder.push('x').size() == 1);
  CHECK(decoder.push(0xE2).empty());
  CHECK(decoder.flush() == "\xE2");
}

}  // namespace reval::tokenizer
