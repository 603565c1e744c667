#include "engine/tokenizer/stream_decoder.h"

#include "engine/tokenizer/unicode.h"

namespace reval::tokenizer {

std::size_t complete_utf8_prefix(std::string_view bytes) {
  const std::size_t n = bytes.size();
  // Only the last three bytes can belong to an unfinished sequence (at most 4 bytes long).
  for (std::size_t back = 1; back <= 3 && back <= n; ++back) {
    const auto byte = static_cast<std::uint8_t>(bytes[n - back]);
    if ((byte & 0xC0) == 0x80) continue;  // continuation byte: keep looking for its lead
    const std::size_t length = utf8_sequence_length(byte);
    if (length > back) {
      // Hold back only if what is there so far could still become valid: check the second byte's
      // range for the leads whose second byte is restricted (E0, ED, F0, F4).
      if (back >= 2) {
        const auto second = static_cast<std::uint8_t>(bytes[n - back + 1]);
        const bool bad = (byte == 0xE0 && second < 0xA0) || (byte == 0xED && second > 0x9F) ||
                         (byte == 0xF0 && second < 0x90) || (byte == 0xF4 && second > 0x8F);
        if (bad) return n;
      }
      return n - back;
    }
    return n;
  }
  return n;
}

std::string StreamDecoder::push(TokenId id) {
  pending_.append(tokenizer_->token_to_piece(id, render_special_));
  const std::size_t ready = complete_utf8_prefix(pending_);
  std::string out = pending_.substr(0, ready);
  pending_.erase(0, ready);
  return out;
}

std::string StreamDecoder::flush() {
  std::string out;
  out.swap(pending_);
  return out;
}

}  // namespace reval::tokenizer
