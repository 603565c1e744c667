#include "engine/kv_cache.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "common/check.h"
#include "engine/kernels/fp16.h"

namespace reval::engine {

using kernels::f32_to_fp16;
using kernels::fp16_to_f32;

Result<std::unique_ptr<KvCache>> KvCache::create(const KvCacheConfig& config) {
  if (config.n_layers <= 0 || config.n_kv_heads <= 0 || config.head_dim <= 0 || config.block_tokens <= 0) {
    return invalid_input_error("kv cache: empty shape (layers " + std::to_string(config.n_layers) + ", kv heads " +
                               std::to_string(config.n_kv_heads) + ", head dim " + std::to_string(config.head_dim) +
                               ")");
  }
  std::unique_ptr<KvCache> cache(new KvCache(config));
  if (cache->max_blocks_ < 1) {
    return resource_exhausted_error("kv cache: budget of " + std::to_string(config.budget_bytes) +
                                    " bytes is smaller than one block (" + std::to_string(cache->block_bytes()) +
                                    " bytes)");
  }
  return cache;
}

KvCache::KvCache(const KvCacheConfig& config) : config_(config) {
  row_values_ = static_cast<std::int64_t>(config.n_kv_heads) * config.head_dim;
  max_blocks_ = config.budget_bytes / block_bytes();
}

std::int64_t KvCache::bytes_per_token() const {
  return 2 * static_cast<std::int64_t>(config_.n_layers) * row_values_ * static_cast<std::int64_t>(sizeof(std::uint16_t));
}

std::int64_t KvCache::allocated_bytes() const {
  return (static_cast<std::int64_t>(block_data_.size()) - static_cast<std::int64_t>(free_blocks_.size())) *
         block_bytes();
}

std::int64_t KvCache::blocks_for(std::int64_t n_tokens) const {
  return (n_tokens + config_.block_tokens - 1) / config_.block_tokens;
}

bool KvCache::can_open(std::int64_t max_tokens) const {
  return committed_blocks_ + blocks_for(max_tokens) <= max_blocks_;
}

SeqId KvCache::new_sequence_slot() {
  for (std::size_t i = 0; i < sequences_.size(); ++i) {
    if (!sequences_[i].open) return static_cast<SeqId>(i);
  }
  sequences_.emplace_back();
  return static_cast<SeqId>(sequences_.size() - 1);
}

std::optional<SeqId> KvCache::open(std::int64_t max_tokens) {
  if (!can_open(max_tokens)) return std::nullopt;
  const SeqId id = new_sequence_slot();
  Sequence& s = sequences_[static_cast<std::size_t>(id)];
  s = Sequence{};
  s.open = true;
  s.capacity = max_tokens;
  s.reserved_unallocated = blocks_for(max_tokens);
  committed_blocks_ += s.reserved_unallocated;
  return id;
}

std::optional<SeqId> KvCache::fork(SeqId parent, std::int64_t max_tokens) {
  const Sequence& p = sequences_.at(static_cast<std::size_t>(parent));
  REVAL_CHECK(p.open && max_tokens >= p.length);
  const std::int64_t shared = p.length / config_.block_tokens;  // full blocks, never written again
  const std::int64_t need = blocks_for(max_tokens) - shared;
  if (committed_blocks_ + need > max_blocks_) return std::nullopt;
  const SeqId id = new_sequence_slot();
  Sequence& s = sequences_[static_cast<std::size_t>(id)];
  const Sequence& parent_seq = sequences_[static_cast<std::size_t>(parent)];  // re-read: slot may have grown
  s = Sequence{};
  s.open = true;
  s.capacity = max_tokens;
  s.reserved_unallocated = need;
  committed_blocks_ += need;
  for (std::int64_t b = 0; b < shared; ++b) {
    const std::int32_t block = parent_seq.blocks[static_cast<std::size_t>(b)];
    ++block_refs_[static_cast<std::size_t>(block)];
    s.blocks.push_back(block);
  }
  if (parent_seq.length % config_.block_tokens != 0) {
    const std::int32_t source = parent_seq.blocks[static_cast<std::size_t>(shared)];
    const std::int32_t copy = allocate_block();
    --s.reserved_unallocated;
    std::memcpy(block_data_[static_cast<std::size_t>(copy)].get(), block_data_[static_cast<std::size_t>(source)].get(),
                static_cast<std::size_t>(block_bytes()));
    s.blocks.push_back(copy);
  }
  s.length = parent_seq.length;
  return id;
}

void KvCache::close(SeqId seq) {
  Sequence& s = sequences_.at(static_cast<std::size_t>(seq));
  REVAL_CHECK(s.open);
  for (std::int32_t block : s.blocks) release_block(block);
  committed_blocks_ -= s.reserved_unallocated;
  s = Sequence{};
}

void KvCache::release_reservation(SeqId seq) {
  Sequence& s = sequences_.at(static_cast<std::size_t>(seq));
  REVAL_CHECK(s.open);
  committed_blocks_ -= s.reserved_unallocated;
  s.reserved_unallocated = 0;
  s.capacity = s.length;
}

std::int32_t KvCache::allocate_block() {
  std::int32_t block;
  if (!free_blocks_.empty()) {
    block = free_blocks_.back();
    free_blocks_.pop_back();
  } else {
    block = static_cast<std::int32_t>(block_data_.size());
    block_data_.push_back(std::make_unique<std::uint16_t[]>(static_cast<std::size_t>(block_bytes() / 2)));
    block_refs_.push_back(0);
  }
  block_refs_[static_cast<std::size_t>(block)] = 1;
  return block;
}

void KvCache::release_block(std::int32_t block) {
  if (--block_refs_[static_cast<std::size_t>(block)] == 0) {
    free_blocks_.push_back(block);
    --committed_blocks_;
  }
}

std::int64_t KvCache::length(SeqId seq) const { return sequences_.at(static_cast<std::size_t>(seq)).length; }
std::int64_t KvCache::capacity(SeqId seq) const { return sequences_.at(static_cast<std::size_t>(seq)).capacity; }

void KvCache::extend(SeqId seq, std::int64_t n) {
  Sequence& s = sequences_.at(static_cast<std::size_t>(seq));
  REVAL_CHECK(s.open && n <= s.capacity);
  while (static_cast<std::int64_t>(s.blocks.size()) < blocks_for(n)) {
    REVAL_CHECK(s.reserved_unallocated > 0);
    s.blocks.push_back(allocate_block());
    --s.reserved_unallocated;  // the reservation becomes an allocation: committed count unchanged
  }
  s.length = std::max(s.length, n);
}

std::uint16_t* KvCache::head_row(const Sequence& s, int layer, int which, int kv_head, std::int64_t pos) const {
  const std::int32_t block = s.blocks[static_cast<std::size_t>(pos / config_.block_tokens)];
  const std::int64_t in_block = pos % config_.block_tokens;
  // Block layout: [layer][K|V][kv head][position in block][head_dim]: attention for one KV head
  // streams its rows of a block as one contiguous run (block_tokens * head_dim halves).
  const std::int64_t offset =
      (((static_cast<std::int64_t>(layer) * 2 + which) * config_.n_kv_heads + kv_head) * config_.block_tokens +
       in_block) *
      config_.head_dim;
  return block_data_[static_cast<std::size_t>(block)].get() + offset;
}

void KvCache::write(SeqId seq, int layer, std::int64_t pos, const float* k, const float* v) {
  const Sequence& s = sequences_[static_cast<std::size_t>(seq)];
  REVAL_CHECK(pos < s.length);
  const int d = config_.head_dim;
  for (int h = 0; h < config_.n_kv_heads; ++h) {
    std::uint16_t* k_row = head_row(s, layer, 0, h, pos);
    std::uint16_t* v_row = head_row(s, layer, 1, h, pos);
    const float* k_src = k + static_cast<std::ptrdiff_t>(h) * d;
    const float* v_src = v + static_cast<std::ptrdiff_t>(h) * d;
    for (int i = 0; i < d; ++i) {
      k_row[i] = f32_to_fp16(k_src[i]);
      v_row[i] = f32_to_fp16(v_src[i]);
    }
  }
}

void KvCache::LayerView::read_k(std::int64_t pos, int kv_head, float* out) const {
  const auto& s = cache_.sequences_[static_cast<std::size_t>(seq_)];
  const std::uint16_t* src = cache_.head_row(s, layer_, 0, kv_head, pos);
  for (int i = 0; i < cache_.config_.head_dim; ++i) out[i] = fp16_to_f32(src[i]);
}

void KvCache::LayerView::read_v(std::int64_t pos, int kv_head, float* out) const {
  const auto& s = cache_.sequences_[static_cast<std::size_t>(seq_)];
  const std::uint16_t* src = cache_.head_row(s, layer_, 1, kv_head, pos);
  for (int i = 0; i < cache_.config_.head_dim; ++i) out[i] = fp16_to_f32(src[i]);
}

float KvCache::LayerView::dot_k(std::int64_t pos, int kv_head, const float* q, int head_dim) const {
  const auto& s = cache_.sequences_[static_cast<std::size_t>(seq_)];
  const std::uint16_t* src = cache_.head_row(s, layer_, 0, kv_head, pos);
  float sum = 0.0f;
  for (int i = 0; i < head_dim; ++i) sum += q[i] * fp16_to_f32(src[i]);
  return sum;
}

void KvCache::LayerView::add_v(std::int64_t pos, int kv_head, float w, float* out, int head_dim) const {
  const auto& s = cache_.sequences_[static_cast<std::size_t>(seq_)];
  const std::uint16_t* src = cache_.head_row(s, layer_, 1, kv_head, pos);
  for (int i = 0; i < head_dim; ++i) out[i] += w * fp16_to_f32(src[i]);
}

}  // namespace reval::engine
