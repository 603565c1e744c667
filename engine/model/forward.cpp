#include "engine/model/forward.h"

#include <algorithm>

#include "common/check.h"
#include "engine/kernels/matmul.h"
#include "engine/model/attention.h"
#include "engine/model/ops.h"

namespace reval::engine {
namespace {

void add_bias(std::vector<float>& rows, std::int64_t n_tokens, const std::vector<float>& bias) {
  if (bias.empty()) return;
  const auto width = static_cast<std::int64_t>(bias.size());
  for (std::int64_t t = 0; t < n_tokens; ++t) {
    float* row = rows.data() + t * width;
    for (std::int64_t i = 0; i < width; ++i) row[i] += bias[static_cast<std::size_t>(i)];
  }
}

void resize(std::vector<float>& v, std::int64_t n) { v.resize(static_cast<std::size_t>(n)); }

}  // namespace

Forward::Forward(const Model& model, KvCache& cache, kernels::ThreadPool& pool) : model_(model), cache_(cache), pool_(pool) {
  const ModelHparams& hp = model.hparams;
  rope_.n_rot = hp.n_rot;
  rope_.freq_base = hp.rope_freq_base;
  rope_.freq_scale = hp.rope_freq_scale;
  rope_.mode = hp.arch->rope_mode;
  rope_.freq_factors = model.rope_freq_factors;
}

void Forward::run(std::span<const BatchToken> batch, std::vector<float>& logits) {
  const ModelHparams& hp = model_.hparams;
  const auto n_tokens = static_cast<std::int64_t>(batch.size());
  const std::int64_t n_embd = hp.n_embd;
  resize(x_, n_tokens * n_embd);
  resize(norm_, n_tokens * n_embd);
  for (std::int64_t t = 0; t < n_tokens; ++t) {
    const BatchToken& bt = batch[static_cast<std::size_t>(t)];
    REVAL_CHECK(bt.token >= 0 && bt.token < hp.n_vocab);
    REVAL_CHECK(bt.pos < cache_.length(bt.seq));
    kernels::dequantize_row(model_.token_embd, bt.token, x_.data() + t * n_embd);
  }
  // RoPE angles depend only on the position: once per token, shared by every layer and by Q and K.
  const std::int64_t n_pairs = rope_.n_rot / 2;
  resize(rope_cos_, n_tokens * n_pairs);
  resize(rope_sin_, n_tokens * n_pairs);
  for (std::int64_t t = 0; t < n_tokens; ++t) {
    rope_angles(batch[static_cast<std::size_t>(t)].pos, rope_, rope_cos_.data() + t * n_pairs,
                rope_sin_.data() + t * n_pairs);
  }
  for (int il = 0; il < hp.n_layer; ++il) {
    attention_layer(batch, il);
    feed_forward_layer(n_tokens, il);
  }
  // Only the rows that need logits go through the final norm and the (large) output matrix.
  std::vector<std::int64_t>& wanted = wanted_;
  wanted.clear();
  for (std::int64_t t = 0; t < n_tokens; ++t) {
    if (batch[static_cast<std::size_t>(t)].want_logits) wanted.push_back(t);
  }
  const auto n_wanted = static_cast<std::int64_t>(wanted.size());
  for (std::int64_t w = 0; w < n_wanted; ++w) {
    rms_norm(x_.data() + wanted[static_cast<std::size_t>(w)] * n_embd, model_.output_norm.data(), hp.n_embd,
             hp.rms_eps, norm_.data() + w * n_embd);
  }
  logits.resize(static_cast<std::size_t>(n_wanted * hp.n_vocab));
  if (n_wanted > 0) kernels::matmul(model_.output, norm_.data(), n_wanted, logits.data(), &pool_);
}

void Forward::attention_layer(std::span<const BatchToken> batch, int il) {
  const ModelHparams& hp = model_.hparams;
  const LayerWeights& l = model_.layers[static_cast<std::size_t>(il)];
  const auto n_tokens = static_cast<std::int64_t>(batch.size());
  const std::int64_t n_embd = hp.n_embd;
  const std::int64_t n_q = static_cast<std::int64_t>(hp.n_head) * hp.head_dim;
  const std::int64_t n_kv = static_cast<std::int64_t>(hp.n_head_kv) * hp.head_dim;
  resize(q_, n_tokens * n_q);
  resize(k_, n_tokens * n_kv);
  resize(v_, n_tokens * n_kv);
  resize(attn_out_, n_tokens * n_q);
  resize(proj_, n_tokens * n_embd);

  for (std::int64_t t = 0; t < n_tokens; ++t) {
    rms_norm(x_.data() + t * n_embd, l.attn_norm.data(), hp.n_embd, hp.rms_eps, norm_.data() + t * n_embd);
  }
  kernels::matmul_same_input({{&l.wq, q_.data()}, {&l.wk, k_.data()}, {&l.wv, v_.data()}}, norm_.data(), n_tokens,
                             &pool_);
  add_bias(q_, n_tokens, l.bq);
  add_bias(k_, n_tokens, l.bk);
  add_bias(v_, n_tokens, l.bv);
  for (std::int64_t t = 0; t < n_tokens; ++t) {
    const BatchToken& bt = batch[static_cast<std::size_t>(t)];
    const std::int64_t n_pairs = rope_.n_rot / 2;
    const float* cos_table = rope_cos_.data() + t * n_pairs;
    const float* sin_table = rope_sin_.data() + t * n_pairs;
    rope_apply(q_.data() + t * n_q, hp.n_head, hp.head_dim, rope_, cos_table, sin_table);
    rope_apply(k_.data() + t * n_kv, hp.n_head_kv, hp.head_dim, rope_, cos_table, sin_table);
    cache_.write(bt.seq, il, bt.pos, k_.data() + t * n_kv, v_.data() + t * n_kv);
  }
  // Every K/V of this layer is cached before any token attends, so a token sees the earlier tokens
  // of its own sequence in the same batch; positions beyond its own are never read (causal mask).
  const AttentionShape shape{.n_heads = hp.n_head, .n_kv_heads = hp.n_head_kv, .head_dim = hp.head_dim};
  // One work item per (token, KV head): the query heads sharing a KV head read its rows once, and
  // a batch of sequences spreads over the threads. Each item's arithmetic is fixed, so results do
  // not depend on the batch or the thread count.
  const std::int64_t n_items = n_tokens * hp.n_head_kv;
  pool_.parallel_for(n_items, 1, [&](std::int64_t begin, std::int64_t end) {
    thread_local AttentionScratch scratch;
    for (std::int64_t item = begin; item < end; ++item) {
      const std::int64_t t = item / hp.n_head_kv;
      const int kv_head = static_cast<int>(item % hp.n_head_kv);
      const BatchToken& bt = batch[static_cast<std::size_t>(t)];
      const KvCache::LayerView view = cache_.view(bt.seq, il);
      attend_group(q_.data() + t * n_q, view, bt.pos, shape, kv_head, scratch, attn_out_.data() + t * n_q);
    }
  });
  kernels::matmul(l.wo, attn_out_.data(), n_tokens, proj_.data(), &pool_);
  for (std::int64_t i = 0; i < n_tokens * n_embd; ++i) x_[static_cast<std::size_t>(i)] += proj_[static_cast<std::size_t>(i)];
}

void Forward::feed_forward_layer(std::int64_t n_tokens, int il) {
  const ModelHparams& hp = model_.hparams;
  const LayerWeights& l = model_.layers[static_cast<std::size_t>(il)];
  const std::int64_t n_embd = hp.n_embd;
  const std::int64_t n_ff = hp.n_ff;
  resize(gate_, n_tokens * n_ff);
  resize(up_, n_tokens * n_ff);
  for (std::int64_t t = 0; t < n_tokens; ++t) {
    rms_norm(x_.data() + t * n_embd, l.ffn_norm.data(), hp.n_embd, hp.rms_eps, norm_.data() + t * n_embd);
  }
  kernels::matmul_same_input({{&l.ffn_gate, gate_.data()}, {&l.ffn_up, up_.data()}}, norm_.data(), n_tokens, &pool_);
  swiglu_fast(gate_.data(), up_.data(), static_cast<int>(n_tokens * n_ff), gate_.data());
  kernels::matmul(l.ffn_down, gate_.data(), n_tokens, proj_.data(), &pool_);
  for (std::int64_t i = 0; i < n_tokens * n_embd; ++i) x_[static_cast<std::size_t>(i)] += proj_[static_cast<std::size_t>(i)];
}

}  // namespace reval::engine
