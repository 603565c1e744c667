#include <catch2/catch.hpp>

#include <cmath>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "engine/kv_cache.h"
#include "engine/model/attention.h"
#include "engine/model/ops.h"

namespace reval::engine {
namespace {

float pseudo_random(std::int64_t i) { return std::sin(static_cast<float>(i) * 12.9898f + 0.5f) * 0.9f; }

struct Filled {
  std::unique_ptr<KvCache> cache;
  SeqId seq = 0;
};

// A cache holding n_pos positions of pseudo-random K/V for layer 0, in blocks of 16 positions.
Filled fill_cache(const AttentionShape& shape, std::int64_t n_pos, float k_scale) {
  const KvCacheConfig config{.n_layers = 1, .n_kv_heads = shape.n_kv_heads, .head_dim = shape.head_dim,
                             .budget_bytes = std::int64_t{1} << 26, .block_tokens = 16};
  Filled f{KvCache::create(config).value(), 0};
  f.seq = *f.cache->open(n_pos);
  f.cache->extend(f.seq, n_pos);
  const std::int64_t width = static_cast<std::int64_t>(shape.n_kv_heads) * shape.head_dim;
  std::vector<float> k(static_cast<std::size_t>(width)), v(k.size());
  for (std::int64_t p = 0; p < n_pos; ++p) {
    for (std::int64_t i = 0; i < width; ++i) {
      k[static_cast<std::size_t>(i)] = k_scale * pseudo_random(p * width + i);
      v[static_cast<std::size_t>(i)] = pseudo_random(p * width + i + 7777);
    }
    f.cache->write(f.seq, 0, p, k.data(), v.data());
  }
  return f;
}

std::vector<float> query(const AttentionShape& shape, int salt) {
  std::vector<float> q(static_cast<std::size_t>(shape.n_heads) * shape.head_dim);
  for (std::size_t i = 0; i < q.size(); ++i) q[i] = 2.0f * pseudo_random(static_cast<std::int64_t>(i) * 31 + salt);
  return q;
}

using GroupFn = void (*)(const float*, const KvCache::LayerView&, std::int64_t, const AttentionShape&, int,
                         AttentionScratch&, float*);

std::vector<float> run_groups(GroupFn fn, const std::vector<float>& q, const KvCache::LayerView& view,
                              std::int64_t n_past, const AttentionShape& shape) {
  std::vector<float> out(q.size(), -1.0f);
  AttentionScratch scratch;
  for (int g = 0; g < shape.n_kv_heads; ++g) fn(q.data(), view, n_past, shape, g, scratch, out.data());
  return out;
}

// Empty when every |a - b| <= tol; otherwise names the first bad index and both values.
std::string first_mismatch(const std::vector<float>& a, const std::vector<float>& b, float tol) {
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!(std::fabs(a[i] - b[i]) <= tol)) {
      std::ostringstream message;
      message << "first bad index " << i << " of " << a.size() << ": " << a[i] << " vs " << b[i] << " (tolerance "
              << tol << ")";
      return message.str();
    }
  }
  return "";
}

const AttentionShape kShapes[] = {
    {.n_heads = 12, .n_kv_heads = 2, .head_dim = 128},  // R1-Distill-Qwen-1.5B
    {.n_heads = 4, .n_kv_heads = 4, .head_dim = 64},    // no grouping
    {.n_heads = 16, .n_kv_heads = 1, .head_dim = 32},   // a group wider than one 8-head slice
    {.n_heads = 6, .n_kv_heads = 2, .head_dim = 12},    // head_dim not a multiple of 8: reference path
};

}  // namespace

TEST_CASE("grouped attention over cache blocks matches the row-by-row reference", "[engine][model]") {
  for (const AttentionShape& shape : kShapes) {
    for (std::int64_t n_past : {0, 15, 16, 70}) {
      const Filled f = fill_cache(shape, n_past + 1, 1.0f);
      const auto view = f.cache->view(f.seq, 0);
      const std::vector<float> q = query(shape, static_cast<int>(n_past));
      const std::vector<float> grouped = run_groups(attend_group_ref, q, view, n_past, shape);
      std::vector<float> expected(q.size());
      std::vector<float> scratch(static_cast<std::size_t>(n_past + 1));
      attend_one(q.data(), view, n_past, shape, scratch.data(), expected.data());
      INFO("heads " << shape.n_heads << "/" << shape.n_kv_heads << " dim " << shape.head_dim << " n_past " << n_past);
      const std::string mismatch = first_mismatch(grouped, expected, 1e-6f);
      CHECK(mismatch == "");
    }
  }
}

TEST_CASE("avx2 attention matches the scalar reference within half-precision rounding", "[engine][model]") {
  if (!attention_uses_avx2()) {
    WARN("skipped: this CPU (or REVAL_KERNELS=scalar) has no AVX2/F16C attention");
    return;
  }
  for (const AttentionShape& shape : kShapes) {
    // Large K values make peaked softmaxes (the exp approximation far from zero); small ones flat.
    for (float k_scale : {0.05f, 1.0f, 8.0f}) {
      for (std::int64_t n_past : {0, 7, 15, 16, 17, 300}) {
        const Filled f = fill_cache(shape, n_past + 1, k_scale);
        const auto view = f.cache->view(f.seq, 0);
        const std::vector<float> q = query(shape, static_cast<int>(n_past) + 5);
        const std::vector<float> fast = run_groups(avx2::attend_group, q, view, n_past, shape);
        const std::vector<float> ref = run_groups(attend_group_ref, q, view, n_past, shape);
        INFO("heads " << shape.n_heads << "/" << shape.n_kv_heads << " dim " << shape.head_dim << " n_past "
                      << n_past << " k scale " << k_scale);
        // The weights are rounded to half precision (relative 2^-11); a different summation order or
        // exp rounding can move one weight by one half ulp, and V entries are below 1 in magnitude.
        const std::string mismatch = first_mismatch(fast, ref, 2e-3f);
        CHECK(mismatch == "");
      }
    }
  }
}

TEST_CASE("avx512 attention matches the scalar reference within half-precision rounding", "[engine][model]") {
  if (!attention_uses_avx512()) {
    WARN("skipped: this CPU (or REVAL_KERNELS) has no AVX-512 attention");
    return;
  }
  for (const AttentionShape& shape : kShapes) {
    // Large K values make peaked softmaxes (the exp approximation far from zero); small ones flat.
    for (float k_scale : {0.05f, 1.0f, 8.0f}) {
      for (std::int64_t n_past : {0, 7, 15, 16, 17, 300}) {
        const Filled f = fill_cache(shape, n_past + 1, k_scale);
        const auto view = f.cache->view(f.seq, 0);
        const std::vector<float> q = query(shape, static_cast<int>(n_past) + 5);
        const std::vector<float> fast = run_groups(avx512::attend_group, q, view, n_past, shape);
        const std::vector<float> ref = run_groups(attend_group_ref, q, view, n_past, shape);
        INFO("heads " << shape.n_heads << "/" << shape.n_kv_heads << " dim " << shape.head_dim << " n_past "
                      << n_past << " k scale " << k_scale);
        // The weights are rounded to half precision (relative 2^-11); a different summation order or
        // exp rounding can move one weight by one half ulp, and V entries are below 1 in magnitude.
        const std::string mismatch = first_mismatch(fast, ref, 2e-3f);
        CHECK(mismatch == "");
      }
    }
  }
}

TEST_CASE("attention writes only its own group's heads", "[engine][model]") {
  const AttentionShape shape{.n_heads = 12, .n_kv_heads = 2, .head_dim = 128};
  const Filled f = fill_cache(shape, 40, 1.0f);
  const std::vector<float> q = query(shape, 3);
  std::vector<float> out(q.size(), 42.0f);
  AttentionScratch scratch;
  attend_group(q.data(), f.cache->view(f.seq, 0), 39, shape, 1, scratch, out.data());
  for (std::size_t i = 0; i < out.size() / 2; ++i) REQUIRE(out[i] == 42.0f);
  bool written = false;
  for (std::size_t i = out.size() / 2; i < out.size(); ++i) written = written || out[i] != 42.0f;
  CHECK(written);
}

}  // namespace reval::engine
