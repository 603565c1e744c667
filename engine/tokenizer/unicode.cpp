#include "engine/tokenizer/unicode.h"

#include <string>
#include <unordered_map>
#include <vector>

#include "engine/tokenizer/unicode_table_data.h"

namespace reval::tokenizer {
namespace {

constexpr std::uint32_t kMaxCodepoint = 0x10FFFF;
constexpr std::uint32_t kReplacement = 0xFFFD;

// Two-level lookup built from the range table: 4352 pages of 256 codepoints; identical pages are
// shared, so the whole table is ~100 KB and a lookup is two loads.
class CodepointTable {
 public:
  CodepointTable() {
    std::vector<std::uint8_t> page(256);
    std::size_t range = 0;
    for (std::uint32_t page_start = 0; page_start <= kMaxCodepoint; page_start += 256) {
      for (std::uint32_t i = 0; i < 256; ++i) {
        const std::uint32_t cp = page_start + i;
        while (range + 1 < internal::kUnicodeRangeCount && internal::kUnicodeRanges[range + 1].first <= cp) {
          ++range;
        }
        page[i] = internal::kUnicodeRanges[range].code;
      }
      page_index_.push_back(intern_page(page));
    }
  }

  std::uint8_t code(std::uint32_t cp) const {
    if (cp > kMaxCodepoint) return 0;
    return pages_[static_cast<std::size_t>(page_index_[cp >> 8]) * 256 + (cp & 0xFF)];
  }

 private:
  std::uint16_t intern_page(const std::vector<std::uint8_t>& page) {
    std::string key(page.begin(), page.end());
    const auto [it, inserted] = page_ids_.try_emplace(std::move(key), static_cast<std::uint16_t>(pages_.size() / 256));
    if (inserted) pages_.insert(pages_.end(), page.begin(), page.end());
    return it->second;
  }

  std::vector<std::uint8_t> pages_;
  std::vector<std::uint16_t> page_index_;
  std::unordered_map<std::string, std::uint16_t> page_ids_;
};

const CodepointTable& codepoint_table() {
  static const CodepointTable table;
  return table;
}

// GPT-2's bytes_to_unicode(): bytes that are printable Latin-1 ('!'..'~', U+00A1..U+00AC,
// U+00AE..U+00FF) stand for themselves; the other 68 bytes, in increasing order, get U+0100 + n.
struct ByteLevelTables {
  std::array<std::string, 256> alphabet;
  std::array<std::int16_t, 512> byte_of_cp{};  // codepoints < 512 -> byte, -1 if not in the alphabet

  ByteLevelTables() {
    byte_of_cp.fill(-1);
    std::uint32_t next_extra = 0;
    for (std::uint32_t b = 0; b < 256; ++b) {
      const bool printable = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE);
      const std::uint32_t cp = printable ? b : 0x100 + next_extra++;
      append_utf8(alphabet[b], cp);
      byte_of_cp[cp] = static_cast<std::int16_t>(b);
    }
  }
};

const ByteLevelTables& byte_level_tables() {
  static const ByteLevelTables tables;
  return tables;
}

}  // namespace

CodepointInfo codepoint_info(std::uint32_t cp) {
  if (cp < 0x80) {
    // ASCII fast path without the table's static-initialization guard on the hot loop.
    static const std::array<std::uint8_t, 128> ascii = [] {
      std::array<std::uint8_t, 128> codes{};
      for (std::uint32_t c = 0; c < 128; ++c) codes[c] = codepoint_table().code(c);
      return codes;
    }();
    return CodepointInfo{ascii[cp]};
  }
  return CodepointInfo{codepoint_table().code(cp)};
}

std::string_view unicode_table_version() { return internal::kUnicodeVersion; }

std::size_t utf8_sequence_length(std::uint8_t lead) {
  if (lead < 0x80) return 1;
  if (lead < 0xC2) return 0;  // continuation byte, or an overlong 2-byte lead (C0, C1)
  if (lead < 0xE0) return 2;
  if (lead < 0xF0) return 3;
  if (lead < 0xF5) return 4;
  return 0;
}

Utf8Char decode_utf8(std::string_view text, std::size_t pos) {
  const auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(text[i]); };
  const std::uint8_t lead = byte(pos);
  if (lead < 0x80) return Utf8Char{lead, 1, true};
  const std::size_t length = utf8_sequence_length(lead);
  const Utf8Char invalid{kReplacement, 1, false};
  if (length == 0 || pos + length > text.size()) return invalid;
  std::uint32_t cp = lead & (0x7F >> length);
  for (std::size_t i = 1; i < length; ++i) {
    const std::uint8_t b = byte(pos + i);
    if ((b & 0xC0) != 0x80) return invalid;
    cp = (cp << 6) | (b & 0x3F);
  }
  static constexpr std::uint32_t kMinForLength[5] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMinForLength[length] || cp > kMaxCodepoint || (cp >= 0xD800 && cp <= 0xDFFF)) return invalid;
  return Utf8Char{cp, static_cast<std::uint32_t>(length), true};
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

const std::array<std::string, 256>& byte_level_alphabet() { return byte_level_tables().alphabet; }

void byte_level_encode(std::string_view bytes, std::string& out) {
  const auto& alphabet = byte_level_tables().alphabet;
  for (const char c : bytes) out += alphabet[static_cast<std::uint8_t>(c)];
}

bool byte_level_decode(std::string_view text, std::string& out) {
  const auto& tables = byte_level_tables();
  bool ok = true;
  for (std::size_t pos = 0; pos < text.size();) {
    const Utf8Char ch = decode_utf8(text, pos);
    if (ch.valid && ch.cp < tables.byte_of_cp.size() && tables.byte_of_cp[ch.cp] >= 0) {
      out.push_back(static_cast<char>(tables.byte_of_cp[ch.cp]));
    } else {
      out.append(text.substr(pos, ch.length));
      ok = false;
    }
    pos += ch.length;
  }
  return ok;
}

}  // namespace reval::tokenizer
