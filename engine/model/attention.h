// Causal attention of one token over the F16 paged KV cache, one KV head at a time: the query heads
// that share a KV head (grouped-query attention) are processed together, so each K and V row is read
// once per group instead of once per query head. Two implementations with one contract:
//  - attend_group_ref: plain scalar code, the reference (also used where AVX2/F16C is missing);
//  - avx2::attend_group: AVX2 + FMA + F16C, vectorized dot products, softmax (polynomial exp) and
//    weighted V sums; differs from the reference only in summation order and exp rounding;
//  - avx512::attend_group: the same with 16-wide vectors (about twice the throughput).
// attend_group() picks one at run time: AVX2 whenever the kernels' tier is above scalar
// (REVAL_KERNELS=scalar forces the reference).
// Numerics follow llama.cpp's non-flash-attention CPU path: Q and the softmax weights are rounded to
// half precision before they meet the F16 cache; scores are scaled by 1/sqrt(head_dim).
// Thread-safe: every call uses only its arguments and the caller's scratch.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/kv_cache.h"
#include "engine/model/ops.h"

namespace reval::engine {

// Per-thread buffers, grown on first use and reused, so attention allocates nothing per token.
struct AttentionScratch {
  std::vector<float> q;       // group * head_dim, Q rounded to half precision
  std::vector<float> scores;  // group * n_keys
};

// Writes the outputs of query heads [kv_head * group, (kv_head + 1) * group) of the token, where
// group = n_heads / n_kv_heads: q and out are the token's whole rows (n_heads * head_dim floats);
// only that group's part of out is written. Keys and values are positions [0, n_past].
void attend_group(const float* q, const KvCache::LayerView& kv, std::int64_t n_past, const AttentionShape& shape,
                  int kv_head, AttentionScratch& scratch, float* out);

void attend_group_ref(const float* q, const KvCache::LayerView& kv, std::int64_t n_past, const AttentionShape& shape,
                      int kv_head, AttentionScratch& scratch, float* out);

// True when attend_group uses the AVX2 (or AVX-512) version on this machine.
bool attention_uses_avx2();
// True when attend_group uses the AVX-512 version: the CPU has AVX-512 F/VL/BW and REVAL_KERNELS
// does not cap the kernels at avx2 or scalar.
bool attention_uses_avx512();

namespace avx2 {
// Requires head_dim % 8 == 0; falls back to the reference otherwise (checked inside).
void attend_group(const float* q, const KvCache::LayerView& kv, std::int64_t n_past, const AttentionShape& shape,
                  int kv_head, AttentionScratch& scratch, float* out);
}  // namespace avx2

namespace avx512 {
// Requires head_dim % 16 == 0; falls back to the AVX2 version otherwise (checked inside).
void attend_group(const float* q, const KvCache::LayerView& kv, std::int64_t n_past, const AttentionShape& shape,
                  int kv_head, AttentionScratch& scratch, float* out);
}  // namespace avx512

}  // namespace reval::engine
