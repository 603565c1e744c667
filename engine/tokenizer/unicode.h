// Unicode facts the tokenizers need: UTF-8 decoding that never fails (invalid bytes are reported, not
// thrown), the general-category class and White_Space property of a codepoint (from the generated
// table in unicode_table_data.cpp), and GPT-2's byte <-> printable-codepoint mapping used by byte-level
// BPE vocabularies. All functions are thread-safe; the lookup tables are built once on first use.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace reval::tokenizer {

// Unicode general category, by its first letter (Lu/Ll/Lt/Lm/Lo -> kLetter, ...). kOther covers
// Cc/Cf/Cs/Co/Cn (control, format, surrogate, private use, unassigned).
enum class CodepointClass : std::uint8_t {
  kOther = 0,
  kLetter = 1,
  kMark = 2,
  kNumber = 3,
  kPunctuation = 4,
  kSymbol = 5,
  kSeparator = 6,
};

// Class and White_Space of one codepoint, packed in one byte for fast scanning.
struct CodepointInfo {
  std::uint8_t code = 0;

  CodepointClass cls() const { return static_cast<CodepointClass>(code & 0x7F); }
  bool is_whitespace() const { return (code & 0x80) != 0; }
  bool is_letter() const { return cls() == CodepointClass::kLetter; }
  bool is_mark() const { return cls() == CodepointClass::kMark; }
  bool is_number() const { return cls() == CodepointClass::kNumber; }
  bool is_punctuation() const { return cls() == CodepointClass::kPunctuation; }
};

// The info of `cp`; codepoints above U+10FFFF are kOther.
CodepointInfo codepoint_info(std::uint32_t cp);

// Version of the Unicode Character Database the table was generated from ("14.0.0").
std::string_view unicode_table_version();

// One decoded UTF-8 sequence. An invalid or truncated sequence decodes as one byte (length 1) with
// valid == false and cp == U+FFFD, so callers can keep the raw byte and still classify it.
struct Utf8Char {
  std::uint32_t cp = 0;
  std::uint32_t length = 1;
  bool valid = true;
};

// Decodes the sequence starting at text[pos]; precondition pos < text.size(). Overlong forms,
// surrogates and values above U+10FFFF are invalid.
Utf8Char decode_utf8(std::string_view text, std::size_t pos);

// The length a sequence starting with `lead` announces: 1 for ASCII, 2-4 for a valid lead byte,
// 0 for a continuation byte or a byte that can never start a sequence.
std::size_t utf8_sequence_length(std::uint8_t lead);

// Appends the UTF-8 encoding of `cp` (precondition: cp <= U+10FFFF, not a surrogate).
void append_utf8(std::string& out, std::uint32_t cp);

// GPT-2 byte-level alphabet: each byte is shown as one printable codepoint (printable Latin-1 bytes
// map to themselves, the rest to U+0100 + n), stored as its UTF-8 text.
const std::array<std::string, 256>& byte_level_alphabet();

// Appends the byte-level encoding of `bytes` (each byte -> its alphabet codepoint).
void byte_level_encode(std::string_view bytes, std::string& out);

// Appends the bytes a byte-level token text stands for. A codepoint outside the alphabet is copied
// as its own UTF-8 bytes, and the result is false.
bool byte_level_decode(std::string_view text, std::string& out);

}  // namespace reval::tokenizer
