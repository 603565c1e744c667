#include "engine/tokenizer/pre_tokenizer.h"

#include <array>
#include <cstdint>
#include <iterator>

#include "common/check.h"
#include "engine/tokenizer/unicode.h"

namespace reval::tokenizer {
namespace {

// The text decoded once: per character its codepoint, class code and byte offset.
struct Chars {
  std::vector<std::uint32_t> cp;
  std::vector<CodepointInfo> info;
  std::vector<std::uint32_t> offset;  // offset[size()] == text size

  std::size_t size() const { return cp.size(); }
  bool ws(std::size_t i) const { return info[i].is_whitespace(); }
  bool letter(std::size_t i) const { return info[i].is_letter(); }
  bool number(std::size_t i) const { return info[i].is_number(); }
  bool mark(std::size_t i) const { return info[i].is_mark(); }
  bool newline(std::size_t i) const { return cp[i] == '\r' || cp[i] == '\n'; }

  void assign(std::string_view text) {
    cp.clear();
    info.clear();
    offset.clear();
    for (std::size_t pos = 0; pos < text.size();) {
      const Utf8Char ch = decode_utf8(text, pos);
      cp.push_back(ch.cp);
      info.push_back(codepoint_info(ch.cp));
      offset.push_back(static_cast<std::uint32_t>(pos));
      pos += ch.length;
    }
    offset.push_back(static_cast<std::uint32_t>(text.size()));
  }
};

struct CharRange {
  std::size_t begin;
  std::size_t end;
};

template <typename Pred>
std::size_t run_end(std::size_t p, std::size_t end, Pred pred) {
  while (p < end && pred(p)) ++p;
  return p;
}

std::uint32_t ascii_lower(std::uint32_t cp) { return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp; }

// '(s|t|re|ve|m|ll|d), ASCII case-insensitive when `any_case` (Llama 3 / Qwen) or lower-case only (GPT-2).
std::size_t match_contraction(const Chars& c, std::size_t p, std::size_t end, bool any_case) {
  if (c.cp[p] != '\'' || p + 1 >= end) return 0;
  const auto norm = [&](std::size_t i) { return any_case ? ascii_lower(c.cp[i]) : c.cp[i]; };
  const std::uint32_t a = norm(p + 1);
  if (a == 's' || a == 't' || a == 'm' || a == 'd') return 2;
  if (p + 2 >= end) return 0;
  const std::uint32_t b = norm(p + 2);
  if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) return 3;
  return 0;
}

// Whitespace alternatives at p: [\s*[\r\n]+ |] \s+(?!\S) [| \s+].
std::size_t match_whitespace(const Chars& c, std::size_t p, std::size_t end, bool newline_rule,
                             bool plain_fallback) {
  if (!c.ws(p)) return 0;
  std::size_t q = p;
  std::size_t after_last_newline = 0;
  for (; q < end && c.ws(q); ++q) {
    if (c.newline(q)) after_last_newline = q + 1;
  }
  if (newline_rule && after_last_newline != 0) return after_last_newline - p;
  if (q == end) return q - p;          // \s+ up to the end: the lookahead (?!\S) holds
  if (q - p > 1) return q - p - 1;     // leave the last space to prefix the next word
  return plain_fallback ? 1 : 0;
}

// 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)
std::size_t match_gpt2(const Chars& c, std::size_t p, std::size_t end) {
  if (std::size_t n = match_contraction(c, p, end, false)) return n;
  const std::size_t q = (c.cp[p] == ' ' && p + 1 < end) ? p + 1 : p;
  for (const std::size_t start : {q, p}) {
    if (c.letter(start)) return run_end(start, end, [&](std::size_t i) { return c.letter(i); }) - p;
    if (c.number(start)) return run_end(start, end, [&](std::size_t i) { return c.number(i); }) - p;
    const auto other = [&](std::size_t i) { return !c.ws(i) && !c.letter(i) && !c.number(i); };
    if (other(start)) return run_end(start, end, other) - p;
    if (start == p) break;
  }
  return match_whitespace(c, p, end, false, false);
}

// Llama 3 / Qwen2 / Qwen3.5:
// (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?LETTERS+|\p{N}{1,max_digits}| ?[^\s\p{L}\p{N}]+[\r\n]*|
// \s*[\r\n]+|\s+(?!\S)|\s+ where LETTERS is \p{L}, or [\p{L}\p{M}] when `marks` (Qwen3.5, which also
// excludes \p{M} from the punctuation class).
std::size_t match_llama3_family(const Chars& c, std::size_t p, std::size_t end, std::size_t max_digits,
                                bool marks) {
  if (std::size_t n = match_contraction(c, p, end, true)) return n;
  const auto letterish = [&](std::size_t i) { return c.letter(i) || (marks && c.mark(i)); };
  if (letterish(p)) return run_end(p, end, letterish) - p;
  if (!c.newline(p) && !c.number(p) && p + 1 < end && letterish(p + 1)) {
    return run_end(p + 1, end, letterish) - p;
  }
  if (c.number(p)) {
    const std::size_t limit = std::min(end, p + max_digits);
    return run_end(p, limit, [&](std::size_t i) { return c.number(i); }) - p;
  }
  const auto other = [&](std::size_t i) { return !c.ws(i) && !letterish(i) && !c.number(i); };
  const std::size_t q = (c.cp[p] == ' ' && p + 1 < end && other(p + 1)) ? p + 1 : p;
  if (other(q)) {
    const std::size_t after = run_end(q, end, other);
    return run_end(after, end, [&](std::size_t i) { return c.newline(i); }) - p;
  }
  return match_whitespace(c, p, end, true, true);
}

// --- DeepSeek steps (each one regex of the tokenizer's Sequence of Split pre-tokenizers) ---

struct CodepointSpan {
  std::uint32_t first;
  std::uint32_t last;
};

template <std::size_t N>
bool in_spans(const CodepointSpan (&spans)[N], std::uint32_t cp) {
  for (const auto& s : spans) {
    if (cp >= s.first && cp <= s.last) return true;
  }
  return false;
}

// DeepSeek LLM's letter class, transcribed from its tokenizer.json regex
// \s?[A-Za-zµÀ-ÖØ-öø-ƺƼ-ƿǄ-ʓʕ-ʯͰ-ͳͶͷͻ-ͽͿΆΈ-ΊΌΎ-ΡΣ-ϵϷ-ҁҊ-ԯԱ-ՖႠ-ჅᎠ-Ᏽᏸ-ᏽᲐ-ᲺᲽ-Ჿᴀ-ᴫᵫ-ᵷᵹ-ᶚḀ-ἕ...]+
constexpr CodepointSpan kDeepSeekLetters[] = {
    {0x41, 0x5A}, {0x61, 0x7A}, {0xB5, 0xB5}, {0xC0, 0xD6}, {0xD8, 0xF6}, {0xF8, 0x1BA}, {0x1BC, 0x1BF},
    {0x1C4, 0x293}, {0x295, 0x2AF}, {0x370, 0x373}, {0x376, 0x377}, {0x37B, 0x37D}, {0x37F, 0x37F},
    {0x386, 0x386}, {0x388, 0x38A}, {0x38C, 0x38C}, {0x38E, 0x3A1}, {0x3A3, 0x3F5}, {0x3F7, 0x481},
    {0x48A, 0x52F}, {0x531, 0x556}, {0x10A0, 0x10C5}, {0x13A0, 0x13F5}, {0x13F8, 0x13FD},
    {0x1C90, 0x1CBA}, {0x1CBD, 0x1CBF}, {0x1D00, 0x1D2B}, {0x1D6B, 0x1D77}, {0x1D79, 0x1D9A},
    {0x1E00, 0x1F15}, {0x1F18, 0x1F1D}, {0x1F20, 0x1F45}, {0x1F48, 0x1F4D}, {0x1F50, 0x1F57},
    {0x1F59, 0x1F59}, {0x1F5B, 0x1F5B}, {0x1F5D, 0x1F5D}, {0x1F5F, 0x1F7D}, {0x1F80, 0x1FB4},
    {0x1FB6, 0x1FBC}, {0x1FBE, 0x1FBE}, {0x1FC2, 0x1FC4}, {0x1FC6, 0x1FCC}, {0x1FD0, 0x1FD3},
    {0x1FD6, 0x1FDB}, {0x1FE0, 0x1FEC}, {0x1FF2, 0x1FF4}, {0x1FF6, 0x1FFC}, {0x2102, 0x2102},
    {0x2107, 0x2107}, {0x210A, 0x2113}, {0x2115, 0x2115}, {0x2119, 0x211D}, {0x2124, 0x2124},
    {0x2126, 0x2126}, {0x2128, 0x2128}, {0x212A, 0x212D}, {0x212F, 0x2134}, {0x2139, 0x2139},
    {0x213C, 0x213F}, {0x2145, 0x2149}, {0x214E, 0x214E}, {0x2183, 0x2184}, {0x2C00, 0x2C7B},
    {0x2C7E, 0x2CE4}, {0x2CEB, 0x2CEE}, {0x2CF2, 0x2CF3}, {0xA640, 0xA66D}, {0xA680, 0xA69B},
    {0xA722, 0xA76F}, {0xA771, 0xA787}, {0xA78B, 0xA78E}, {0xAB70, 0xABBF}, {0xFB00, 0xFB06},
    {0xFB13, 0xFB17}, {0xFF21, 0xFF3A}, {0xFF41, 0xFF5A}, {0x10400, 0x1044F}, {0x104B0, 0x104D3},
    {0x104D8, 0x104FB}, {0x10C80, 0x10CB2}, {0x10CC0, 0x10CF2}, {0x118A0, 0x118DF}, {0x1E900, 0x1E943},
};

// \s?[!-/:-~！-／：-～‘-‟　-。]+
constexpr CodepointSpan kDeepSeekPunctuation[] = {
    {0x21, 0x2F}, {0x3A, 0x7E}, {0xFF01, 0xFF0F}, {0xFF1A, 0xFF5E}, {0x2018, 0x201F}, {0x3000, 0x3002},
};

// [一-龥ࠀ-一가-퟿]+
constexpr CodepointSpan kDeepSeekCjk[] = {{0x4E00, 0x9FA5}, {0x0800, 0x4E00}, {0xAC00, 0xD7FF}};

// An explicit character class, with ASCII membership precomputed (most text is ASCII).
template <std::size_t N>
class ExplicitClass {
 public:
  explicit ExplicitClass(const CodepointSpan (&spans)[N]) : spans_(spans) {
    for (std::uint32_t cp = 0; cp < 0x80; ++cp) ascii_[cp] = in_spans(spans, cp);
  }
  // Membership as llama.cpp evaluates it: non-ASCII whitespace is first replaced by U+000B, so it
  // never falls in a class of printable ranges (U+3000 in the punctuation class).
  bool contains(const Chars& c, std::size_t i) const {
    const std::uint32_t cp = c.cp[i];
    if (cp < 0x80) return ascii_[cp];
    return !c.ws(i) && in_spans(spans_, cp);
  }

 private:
  const CodepointSpan (&spans_)[N];
  std::array<bool, 0x80> ascii_{};
};

const ExplicitClass<std::size(kDeepSeekLetters)> kLetterClass(kDeepSeekLetters);
const ExplicitClass<std::size(kDeepSeekPunctuation)> kPunctuationClass(kDeepSeekPunctuation);
const ExplicitClass<std::size(kDeepSeekCjk)> kCjkClass(kDeepSeekCjk);

// \s?X+ for a class predicate X that never contains whitespace.
template <typename Pred>
std::size_t match_optional_space_run(const Chars& c, std::size_t p, std::size_t end, Pred x) {
  const std::size_t q = (c.ws(p) && p + 1 < end && x(p + 1)) ? p + 1 : p;
  if (!x(q)) return 0;
  return run_end(q, end, x) - p;
}

// Splits every range of `in` by `match` (leftmost-first matches and the gaps between them).
template <typename Match>
void apply_step(const std::vector<CharRange>& in, std::vector<CharRange>& out, Match match) {
  out.clear();
  for (const CharRange& range : in) {
    std::size_t gap_start = range.begin;
    for (std::size_t p = range.begin; p < range.end;) {
      const std::size_t n = match(p, range.end);
      if (n == 0) {
        ++p;
        continue;
      }
      if (gap_start < p) out.push_back({gap_start, p});
      out.push_back({p, p + n});
      p += n;
      gap_start = p;
    }
    if (gap_start < range.end) out.push_back({gap_start, range.end});
  }
}

void split_deepseek_llm(const Chars& c, std::vector<CharRange>& ranges, std::vector<CharRange>& tmp) {
  const auto newline = [&](std::size_t p, std::size_t) -> std::size_t { return c.newline(p) ? 1 : 0; };
  const auto letters = [&](std::size_t p, std::size_t end) {
    return match_optional_space_run(c, p, end, [&](std::size_t i) { return kLetterClass.contains(c, i); });
  };
  const auto punctuation = [&](std::size_t p, std::size_t end) {
    return match_optional_space_run(c, p, end,
                                    [&](std::size_t i) { return kPunctuationClass.contains(c, i); });
  };
  const auto trailing_space = [&](std::size_t p, std::size_t end) -> std::size_t {
    const std::size_t q = run_end(p, end, [&](std::size_t i) { return c.ws(i); });
    return (q == end && q > p) ? q - p : 0;  // \s+$
  };
  const auto cjk = [&](std::size_t p, std::size_t end) {
    return run_end(p, end, [&](std::size_t i) { return kCjkClass.contains(c, i); }) - p;
  };
  const auto digits = [&](std::size_t p, std::size_t end) {
    return run_end(p, end, [&](std::size_t i) { return c.number(i); }) - p;
  };
  apply_step(ranges, tmp, newline);
  apply_step(tmp, ranges, letters);
  apply_step(ranges, tmp, punctuation);
  apply_step(tmp, ranges, trailing_space);
  apply_step(ranges, tmp, cjk);
  apply_step(tmp, ranges, digits);
}

void split_deepseek_coder(const Chars& c, std::vector<CharRange>& ranges, std::vector<CharRange>& tmp) {
  const auto newline = [&](std::size_t p, std::size_t) -> std::size_t { return c.newline(p) ? 1 : 0; };
  const auto letters = [&](std::size_t p, std::size_t end) {
    return match_optional_space_run(c, p, end, [&](std::size_t i) { return c.letter(i); });
  };
  const auto punctuation = [&](std::size_t p, std::size_t end) {
    return match_optional_space_run(c, p, end, [&](std::size_t i) { return c.info[i].is_punctuation(); });
  };
  const auto cjk = [&](std::size_t p, std::size_t end) {
    return run_end(p, end, [&](std::size_t i) { return kCjkClass.contains(c, i); }) - p;
  };
  const auto digit = [&](std::size_t p, std::size_t) -> std::size_t { return c.number(p) ? 1 : 0; };
  apply_step(ranges, tmp, newline);
  apply_step(tmp, ranges, letters);
  apply_step(ranges, tmp, punctuation);
  apply_step(tmp, ranges, cjk);
  apply_step(ranges, tmp, digit);
  ranges.swap(tmp);
}

struct Scratch {
  Chars chars;
  std::vector<CharRange> ranges;
  std::vector<CharRange> tmp;
};

}  // namespace

void split_words(PreTokenizerKind kind, std::string_view text, std::vector<WordSpan>& words) {
  REVAL_CHECK(kind != PreTokenizerKind::kNone);
  if (text.empty()) return;
  thread_local Scratch scratch;
  Chars& c = scratch.chars;
  c.assign(text);
  auto& ranges = scratch.ranges;
  ranges.assign(1, CharRange{0, c.size()});
  switch (kind) {
    case PreTokenizerKind::kGpt2:
      apply_step(ranges, scratch.tmp, [&](std::size_t p, std::size_t end) { return match_gpt2(c, p, end); });
      ranges.swap(scratch.tmp);
      break;
    case PreTokenizerKind::kLlama3:
    case PreTokenizerKind::kQwen2:
    case PreTokenizerKind::kQwen35: {
      const std::size_t max_digits = kind == PreTokenizerKind::kLlama3 ? 3 : 1;
      const bool marks = kind == PreTokenizerKind::kQwen35;
      apply_step(ranges, scratch.tmp, [&](std::size_t p, std::size_t end) {
        return match_llama3_family(c, p, end, max_digits, marks);
      });
      ranges.swap(scratch.tmp);
      break;
    }
    case PreTokenizerKind::kDeepSeekLlm:
      split_deepseek_llm(c, ranges, scratch.tmp);
      break;
    case PreTokenizerKind::kDeepSeekCoder:
      split_deepseek_coder(c, ranges, scratch.tmp);
      break;
    case PreTokenizerKind::kNone:
      break;
  }
  for (const CharRange& r : ranges) words.push_back(WordSpan{c.offset[r.begin], c.offset[r.end]});
}

}  // namespace reval::tokenizer
