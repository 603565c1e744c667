// Pre-tokenizer scanners against what their regexes match.
#include <catch2/catch.hpp>

#include "engine/tokenizer/pre_tokenizer.h"

namespace reval::tokenizer {
namespace {

std::vector<std::string> words(PreTokenizerKind kind, std::string_view text) {
  std::vector<WordSpan> spans;
  split_words(kind, text, spans);
  std::vector<std::string> out;
  std::size_t expected_begin = 0;
  for (const WordSpan& w : spans) {
    CHECK(w.begin == expected_begin);  // words tile the text
    expected_begin = w.end;
    out.emplace_back(text.substr(w.begin, w.end - w.begin));
  }
  CHECK(expected_begin == text.size());
  return out;
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("gpt2 pre-tokenizer splits words, numbers, contractions and spaces", "[engine][tokenizer]") {
  const auto k = PreTokenizerKind::kGpt2;
  CHECK(words(k, "Hello world") == V{"Hello", " world"});
  CHECK(words(k, "it's 2024!!") == V{"it", "'s", " 2024", "!!"});
  CHECK(words(k, "IT'S") == V{"IT", "'", "S"});  // contractions are lower-case only in GPT-2
  CHECK(words(k, "a   b") == V{"a", "  ", " b"});
  CHECK(words(k, "a \n") == V{"a", " \n"});
  CHECK(words(k, "x\ty") == V{"x", "\t", "y"});
}

TEST_CASE("llama3 pre-tokenizer groups digits by three and keeps newlines apart", "[engine][tokenizer]") {
  const auto k = PreTokenizerKind::kLlama3;
  CHECK(words(k, "12345") == V{"123", "45"});
  CHECK(words(k, "I'LL go") == V{"I", "'LL", " go"});
  CHECK(words(k, "(word) x") == V{"(word", ")", " x"});
  CHECK(words(k, "a\n\n  b") == V{"a", "\n\n", " ", " b"});
  CHECK(words(k, "x;\n\ny") == V{"x", ";\n\n", "y"});
  CHECK(words(k, "end   ") == V{"end", "   "});
}

TEST_CASE("qwen2 pre-tokenizer splits every digit", "[engine][tokenizer]") {
  CHECK(words(PreTokenizerKind::kQwen2, "x=2024") == V{"x", "=", "2", "0", "2", "4"});
  CHECK(words(PreTokenizerKind::kQwen2, "\\frac{1}{2}") == V{"\\frac", "{", "1", "}{", "2", "}"});
}

TEST_CASE("qwen35 pre-tokenizer keeps combining marks inside words", "[engine][tokenizer]") {
  const std::string decomposed = "cafe\xCC\x81 ok";  // e + U+0301 COMBINING ACUTE ACCENT
  CHECK(words(PreTokenizerKind::kQwen35, decomposed) == V{"cafe\xCC\x81", " ok"});
  CHECK(words(PreTokenizerKind::kQwen2, decomposed) == V{"cafe", "\xCC\x81", " ok"});
}

TEST_CASE("deepseek-llm pre-tokenizer applies its regexes in sequence", "[engine][tokenizer]") {
  const auto k = PreTokenizerKind::kDeepSeekLlm;
  CHECK(words(k, "Hello world") == V{"Hello", " world"});
  // The letter regex keeps "\xC3\x80" + "B" together, the punctuation regex (whose class :-~ holds
  // ASCII letters) then splits them.
  CHECK(words(k, "\xC3\x80" "B") == V{"\xC3\x80", "B"});
  CHECK(words(k, "a\nb") == V{"a", "\n", "b"});
  CHECK(words(k, "x 123") == V{"x", " ", "123"});
  CHECK(words(k, "\xE4\xBD\xA0\xE5\xA5\xBD") == V{"\xE4\xBD\xA0\xE5\xA5\xBD"});  // one CJK run
}

TEST_CASE("deepseek-coder pre-tokenizer splits single digits and punctuation runs", "[engine][tokenizer]") {
  const auto k = PreTokenizerKind::kDeepSeekCoder;
  CHECK(words(k, "x = 42;") == V{"x", " = ", "4", "2", ";"});  // "=" is a symbol, not \p{P}
  CHECK(words(k, " foo.bar()") == V{" foo", ".", "bar", "()"});
}

TEST_CASE("pre-tokenizers never drop bytes of invalid utf-8", "[engine][tokenizer]") {
  const std::string bytes("ab\xff\xfe cd\xe2\x82", 9);
  for (const auto k : {PreTokenizerKind::kGpt2, PreTokenizerKind::kLlama3, PreTokenizerKind::kQwen2,
                       PreTokenizerKind::kQwen35, PreTokenizerKind::kDeepSeekLlm, PreTokenizerKind::kDeepSeekCoder}) {
    words(k, bytes);  // checks that the words tile the input
  }
}

}  // namespace reval::tokenizer
