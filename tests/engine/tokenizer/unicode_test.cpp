// Unicode tables and UTF-8 helpers.
#include <catch2/catch.hpp>

#include "engine/tokenizer/unicode.h"

namespace reval::tokenizer {

TEST_CASE("codepoint classes follow the Unicode general categories", "[engine][tokenizer]") {
  CHECK(codepoint_info('a').is_letter());
  CHECK(codepoint_info(0x4E00).is_letter());   // CJK ideograph (Lo)
  CHECK(codepoint_info('7').is_number());
  CHECK(codepoint_info(0x00BD).is_number());   // VULGAR FRACTION ONE HALF (No)
  CHECK(codepoint_info(0x0301).is_mark());     // COMBINING ACUTE ACCENT
  CHECK(codepoint_info('!').is_punctuation());
  CHECK(codepoint_info('+').cls() == CodepointClass::kSymbol);
  CHECK(codepoint_info(0x1F600).cls() == CodepointClass::kSymbol);  // emoji (So)
  CHECK(codepoint_info(0x0378).cls() == CodepointClass::kOther);    // unassigned
  CHECK(codepoint_info(0x110000).cls() == CodepointClass::kOther);
}

TEST_CASE("whitespace is the White_Space property", "[engine][tokenizer]") {
  for (const std::uint32_t cp : {0x09u, 0x0Au, 0x0Du, 0x20u, 0x85u, 0xA0u, 0x2009u, 0x3000u}) {
    INFO(cp);
    CHECK(codepoint_info(cp).is_whitespace());
  }
  CHECK_FALSE(codepoint_info(0x200B).is_whitespace());  // ZERO WIDTH SPACE is not White_Space
  CHECK_FALSE(codepoint_info('x').is_whitespace());
}

TEST_CASE("utf-8 decoding reports invalid bytes one at a time", "[engine][tokenizer]") {
  const std::string text = "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";
  CHECK(decode_utf8(text, 0).cp == 0xE9);
  CHECK(decode_utf8(text, 2).cp == 0x20AC);
  CHECK(decode_utf8(text, 5).cp == 0x1F600);
  for (const std::string bad : {"\x80", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE2\x82"}) {
    const Utf8Char ch = decode_utf8(bad, 0);
    CHECK_FALSE(ch.valid);
    CHECK(ch.length == 1);
  }
  std::string out;
  append_utf8(out, 0x1F600);
  CHECK(out == "\xF0\x9F\x98\x80");
}

TEST_CASE("the byte-level alphabet is GPT-2's and round-trips every byte", "[engine][tokenizer]") {
  const auto& alphabet = byte_level_alphabet();
  CHECK(alphabet[' '] == "\xC4\xA0");   // U+0120 'Ġ'
  CHECK(alphabet['\n'] == "\xC4\x8A");  // U+010A 'Ċ'
  CHECK(alphabet['A'] == "A");
  CHECK(alphabet[0xAD] == "\xC5\x83");  // soft hyphen is the 68th remapped byte: U+0143
  std::string all;
  for (int b = 0; b < 256; ++b) all.push_back(static_cast<char>(b));
  std::string encoded;
  byte_level_encode(all, encoded);
  std::string decoded;
  CHECK(byte_level_decode(encoded, decoded));
  CHECK(decoded == all);
}

}  // namespace reval::tokenizer
