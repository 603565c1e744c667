// Special-token partitioning: before any pre-tokenization, text that spells a control, user-defined
// or unknown token is cut out and becomes that token. Order of precedence is llama.cpp's (and HF's
// added-token pass): longer tokens first (ties by id); each token claims its occurrences left to
// right that do not overlap text already claimed. Control and unknown tokens are only matched when
// parse_special is set; user-defined tokens always are. Thread-safe after construction.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "engine/tokenizer/vocab.h"

namespace reval::tokenizer {

// A piece of the input: raw text to tokenize, or a token already decided.
struct Fragment {
  TokenId token = kNoToken;  // kNoToken: raw text
  std::string_view text;     // the raw text, or the token's spelling in the input
};

class SpecialTokenMatcher {
 public:
  // Indexes the tokens of `vocab` typed control, user-defined or unknown; `vocab` must outlive it.
  explicit SpecialTokenMatcher(const Vocab& vocab);

  // Appends the fragments of `text` in order; they cover the text exactly.
  void partition(std::string_view text, bool parse_special, std::vector<Fragment>& out) const;

  std::size_t size() const { return priority_.size(); }

 private:
  struct Node {
    std::vector<std::pair<unsigned char, std::int32_t>> edges;  // sorted by byte
    TokenId token = kNoToken;
  };
  struct Occurrence {
    std::int32_t priority;
    std::uint32_t begin;
    std::uint32_t end;
    TokenId token;
  };

  std::int32_t child(std::int32_t node, unsigned char byte) const;

  const Vocab* vocab_;
  std::vector<Node> nodes_;               // trie over the token texts; node 0 is the root
  std::vector<std::int32_t> priority_;    // token id -> precedence rank (0 first), -1 if not special
  bool first_byte_[256] = {};
};

}  // namespace reval::tokenizer
