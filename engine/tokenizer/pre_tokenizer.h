// Pre-tokenizers: split raw text into the words BPE runs on, reproducing the splitting regexes of the
// HF tokenizers (and llama.cpp's conversion of them) with hand-written scanners over Unicode classes,
// since RE2 has neither lookahead nor the needed semantics. Thread-safe (no shared mutable state).
//
// Semantics: a regex step finds matches leftmost-first, non-overlapping, like a regex iterator; the
// matches and the unmatched text between them all become words. Steps of a multi-regex pre-tokenizer
// (DeepSeek) apply in turn to every word of the previous step. Invalid UTF-8 bytes are kept as
// one-byte characters classified like U+FFFD (a symbol), so every byte of the input ends up in a word.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "engine/tokenizer/vocab.h"

namespace reval::tokenizer {

// Byte range [begin, end) of one word inside the text given to split_words.
struct WordSpan {
  std::size_t begin = 0;
  std::size_t end = 0;
};

// Appends the words of `text` (in order, covering all of it) to `words`.
// Precondition: kind != kNone.
void split_words(PreTokenizerKind kind, std::string_view text, std::vector<WordSpan>& words);

}  // namespace reval::tokenizer
