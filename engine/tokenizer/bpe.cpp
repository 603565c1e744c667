#include "engine/tokenizer/bpe.h"

#include <algorithm>
#include <atomic>
#include <functional>

#include "engine/tokenizer/unicode.h"

namespace reval::tokenizer {
namespace {

std::uint64_t pair_key(std::int32_t left, std::int32_t right) {
  return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(left)) << 32) | static_cast<std::uint32_t>(right);
}

std::uint64_t mix(std::uint64_t key) {
  // splitmix64 finalizer: spreads the id pairs over the table.
  key ^= key >> 30;
  key *= 0xbf58476d1ce4e5b9ULL;
  key ^= key >> 27;
  key *= 0x94d049bb133111ebULL;
  key ^= key >> 31;
  return key;
}

struct Symbol {
  std::int32_t id;
  std::int32_t prev;
  std::int32_t next;
};

struct Candidate {
  std::int32_t rank;
  std::int32_t left;  // index of the left symbol
  std::int32_t left_id;
  std::int32_t right_id;
  std::int32_t result;
};

// Lowest rank first, then leftmost: the order HF tokenizers and llama.cpp merge in.
struct CandidateAfter {
  bool operator()(const Candidate& a, const Candidate& b) const {
    return a.rank != b.rank ? a.rank > b.rank : a.left > b.left;
  }
};

struct Scratch {
  std::vector<Symbol> symbols;
  std::vector<Candidate> heap;
};

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// Memoized tokens of recent words, for one model at a time per thread. Bounded: cleared when full.
struct WordCache {
  static constexpr std::size_t kMaxEntries = 1 << 15;
  static constexpr std::size_t kMaxWordBytes = 48;
  std::uint64_t model_id = 0;
  std::unordered_map<std::string, std::vector<TokenId>, StringHash, std::equal_to<>> words;
};

std::atomic<std::uint64_t> next_model_id{1};

}  // namespace

std::int32_t BpeModel::symbol_id(std::string_view text) {
  if (const auto it = index_->find(text); it != index_->end()) return it->second;
  const auto [it, inserted] =
      extra_ids_.try_emplace(std::string(text), n_vocab_ + static_cast<std::int32_t>(extra_texts_.size()));
  if (inserted) extra_texts_.emplace_back(text);
  return it->second;
}

void BpeModel::insert_merge(std::uint64_t key, std::int32_t rank, std::int32_t result) {
  for (std::uint64_t slot = mix(key) & merge_mask_;; slot = (slot + 1) & merge_mask_) {
    Merge& m = merges_[slot];
    if (m.rank < 0) {
      m = Merge{rank, result, key};
      return;
    }
    if (m.key == key) return;  // a repeated pair keeps its first (best) rank, as llama.cpp does
  }
}

const BpeModel::Merge* BpeModel::find_merge(std::int32_t left, std::int32_t right) const {
  const std::uint64_t key = pair_key(left, right);
  for (std::uint64_t slot = mix(key) & merge_mask_;; slot = (slot + 1) & merge_mask_) {
    const Merge& m = merges_[slot];
    if (m.rank < 0) return nullptr;
    if (m.key == key) return &m;
  }
}

Result<BpeModel> BpeModel::build(const Vocab& vocab, const TokenIndex& index) {
  BpeModel model;
  model.model_id_ = next_model_id.fetch_add(1);
  model.index_ = &index;
  model.n_vocab_ = static_cast<std::int32_t>(vocab.tokens.size());
  const auto& alphabet = byte_level_alphabet();
  for (int b = 0; b < 256; ++b) model.byte_symbol_[b] = model.symbol_id(alphabet[static_cast<std::size_t>(b)]);

  std::size_t capacity = 16;
  while (capacity < vocab.merges.size() * 2) capacity *= 2;
  model.merges_.assign(capacity, Merge{});
  model.merge_mask_ = capacity - 1;
  std::string merged;
  for (std::size_t rank = 0; rank < vocab.merges.size(); ++rank) {
    const std::string& line = vocab.merges[rank];
    // The separator is the first space after the first character (llama.cpp's reading): byte-level
    // texts never contain a raw space, but a malformed line must not split at index 0.
    const std::size_t space = line.size() > 1 ? line.find(' ', 1) : std::string::npos;
    if (space == std::string::npos || space + 1 >= line.size()) {
      return invalid_input_error("merge " + std::to_string(rank) + " ('" + line +
                                 "'): expected two symbols separated by a space");
    }
    const std::string_view left(line.data(), space);
    const std::string_view right(line.data() + space + 1, line.size() - space - 1);
    merged.assign(left).append(right);
    const std::int32_t left_id = model.symbol_id(left);
    const std::int32_t right_id = model.symbol_id(right);
    const std::int32_t result = model.symbol_id(merged);
    model.insert_merge(pair_key(left_id, right_id), static_cast<std::int32_t>(rank), result);
  }
  return model;
}

void BpeModel::emit_symbol(std::int32_t symbol, std::vector<TokenId>& out) const {
  if (symbol < n_vocab_) {
    out.push_back(symbol);
    return;
  }
  // A symbol the vocab lacks (only possible with merges that produce non-tokens): emit its bytes.
  std::string bytes;
  byte_level_decode(extra_texts_[static_cast<std::size_t>(symbol - n_vocab_)], bytes);
  for (const char b : bytes) {
    const std::int32_t id = byte_symbol_[static_cast<std::uint8_t>(b)];
    if (id < n_vocab_) out.push_back(id);
  }
}

void BpeModel::encode_word(std::string_view word, bool ignore_merges, std::vector<TokenId>& out) const {
  if (word.empty()) return;
  if (word.size() == 1) {
    emit_symbol(byte_symbol_[static_cast<std::uint8_t>(word[0])], out);
    return;
  }
  thread_local WordCache cache;
  if (cache.model_id != model_id_) {
    cache.words.clear();
    cache.model_id = model_id_;
  }
  const bool cacheable = word.size() <= WordCache::kMaxWordBytes;
  if (cacheable) {
    if (const auto it = cache.words.find(word); it != cache.words.end()) {
      out.insert(out.end(), it->second.begin(), it->second.end());
      return;
    }
  }
  const std::size_t first_out = out.size();
  bool whole = false;
  if (ignore_merges) {
    thread_local std::string encoded;
    encoded.clear();
    byte_level_encode(word, encoded);
    if (const auto it = index_->find(encoded); it != index_->end()) {
      out.push_back(it->second);
      whole = true;
    }
  }
  if (!whole) merge_word(word, out);
  if (cacheable) {
    if (cache.words.size() >= WordCache::kMaxEntries) cache.words.clear();
    cache.words.emplace(std::string(word),
                        std::vector<TokenId>(out.begin() + static_cast<std::ptrdiff_t>(first_out), out.end()));
  }
}

void BpeModel::merge_word(std::string_view word, std::vector<TokenId>& out) const {
  thread_local Scratch scratch;
  const auto n = static_cast<std::int32_t>(word.size());
  auto& symbols = scratch.symbols;
  symbols.resize(static_cast<std::size_t>(n));
  for (std::int32_t i = 0; i < n; ++i) {
    symbols[static_cast<std::size_t>(i)] =
        Symbol{byte_symbol_[static_cast<std::uint8_t>(word[static_cast<std::size_t>(i)])], i - 1, i + 1 < n ? i + 1 : -1};
  }
  auto& heap = scratch.heap;
  heap.clear();
  const auto push_candidate = [&](std::int32_t left) {
    if (left < 0) return;
    const Symbol& l = symbols[static_cast<std::size_t>(left)];
    if (l.next < 0) return;
    const Symbol& r = symbols[static_cast<std::size_t>(l.next)];
    if (const Merge* m = find_merge(l.id, r.id)) {
      heap.push_back(Candidate{m->rank, left, l.id, r.id, m->result});
      std::push_heap(heap.begin(), heap.end(), CandidateAfter{});
    }
  };
  for (std::int32_t i = 0; i + 1 < n; ++i) push_candidate(i);

  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), CandidateAfter{});
    const Candidate c = heap.back();
    heap.pop_back();
    Symbol& left = symbols[static_cast<std::size_t>(c.left)];
    // Stale when either side changed since the candidate was queued: a symbol's text only grows, so
    // equal ids mean the same pair is still adjacent.
    if (left.id != c.left_id || left.next < 0) continue;
    Symbol& right = symbols[static_cast<std::size_t>(left.next)];
    if (right.id != c.right_id) continue;
    left.id = c.result;
    left.next = right.next;
    if (right.next >= 0) symbols[static_cast<std::size_t>(right.next)].prev = c.left;
    right.id = -1;
    push_candidate(left.prev);
    push_candidate(c.left);
  }
  for (std::int32_t i = 0; i >= 0; i = symbols[static_cast<std::size_t>(i)].next) {
    emit_symbol(symbols[static_cast<std::size_t>(i)].id, out);
  }
}

}  // namespace reval::tokenizer
