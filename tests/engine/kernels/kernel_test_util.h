// Helpers for kernel tests: deterministic random data and comparisons that report the first index
// outside tolerance.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace reval::kernels::test {

inline std::vector<float> random_floats(std::size_t n, std::uint32_t seed, float scale = 1.0f) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> dist(0.0f, scale);
  std::vector<float> v(n);
  for (float& x : v) x = dist(rng);
  return v;
}

// "" when |a[i] - b[i]| <= abs_tol + rel_tol * |b[i]| for all i; else a message naming the first bad index.
inline std::string first_mismatch(const float* a, const float* b, std::size_t n, float abs_tol, float rel_tol = 0.0f) {
  for (std::size_t i = 0; i < n; ++i) {
    const float tol = abs_tol + rel_tol * std::fabs(b[i]);
    if (!(std::fabs(a[i] - b[i]) <= tol)) {
      std::ostringstream out;
      out << "first mismatch at index " << i << ": " << a[i] << " vs " << b[i] << " (tolerance " << tol << ")";
      return out.str();
    }
  }
  return "";
}

inline std::string first_byte_mismatch(const std::uint8_t* a, const std::uint8_t* b, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) {
      std::ostringstream out;
      out << "first differing byte at index " << i << ": " << int(a[i]) << " vs " << int(b[i]);
      return out.str();
    }
  }
  return "";
}

}  // namespace reval::kernels::test
