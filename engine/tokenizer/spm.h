// SentencePiece-style BPE (tokenizer.ggml.model = "llama"): the text, spaces already replaced by
// U+2581, starts as one symbol per UTF-8 character; the adjacent pair whose concatenation is a token
// with the highest score (leftmost on ties) is merged until none is. Characters that end up not being
// tokens are emitted as byte tokens <0xNN> (byte fallback), or the unknown token if those are absent.
// Thread-safe after construction.
#pragma once

#include <string_view>
#include <vector>

#include "engine/tokenizer/bpe.h"
#include "engine/tokenizer/vocab.h"

namespace reval::tokenizer {

class SpmModel {
 public:
  // `vocab` and `index` must outlive the model.
  SpmModel(const Vocab& vocab, const TokenIndex& index);

  // Appends the tokens of `text` (already escaped: ' ' -> U+2581, dummy prefix added by the caller).
  void encode(std::string_view text, std::vector<TokenId>& out) const;

  // The token for one byte: <0xNN>, else the one-byte text, else the unknown token (kNoToken if none).
  TokenId byte_token(unsigned char byte) const { return byte_tokens_[byte]; }

 private:
  static bool spaces_bound_words(const Vocab& vocab);
  void encode_piece(std::string_view text, std::vector<TokenId>& out) const;

  const Vocab* vocab_;
  const TokenIndex* index_;
  bool split_words_;  // see spaces_bound_words
  TokenId byte_tokens_[256];
};

}  // namespace reval::tokenizer
