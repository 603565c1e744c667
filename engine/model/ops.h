// Float reference implementations of the transformer building blocks used by the forward pass:
// RMSNorm, rotary position embedding (normal and NeoX pairings), softmax, SwiGLU, and causal
// grouped-query attention for one query row. Pure functions over caller-owned buffers; thread-safe.
#pragma once

#include <cstdint>
#include <span>

namespace reval::engine {

// out[i] = x[i] / sqrt(mean(x^2) + eps) * weight[i]. `out` may alias `x`. The mean is accumulated
// in double so the result does not depend on the summation order of a vectorized variant.
void rms_norm(const float* x, const float* weight, int n, float eps, float* out);

// How RoPE pairs the dimensions of a head: kNormal rotates (x[2i], x[2i+1]) (GGUF `llama`, whose
// converter permutes Q/K rows for it); kNeox rotates (x[i], x[i + n_rot/2]) (GGUF `qwen2`).
enum class RopeMode { kNormal, kNeox };

struct RopeParams {
  int n_rot = 0;              // rotated dimensions per head (= head dim for llama/qwen2)
  float freq_base = 10000.0f; // theta base
  float freq_scale = 1.0f;    // linear position scaling (1 / rope.scaling.factor)
  RopeMode mode = RopeMode::kNormal;
  // Per-pair frequency divisors (n_rot/2 entries), e.g. Llama-3.1's rope_freqs; empty = all 1.
  std::span<const float> freq_factors;
};

// Rotates n_heads consecutive heads of head_dim floats each, in place, for position `pos`.
// Angle of pair i: pos * freq_scale * base^(-2i/n_rot) / factor[i].
void rope(float* x, int n_heads, int head_dim, std::int64_t pos, const RopeParams& params);

// rope() in two steps, so the forward pass computes the angles of a position once for every layer
// and for both Q and K: rope_angles writes n_rot/2 cosines and sines; rope_apply rotates with them.
void rope_angles(std::int64_t pos, const RopeParams& params, float* cos_out, float* sin_out);
void rope_apply(float* x, int n_heads, int head_dim, const RopeParams& params, const float* cos_table,
                const float* sin_table);

// In-place numerically stable softmax over n values.
void softmax(float* x, int n);

// out[i] = silu(gate[i]) * up[i], silu(g) = g / (1 + exp(-g)). `out` may alias either input.
void swiglu(const float* gate, const float* up, int n, float* out);

// Reads one cached K or V row (n_kv_heads * head_dim values) for a position; lets attention run
// over any cache layout (F16, Q8_0, paged) without copying it to floats first.
struct KvRowSource {
  virtual ~KvRowSource() = default;
  // Writes the `head` part (head_dim floats) of the K row at `pos` into out.
  virtual void read_k(std::int64_t pos, int kv_head, float* out) const = 0;
  virtual void read_v(std::int64_t pos, int kv_head, float* out) const = 0;
  // Dot of q (head_dim floats) with K[pos][kv_head], and out += w * V[pos][kv_head]; the default
  // implementations go through read_k / read_v.
  virtual float dot_k(std::int64_t pos, int kv_head, const float* q, int head_dim) const;
  virtual void add_v(std::int64_t pos, int kv_head, float w, float* out, int head_dim) const;
};

struct AttentionShape {
  int n_heads = 0;
  int n_kv_heads = 0;  // n_heads % n_kv_heads == 0; query head h reads kv head h / (n_heads / n_kv_heads)
  int head_dim = 0;
};

// Causal attention of one token: q holds n_heads * head_dim floats (already roped); keys and values
// are positions [0, n_past] of the sequence in `kv`. Writes n_heads * head_dim floats to out.
// `scratch` must hold n_past + 1 floats. Scores are scaled by 1/sqrt(head_dim).
void attend_one(const float* q, const KvRowSource& kv, std::int64_t n_past, const AttentionShape& shape,
                float* scratch, float* out);

}  // namespace reval::engine
