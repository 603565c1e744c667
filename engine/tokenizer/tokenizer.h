// Tokenizer: text <-> token ids for a GGUF vocab (byte-level BPE or SentencePiece-style), matching
// llama.cpp's tokenizer on the same file. Immutable after creation; copies share the tables;
// encode/decode are thread-safe.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "engine/tokenizer/vocab.h"

namespace reval::gguf {
class GgufFile;
}

namespace reval::tokenizer {

struct EncodeOptions {
  // Add BOS / EOS around the text as the vocab says (tokenizer.ggml.add_bos_token / add_eos_token).
  bool add_special = false;
  // Text spelling a control token ("<|im_start|>") becomes that token; otherwise it is tokenized as
  // text. User-defined tokens are matched either way.
  bool parse_special = false;
};

struct DecodeOptions {
  // Control and unknown tokens contribute their text; otherwise nothing.
  bool render_special = false;
  // SPM with a dummy prefix: drop the one space the encoder put before the first text, so that
  // decode(encode(x)) == x (for text without special tokens, and for SPM without a literal U+2581,
  // which SPM cannot tell from an escaped space). Off for streaming a continuation, whose leading
  // space is real.
  bool strip_dummy_prefix = false;
};

class Tokenizer {
 public:
  // Validates `vocab` and builds the lookup tables. Errors name the offending field or merge.
  static Result<Tokenizer> create(Vocab vocab);
  // Reads the vocab from GGUF metadata (see gguf_vocab.h) and builds the tokenizer.
  static Result<Tokenizer> from_gguf(const gguf::GgufFile& file);

  std::vector<TokenId> encode(std::string_view text, EncodeOptions options = {}) const;
  // Appends to `out`.
  void encode(std::string_view text, EncodeOptions options, std::vector<TokenId>& out) const;

  // The bytes token `id` stands for (may be an incomplete UTF-8 sequence). Control/unknown tokens
  // give "" unless render_special. Precondition: 0 <= id < n_vocab() (checked).
  std::string_view token_to_piece(TokenId id, bool render_special = false) const;
  std::string decode(std::span<const TokenId> ids, DecodeOptions options = {}) const;

  const Vocab& vocab() const;
  std::int32_t n_vocab() const;
  // The stored text of a token (byte-level or U+2581-escaped), for display.
  const std::string& token_text(TokenId id) const;
  // The id of a token with exactly this stored text, or kNoToken.
  TokenId find_token(std::string_view text) const;

  TokenId bos() const { return vocab().bos_id; }
  TokenId eos() const { return vocab().eos_id; }
  TokenId eot() const { return vocab().eot_id; }
  bool add_bos() const { return vocab().add_bos; }
  // End-of-generation: EOS, EOT, EOM and the tokens whose text marks an end of turn.
  bool is_end_of_generation(TokenId id) const;
  const std::vector<TokenId>& end_of_generation_tokens() const;
  bool is_control(TokenId id) const;

 private:
  struct Impl;
  explicit Tokenizer(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  void encode_text(std::string_view text, bool after_special, std::vector<TokenId>& out) const;

  std::shared_ptr<const Impl> impl_;
};

}  // namespace reval::tokenizer
