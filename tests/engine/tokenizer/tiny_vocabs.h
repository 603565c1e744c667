// Small hand-built vocabs for tokenizer unit tests.
#pragma once

#include <string>
#include <vector>

#include "engine/tokenizer/tokenizer.h"
#include "engine/tokenizer/unicode.h"

namespace reval::tokenizer::test_vocabs {

// A byte-level BPE vocab: the 256 byte symbols (ids 0..255, in byte order) plus `extra` tokens
// (given as raw text, stored byte-level encoded), the merges (raw "left right"), and `specials`
// appended with their types.
inline Vocab byte_level_vocab(const std::vector<std::string>& extra, const std::vector<std::pair<std::string, std::string>>& merges,
                              PreTokenizerKind pre = PreTokenizerKind::kGpt2,
                              const std::vector<std::pair<std::string, TokenType>>& specials = {}) {
  Vocab v;
  v.model = VocabModel::kBpe;
  v.pre = pre;
  const auto encode = [](const std::string& raw) {
    std::string s;
    byte_level_encode(raw, s);
    return s;
  };
  for (int b = 0; b < 256; ++b) v.tokens.push_back(byte_level_alphabet()[static_cast<std::size_t>(b)]);
  for (const auto& t : extra) v.tokens.push_back(encode(t));
  for (const auto& [l, r] : merges) v.merges.push_back(encode(l) + " " + encode(r));
  v.types.assign(v.tokens.size(), TokenType::kNormal);
  for (const auto& [text, type] : specials) {
    v.tokens.push_back(text);
    v.types.push_back(type);
  }
  return v;
}

inline TokenId id_of(const Tokenizer& t, const std::string& raw) {
  std::string s;
  byte_level_encode(raw, s);
  return t.find_token(s);
}

}  // namespace reval::tokenizer::test_vocabs
