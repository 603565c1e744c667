// The generated Unicode range table (engine/tokenizer/unicode_table_data.cpp, made by
// scripts/gen_unicode_table.py). Use engine/tokenizer/unicode.h instead of reading it directly.
#pragma once

#include <cstddef>
#include <cstdint>

namespace reval::tokenizer::internal {

struct UnicodeRange {
  std::uint32_t first;  // first codepoint of the run; the run ends where the next entry starts
  std::uint8_t code;    // CodepointClass value | kWhitespaceBit
};

inline constexpr std::uint8_t kWhitespaceBit = 0x80;

extern const char* const kUnicodeVersion;
extern const UnicodeRange kUnicodeRanges[];
extern const std::size_t kUnicodeRangeCount;

}  // namespace reval::tokenizer::internal
