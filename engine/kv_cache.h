// The key/value cache for many sequences at once. Storage is paged: fixed-size blocks of
// kv_block_tokens positions holding every layer's K and V rows as IEEE half floats. A sequence owns a
// table of blocks; fork() lets the k samples of one prompt share the prompt's full blocks (reference
// counted, never written again) and copies only the partial last one.
// Memory is governed by a budget: opening or forking a sequence reserves the blocks it may ever need
// (prompt + max new tokens) and fails cleanly when they do not fit, so callers queue sequences
// instead of running out of RAM. Blocks are allocated lazily as positions are written.
// Not thread-safe for structural changes (open/fork/close/extend); concurrent write() to different
// sequences and concurrent reads are fine.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "common/result.h"
#include "engine/model/ops.h"

namespace reval::engine {

struct KvCacheConfig {
  int n_layers = 0;
  int n_kv_heads = 0;
  int head_dim = 0;
  std::int64_t budget_bytes = 0;    // upper bound on K/V storage
  int block_tokens = 64;            // positions per block
};

using SeqId = std::int32_t;

class KvCache {
 public:
  // Fails (invalid input) when the shape is empty or the budget does not fit one block.
  static Result<std::unique_ptr<KvCache>> create(const KvCacheConfig& config);

  const KvCacheConfig& config() const { return config_; }
  // Bytes of K+V per position (all layers) and per block.
  std::int64_t bytes_per_token() const;
  std::int64_t block_bytes() const { return bytes_per_token() * config_.block_tokens; }
  std::int64_t max_blocks() const { return max_blocks_; }
  // Blocks allocated plus blocks reserved but not yet allocated.
  std::int64_t committed_blocks() const { return committed_blocks_; }
  std::int64_t allocated_bytes() const;

  // True if a new sequence of up to `max_tokens` positions would fit the budget now.
  bool can_open(std::int64_t max_tokens) const;
  // Opens an empty sequence that may grow to max_tokens positions; nullopt if the budget is full.
  std::optional<SeqId> open(std::int64_t max_tokens);
  // Opens a sequence that starts as a copy of `parent`'s first length(parent) positions (sharing full
  // blocks) and may grow to max_tokens; nullopt if the budget is full.
  std::optional<SeqId> fork(SeqId parent, std::int64_t max_tokens);
  // Releases the sequence's reservation and the blocks nobody else references.
  void close(SeqId seq);
  // Gives back the blocks reserved for `seq` but not yet allocated; its capacity becomes its length.
  void release_reservation(SeqId seq);

  // Positions written so far (the next write goes to position length(seq)).
  std::int64_t length(SeqId seq) const;
  std::int64_t capacity(SeqId seq) const;
  // Makes positions [0, n) writable and readable (n <= capacity), allocating blocks; call before a
  // forward pass writes those positions. Precondition (checked): n <= capacity(seq).
  void extend(SeqId seq, std::int64_t n);

  // Stores K and V rows (n_kv_heads * head_dim floats each) of one layer at a position < length.
  // Safe to call concurrently for different (seq, pos) once extend() has run.
  void write(SeqId seq, int layer, std::int64_t pos, const float* k, const float* v);

  // A view of one sequence's layer for attention. Valid until the sequence is closed.
  class LayerView final : public KvRowSource {
   public:
    LayerView(const KvCache& cache, SeqId seq, int layer) : cache_(cache), seq_(seq), layer_(layer) {}
    void read_k(std::int64_t pos, int kv_head, float* out) const override;
    void read_v(std::int64_t pos, int kv_head, float* out) const override;
    float dot_k(std::int64_t pos, int kv_head, const float* q, int head_dim) const override;
    void add_v(std::int64_t pos, int kv_head, float w, float* out, int head_dim) const override;

    // Direct access for the vectorized attention: block b holds positions [b*block_tokens(),
    // (b+1)*block_tokens()); for one KV head they are consecutive rows of head_dim halves.
    int block_tokens() const { return cache_.config_.block_tokens; }
    const std::uint16_t* k_rows(std::int64_t block, int kv_head) const { return block_rows(block, 0, kv_head); }
    const std::uint16_t* v_rows(std::int64_t block, int kv_head) const { return block_rows(block, 1, kv_head); }

   private:
    const std::uint16_t* block_rows(std::int64_t block, int which, int kv_head) const {
      return cache_.head_row(cache_.sequences_[static_cast<std::size_t>(seq_)], layer_, which, kv_head,
                             block * cache_.config_.block_tokens);
    }
    const KvCache& cache_;
    SeqId seq_;
    int layer_;
  };
  LayerView view(SeqId seq, int layer) const { return LayerView(*this, seq, layer); }

 private:
  struct Sequence {
    bool open = false;
    std::vector<std::int32_t> blocks;  // block ids for positions [i*B, (i+1)*B)
    std::int64_t length = 0;
    std::int64_t capacity = 0;
    std::int64_t reserved_unallocated = 0;  // blocks promised to this sequence, not yet allocated
  };

  explicit KvCache(const KvCacheConfig& config);
  std::int64_t blocks_for(std::int64_t n_tokens) const;
  std::int32_t allocate_block();
  void release_block(std::int32_t block);
  SeqId new_sequence_slot();
  // Pointer to the head_dim halves of K (which = 0) or V (which = 1) of one KV head at a position.
  std::uint16_t* head_row(const Sequence& s, int layer, int which, int kv_head, std::int64_t pos) const;

  KvCacheConfig config_;
  std::int64_t row_values_ = 0;  // n_kv_heads * head_dim
  std::int64_t max_blocks_ = 0;
  std::int64_t committed_blocks_ = 0;
  std::vector<std::unique_ptr<std::uint16_t[]>> block_data_;
  std::vector<std::int32_t> block_refs_;
  std::vector<std::int32_t> free_blocks_;
  std::vector<Sequence> sequences_;
};

}  // namespace reval::engine
