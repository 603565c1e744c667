// Byte-level BPE (tokenizer.ggml.model = "gpt2"): a word's bytes start as one symbol each and the
// adjacent pair with the lowest merge rank (leftmost on ties) is merged until no pair has a rank.
// Symbols are token ids, merges a hash table keyed by the id pair, the candidates a priority queue,
// so a word of n bytes costs O(n log n). Results for short words are memoized in a bounded
// thread_local cache (natural text repeats words). Thread-safe after construction.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "engine/tokenizer/vocab.h"

namespace reval::tokenizer {

// Token text -> id over strings owned elsewhere (the Vocab), which must outlive the index.
using TokenIndex = std::unordered_map<std::string_view, TokenId>;

class BpeModel {
 public:
  // `index` maps every token text of `vocab` to its id; both must outlive the model. Errors name the
  // malformed merge ("merge 17: no space separating the pair").
  static Result<BpeModel> build(const Vocab& vocab, const TokenIndex& index);

  // Appends the tokens of one pre-tokenized word (raw bytes). With `ignore_merges`, a word whose
  // byte-level text is a token is emitted whole. Symbols the vocab lacks fall back to their byte tokens.
  void encode_word(std::string_view word, bool ignore_merges, std::vector<TokenId>& out) const;

 private:
  struct Merge {
    std::int32_t rank = -1;    // -1: empty slot
    std::int32_t result = -1;  // symbol id of the merged pair
    std::uint64_t key = 0;
  };

  BpeModel() = default;
  std::int32_t symbol_id(std::string_view text);  // token id, or a new id past the vocab for other text
  void insert_merge(std::uint64_t key, std::int32_t rank, std::int32_t result);
  const Merge* find_merge(std::int32_t left, std::int32_t right) const;
  void emit_symbol(std::int32_t symbol, std::vector<TokenId>& out) const;
  void merge_word(std::string_view word, std::vector<TokenId>& out) const;  // the BPE loop itself

  std::uint64_t model_id_ = 0;  // distinguishes models in the thread_local word cache
  const TokenIndex* index_ = nullptr;
  std::int32_t n_vocab_ = 0;
  std::vector<std::string> extra_texts_;  // symbol id n_vocab_ + i -> byte-level text not in the vocab
  std::unordered_map<std::string, std::int32_t> extra_ids_;
  std::int32_t byte_symbol_[256] = {};  // byte -> symbol id of its one-character byte-level text
  std::vector<Merge> merges_;           // open addressing, size a power of two
  std::uint64_t merge_mask_ = 0;
};

}  // namespace reval::tokenizer
