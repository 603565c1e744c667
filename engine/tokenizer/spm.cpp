#include "engine/tokenizer/spm.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>

namespace reval::tokenizer {
namespace {

struct Symbol {
  std::uint32_t start;
  std::uint32_t length;  // 0 once merged into its left neighbour
  std::int32_t prev;
  std::int32_t next;
};

struct Candidate {
  float score;
  std::int32_t left;
  std::int32_t right;
  std::uint32_t length;  // bytes of the merged text, to detect stale candidates
};

// Highest score first, then leftmost (llama.cpp's order, which reproduces SentencePiece's).
struct CandidateAfter {
  bool operator()(const Candidate& a, const Candidate& b) const {
    return a.score != b.score ? a.score < b.score : a.left > b.left;
  }
};

// Bytes of the UTF-8 character starting with `lead`, from its high nibble; continuation and invalid
// lead bytes count as one character of one byte so every byte lands in some symbol.
std::uint32_t char_length(unsigned char lead) {
  static constexpr std::uint32_t kByHighNibble[16] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4};
  return kByHighNibble[lead >> 4];
}

struct Scratch {
  std::vector<Symbol> symbols;
  std::vector<Candidate> heap;
};

}  // namespace

SpmModel::SpmModel(const Vocab& vocab, const TokenIndex& index)
    : vocab_(&vocab), index_(&index), split_words_(spaces_bound_words(vocab)) {
  for (int b = 0; b < 256; ++b) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "<0x%02X>", b);
    TokenId id = kNoToken;
    if (const auto it = index.find(hex); it != index.end()) {
      id = it->second;
    } else if (const auto it1 = index.find(std::string(1, static_cast<char>(b))); it1 != index.end()) {
      id = it1->second;
    } else {
      id = vocab.unk_id;
    }
    byte_tokens_[b] = id;
  }
}

// True when no token has U+2581 after a character that is not U+2581: then no merge can join the
// text before a space to the space, and each "word" (a run of spaces and what follows up to the next
// space) can be tokenized on its own with the same result.
bool SpmModel::spaces_bound_words(const Vocab& vocab) {
  constexpr std::string_view kSpace = "\xE2\x96\x81";
  for (const std::string& token : vocab.tokens) {
    std::size_t pos = 0;
    while (token.compare(pos, kSpace.size(), kSpace) == 0) pos += kSpace.size();
    if (token.find(kSpace, pos) != std::string::npos) return false;
  }
  return true;
}

void SpmModel::encode(std::string_view text, std::vector<TokenId>& out) const {
  if (!split_words_) {
    encode_piece(text, out);
    return;
  }
  constexpr std::string_view kSpace = "\xE2\x96\x81";
  std::size_t begin = 0;
  for (std::size_t pos = text.find(kSpace); pos != std::string_view::npos; pos = text.find(kSpace, pos + kSpace.size())) {
    const bool follows_space = pos >= kSpace.size() && text.compare(pos - kSpace.size(), kSpace.size(), kSpace) == 0;
    if (pos > begin && !follows_space) {
      encode_piece(text.substr(begin, pos - begin), out);
      begin = pos;
    }
  }
  encode_piece(text.substr(begin), out);
}

void SpmModel::encode_piece(std::string_view text, std::vector<TokenId>& out) const {
  if (text.empty()) return;
  thread_local Scratch scratch;
  auto& symbols = scratch.symbols;
  symbols.clear();
  for (std::uint32_t pos = 0; pos < text.size();) {
    const std::uint32_t length =
        std::min<std::uint32_t>(char_length(static_cast<unsigned char>(text[pos])), static_cast<std::uint32_t>(text.size()) - pos);
    const auto index = static_cast<std::int32_t>(symbols.size());
    symbols.push_back(Symbol{pos, length, index - 1, pos + length < text.size() ? index + 1 : -1});
    pos += length;
  }
  auto& heap = scratch.heap;
  heap.clear();
  const auto push_candidate = [&](std::int32_t left, std::int32_t right) {
    if (left < 0 || right < 0) return;
    const Symbol& l = symbols[static_cast<std::size_t>(left)];
    const Symbol& r = symbols[static_cast<std::size_t>(right)];
    const std::string_view merged = text.substr(l.start, l.length + r.length);
    const auto it = index_->find(merged);
    if (it == index_->end()) return;
    const float score = vocab_->scores.empty() ? 0.0f : vocab_->scores[static_cast<std::size_t>(it->second)];
    heap.push_back(Candidate{score, left, right, l.length + r.length});
    std::push_heap(heap.begin(), heap.end(), CandidateAfter{});
  };
  for (std::int32_t i = 1; i < static_cast<std::int32_t>(symbols.size()); ++i) push_candidate(i - 1, i);

  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), CandidateAfter{});
    const Candidate c = heap.back();
    heap.pop_back();
    Symbol& left = symbols[static_cast<std::size_t>(c.left)];
    Symbol& right = symbols[static_cast<std::size_t>(c.right)];
    // Stale if either side was merged away or grew since: lengths only grow, and a live left symbol
    // that grew has swallowed `right`.
    if (left.length == 0 || right.length == 0 || left.length + right.length != c.length) continue;
    left.length += right.length;
    right.length = 0;
    left.next = right.next;
    if (right.next >= 0) symbols[static_cast<std::size_t>(right.next)].prev = c.left;
    push_candidate(left.prev, c.left);
    push_candidate(c.left, left.next);
  }

  for (std::int32_t i = 0; i >= 0; i = symbols[static_cast<std::size_t>(i)].next) {
    const Symbol& s = symbols[static_cast<std::size_t>(i)];
    const std::string_view piece = text.substr(s.start, s.length);
    if (const auto it = index_->find(piece); it != index_->end()) {
      out.push_back(it->second);
      continue;
    }
    for (const char b : piece) {
      const TokenId id = byte_tokens_[static_cast<unsigned char>(b)];
      if (id != kNoToken) out.push_back(id);
    }
  }
}

}  // namespace reval::tokenizer
