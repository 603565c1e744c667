// StreamDecoder: turns generated tokens into text as they arrive. A token may end in the middle of a
// UTF-8 character (byte-level BPE splits characters across tokens; SPM emits <0xNN> byte tokens), so
// bytes of an incomplete trailing sequence are held back until the next token completes it. Bytes
// that can never become valid UTF-8 are passed through unchanged, so the concatenated output is
// always exactly decode(all tokens). Not thread-safe: one decoder per sequence.
#pragma once

#include <string>

#include "engine/tokenizer/tokenizer.h"

namespace reval::tokenizer {

class StreamDecoder {
 public:
  // `tokenizer` must outlive the decoder.
  explicit StreamDecoder(const Tokenizer& tokenizer, bool render_special = false)
      : tokenizer_(&tokenizer), render_special_(render_special) {}

  // Adds one token; returns the text that is now complete (possibly empty).
  std::string push(TokenId id);
  // Returns whatever is held back (an incomplete sequence at the end of the stream) and resets.
  std::string flush();

 private:
  const Tokenizer* tokenizer_;
  bool render_special_;
  std::string pending_;
};

// The length of the longest prefix of `bytes` that does not end inside an incomplete (but so far
// valid) UTF-8 sequence.
std::size_t complete_utf8_prefix(std::string_view bytes);

}  // namespace reval::tokenizer
