#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include "engine/model/attention.h"
#include "engine/model/ops.h"

namespace reval::engine {
namespace {

// A KV source over plain float rows [pos][n_kv_heads * head_dim].
class FloatKv final : public KvRowSource {
 public:
  FloatKv(std::vector<float> k, std::vector<float> v, int width, int head_dim)
      : k_(std::move(k)), v_(std::move(v)), width_(width), head_dim_(head_dim) {}
  void read_k(std::int64_t pos, int kv_head, float* out) const override { copy(k_, pos, kv_head, out); }
  void read_v(std::int64_t pos, int kv_head, float* out) const override { copy(v_, pos, kv_head, out); }

 private:
  void copy(const std::vector<float>& src, std::int64_t pos, int kv_head, float* out) const {
    for (int d = 0; d < head_dim_; ++d) out[d] = src[static_cast<std::size_t>(pos * width_ + kv_head * head_dim_ + d)];
  }
  std::vector<float> k_, v_;
  int width_, head_dim_;
};

float pseudo_random(int i) { return std::sin(static_cast<float>(i) * 12.9898f) * 0.7f; }

}  // namespace

TEST_CASE("rms norm divides by the root mean square and scales by the weight", "[engine][model]") {
  const std::vector<float> x = {1.0f, -2.0f, 3.0f, 4.0f};
  const std::vector<float> w = {1.0f, 0.5f, 2.0f, -1.0f};
  std::vector<float> out(4);
  rms_norm(x.data(), w.data(), 4, 1e-5f, out.data());
  const float rms = std::sqrt((1.0f + 4.0f + 9.0f + 16.0f) / 4.0f + 1e-5f);
  for (int i = 0; i < 4; ++i) CHECK(out[static_cast<std::size_t>(i)] == Approx(x[static_cast<std::size_t>(i)] / rms * w[static_cast<std::size_t>(i)]).epsilon(1e-6));
}

TEST_CASE("rope rotates adjacent pairs in normal mode by pos times base to the -2i/d", "[engine][model]") {
  const int head_dim = 8;
  std::vector<float> x(head_dim);
  for (int i = 0; i < head_dim; ++i) x[static_cast<std::size_t>(i)] = pseudo_random(i);
  std::vector<float> y = x;
  RopeParams params{.n_rot = head_dim, .freq_base = 10000.0f, .mode = RopeMode::kNormal};
  rope(y.data(), 1, head_dim, 7, params);
  for (int i = 0; i < head_dim / 2; ++i) {
    const double angle = 7.0 * std::pow(10000.0, -2.0 * i / head_dim);
    const double x0 = x[static_cast<std::size_t>(2 * i)], x1 = x[static_cast<std::size_t>(2 * i + 1)];
    CHECK(y[static_cast<std::size_t>(2 * i)] == Approx(x0 * std::cos(angle) - x1 * std::sin(angle)).margin(1e-5));
    CHECK(y[static_cast<std::size_t>(2 * i + 1)] == Approx(x0 * std::sin(angle) + x1 * std::cos(angle)).margin(1e-5));
  }
}

TEST_CASE("rope pairs i with i plus half in neox mode and honours frequency factors", "[engine][model]") {
  const int head_dim = 8;
  std::vector<float> x(2 * head_dim);
  for (int i = 0; i < 2 * head_dim; ++i) x[static_cast<std::size_t>(i)] = pseudo_random(i + 3);
  std::vector<float> y = x;
  const std::vector<float> factors = {1.0f, 2.0f, 4.0f, 8.0f};
  RopeParams params{.n_rot = head_dim, .freq_base = 500.0f, .freq_scale = 0.5f, .mode = RopeMode::kNeox,
                    .freq_factors = factors};
  rope(y.data(), 2, head_dim, 13, params);
  for (int h = 0; h < 2; ++h) {
    for (int i = 0; i < head_dim / 2; ++i) {
      const double angle = 0.5 * 13.0 * std::pow(500.0, -2.0 * i / head_dim) / factors[static_cast<std::size_t>(i)];
      const std::size_t a = static_cast<std::size_t>(h * head_dim + i), b = a + head_dim / 2;
      CHECK(y[a] == Approx(x[a] * std::cos(angle) - x[b] * std::sin(angle)).margin(1e-5));
      CHECK(y[b] == Approx(x[a] * std::sin(angle) + x[b] * std::cos(angle)).margin(1e-5));
    }
  }
}

TEST_CASE("rope at position zero is the identity", "[engine][model]") {
  std::vector<float> x = {0.1f, 0.2f, 0.3f, 0.4f};
  const std::vector<float> before = x;
  rope(x.data(), 1, 4, 0, RopeParams{.n_rot = 4});
  CHECK(x == before);
}

TEST_CASE("softmax sums to one and keeps order for large logits", "[engine][model]") {
  std::vector<float> x = {1000.0f, 1001.0f, 999.0f};
  softmax(x.data(), 3);
  CHECK(x[0] + x[1] + x[2] == Approx(1.0f));
  CHECK(x[1] > x[0]);
  CHECK(x[0] > x[2]);
  CHECK(x[1] == Approx(std::exp(1.0) / (1.0 + std::exp(1.0) + std::exp(-1.0))));
}

TEST_CASE("swiglu multiplies silu of the gate by up", "[engine][model]") {
  const std::vector<float> gate = {-2.0f, 0.0f, 3.0f};
  const std::vector<float> up = {1.5f, 2.0f, -1.0f};
  std::vector<float> out(3);
  swiglu(gate.data(), up.data(), 3, out.data());
  for (std::size_t i = 0; i < 3; ++i) CHECK(out[i] == Approx(gate[i] / (1.0 + std::exp(-gate[i])) * up[i]));
}

TEST_CASE("grouped-query attention matches the direct formula per head", "[engine][model]") {
  const int n_heads = 4, n_kv_heads = 2, head_dim = 4, n_pos = 5;
  const int width = n_kv_heads * head_dim;
  std::vector<float> k(static_cast<std::size_t>(n_pos * width)), v(k.size()), q(static_cast<std::size_t>(n_heads * head_dim));
  for (std::size_t i = 0; i < k.size(); ++i) {
    k[i] = pseudo_random(static_cast<int>(i));
    v[i] = pseudo_random(static_cast<int>(i) + 100);
  }
  for (std::size_t i = 0; i < q.size(); ++i) q[i] = pseudo_random(static_cast<int>(i) + 200);
  const FloatKv kv(k, v, width, head_dim);
  const std::int64_t n_past = 3;  // attends to positions 0..3, never 4
  std::vector<float> scratch(static_cast<std::size_t>(n_past + 1)), out(q.size());
  attend_one(q.data(), kv, n_past, AttentionShape{n_heads, n_kv_heads, head_dim}, scratch.data(), out.data());
  for (int h = 0; h < n_heads; ++h) {
    const int g = h / (n_heads / n_kv_heads);
    std::vector<double> w(static_cast<std::size_t>(n_past + 1));
    double z = 0.0;
    for (int p = 0; p <= n_past; ++p) {
      double dot = 0.0;
      for (int d = 0; d < head_dim; ++d) dot += q[static_cast<std::size_t>(h * head_dim + d)] * k[static_cast<std::size_t>(p * width + g * head_dim + d)];
      w[static_cast<std::size_t>(p)] = std::exp(dot / std::sqrt(head_dim));
      z += w[static_cast<std::size_t>(p)];
    }
    for (int d = 0; d < head_dim; ++d) {
      double expected = 0.0;
      for (int p = 0; p <= n_past; ++p) expected += w[static_cast<std::size_t>(p)] / z * v[static_cast<std::size_t>(p * width + g * head_dim + d)];
      // Q and the attention weights are rounded to half precision (relative error 2^-11).
      CHECK(out[static_cast<std::size_t>(h * head_dim + d)] == Approx(expected).margin(1e-3));
    }
  }
}

}  // namespace reval::engine

namespace reval::engine {

TEST_CASE("avx2 swiglu matches the scalar reference to float rounding", "[engine][model]") {
  if (!attention_uses_avx2()) {
    WARN("skipped: this CPU (or REVAL_KERNELS=scalar) has no AVX2");
    return;
  }
  // Gates across the whole useful range (silu saturates beyond +-90) plus a tail that is not a
  // multiple of 8; `up` varies in sign and size.
  const int n = 4099;
  std::vector<float> gate(static_cast<std::size_t>(n)), up(gate.size()), ref(gate.size()), fast(gate.size());
  for (int i = 0; i < n; ++i) {
    gate[static_cast<std::size_t>(i)] = -100.0f + 200.0f * static_cast<float>(i) / static_cast<float>(n);
    up[static_cast<std::size_t>(i)] = 3.0f * pseudo_random(i + 11);
  }
  gate[5] = 0.0f;
  swiglu(gate.data(), up.data(), n, ref.data());
  avx2::swiglu(gate.data(), up.data(), n, fast.data());
  for (std::size_t i = 0; i < ref.size(); ++i) {
    const float tol = 1e-6f * std::max(1.0f, std::fabs(ref[i]));
    if (!(std::fabs(fast[i] - ref[i]) <= tol)) {
      FAIL("first bad index " << i << " (gate " << gate[i] << "): avx2 " << fast[i] << " vs reference " << ref[i]
                              << ", tolerance " << tol);
    }
  }
  SUCCEED("all " << n << " values within 1e-6 relative");
}

}  // namespace reval::engine
