#include "engine/tokenizer/special_tokens.h"

#include <algorithm>

namespace reval::tokenizer {
namespace {

bool is_special_type(TokenType type) {
  return type == TokenType::kControl || type == TokenType::kUserDefined || type == TokenType::kUnknown;
}

}  // namespace

SpecialTokenMatcher::SpecialTokenMatcher(const Vocab& vocab) : vocab_(&vocab) {
  nodes_.emplace_back();
  std::vector<TokenId> specials;
  for (std::size_t id = 0; id < vocab.tokens.size(); ++id) {
    if (is_special_type(vocab.type_of(static_cast<TokenId>(id)))) specials.push_back(static_cast<TokenId>(id));
  }
  std::stable_sort(specials.begin(), specials.end(), [&](TokenId a, TokenId b) {
    return vocab.tokens[static_cast<std::size_t>(a)].size() > vocab.tokens[static_cast<std::size_t>(b)].size();
  });
  priority_.assign(vocab.tokens.size(), -1);
  for (std::size_t rank = 0; rank < specials.size(); ++rank) {
    const TokenId id = specials[rank];
    priority_[static_cast<std::size_t>(id)] = static_cast<std::int32_t>(rank);
    const std::string& text = vocab.tokens[static_cast<std::size_t>(id)];
    first_byte_[static_cast<unsigned char>(text[0])] = true;
    std::int32_t node = 0;
    for (const char ch : text) {
      const auto byte = static_cast<unsigned char>(ch);
      std::int32_t next = child(node, byte);
      if (next < 0) {
        next = static_cast<std::int32_t>(nodes_.size());
        auto& edges = nodes_[static_cast<std::size_t>(node)].edges;
        edges.insert(std::lower_bound(edges.begin(), edges.end(), std::make_pair(byte, std::int32_t{-1})),
                     {byte, next});
        nodes_.emplace_back();
      }
      node = next;
    }
    // Two tokens with the same text: the one listed first (higher precedence) keeps it.
    if (nodes_[static_cast<std::size_t>(node)].token == kNoToken) nodes_[static_cast<std::size_t>(node)].token = id;
  }
}

std::int32_t SpecialTokenMatcher::child(std::int32_t node, unsigned char byte) const {
  const auto& edges = nodes_[static_cast<std::size_t>(node)].edges;
  const auto it = std::lower_bound(edges.begin(), edges.end(), std::make_pair(byte, std::int32_t{-1}));
  return (it != edges.end() && it->first == byte) ? it->second : -1;
}

void SpecialTokenMatcher::partition(std::string_view text, bool parse_special, std::vector<Fragment>& out) const {
  std::vector<Occurrence> found;
  for (std::size_t begin = 0; begin < text.size(); ++begin) {
    if (!first_byte_[static_cast<unsigned char>(text[begin])]) continue;
    std::int32_t node = 0;
    for (std::size_t i = begin; i < text.size(); ++i) {
      node = child(node, static_cast<unsigned char>(text[i]));
      if (node < 0) break;
      const TokenId token = nodes_[static_cast<std::size_t>(node)].token;
      if (token == kNoToken) continue;
      const TokenType type = vocab_->type_of(token);
      if (!parse_special && (type == TokenType::kControl || type == TokenType::kUnknown)) continue;
      found.push_back(Occurrence{priority_[static_cast<std::size_t>(token)], static_cast<std::uint32_t>(begin),
                                 static_cast<std::uint32_t>(i + 1), token});
    }
  }
  if (found.empty()) {
    if (!text.empty()) out.push_back(Fragment{kNoToken, text});
    return;
  }
  // Claim occurrences in precedence order, then position; one that overlaps claimed text loses.
  std::sort(found.begin(), found.end(), [](const Occurrence& a, const Occurrence& b) {
    return a.priority != b.priority ? a.priority < b.priority : a.begin < b.begin;
  });
  std::vector<bool> claimed(text.size(), false);
  std::vector<Occurrence> accepted;
  for (const Occurrence& o : found) {
    bool free = true;
    for (std::uint32_t i = o.begin; i < o.end && free; ++i) free = !claimed[i];
    if (!free) continue;
    for (std::uint32_t i = o.begin; i < o.end; ++i) claimed[i] = true;
    accepted.push_back(o);
  }
  std::sort(accepted.begin(), accepted.end(), [](const Occurrence& a, const Occurrence& b) { return a.begin < b.begin; });
  std::size_t pos = 0;
  for (const Occurrence& o : accepted) {
    if (o.begin > pos) out.push_back(Fragment{kNoToken, text.substr(pos, o.begin - pos)});
    out.push_back(Fragment{o.token, text.substr(o.begin, o.end - o.begin)});
    pos = o.end;
  }
  if (pos < text.size()) out.push_back(Fragment{kNoToken, text.substr(pos)});
}

}  // namespace reval::tokenizer
