// BigInt: arbitrary-precision signed integers (sign + magnitude in base 1e9 limbs), written for the
// math grader's exact arithmetic. Values are immutable-style (operators return new values);
// instances are independent, so concurrent use of distinct objects is thread-safe.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace reval::graders::math {

class BigInt {
 public:
  static constexpr uint32_t kBase = 1000000000u;  // one limb holds 9 decimal digits
  static constexpr int kLimbDigits = 9;

  BigInt() = default;
  BigInt(int64_t value);  // NOLINT(google-explicit-constructor): integers convert naturally

  // Parses an optional sign followed by decimal digits; nullopt on anything else or when the
  // number has more than `max_digits` digits.
  static std::optional<BigInt> from_decimal(std::string_view text, size_t max_digits = 20000);

  bool is_zero() const { return limbs_.empty(); }
  bool is_negative() const { return negative_; }
  bool is_one() const { return !negative_ && limbs_.size() == 1 && limbs_[0] == 1; }
  int sign() const { return is_zero() ? 0 : (negative_ ? -1 : 1); }
  // Number of decimal digits of |value| (0 has 1 digit).
  size_t n_digits() const;
  // True when the value fits in int64; `out` receives it.
  bool to_int64(int64_t& out) const;
  double to_double() const;
  // log10(|value|) for nonzero values, even when the value overflows a double.
  double log10_abs() const;
  std::string to_string() const;

  BigInt operator-() const;
  BigInt abs() const;
  friend BigInt operator+(const BigInt& a, const BigInt& b);
  friend BigInt operator-(const BigInt& a, const BigInt& b);
  friend BigInt operator*(const BigInt& a, const BigInt& b);
  // Truncating division (like C++ ints). Precondition: divisor nonzero.
  friend BigInt operator/(const BigInt& a, const BigInt& b);
  friend BigInt operator%(const BigInt& a, const BigInt& b);
  static void divmod(const BigInt& a, const BigInt& b, BigInt& quotient, BigInt& remainder);

  friend bool operator==(const BigInt& a, const BigInt& b) = default;
  friend std::strong_ordering operator<=>(const BigInt& a, const BigInt& b);

  static BigInt gcd(BigInt a, BigInt b);
  // a^exponent; nullopt when the result would exceed `max_digits` decimal digits.
  static std::optional<BigInt> pow(const BigInt& base, uint64_t exponent, size_t max_digits = 20000);
  // Floor of the n-th root of a non-negative value, and whether it is exact.
  static BigInt nth_root(const BigInt& value, unsigned n, bool& exact);

 private:
  static int compare_magnitude(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b);
  static std::vector<uint32_t> add_magnitude(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b);
  // Precondition: |a| >= |b|.
  static std::vector<uint32_t> sub_magnitude(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b);
  static std::vector<uint32_t> mul_magnitude(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b);
  static std::vector<uint32_t> mul_small(const std::vector<uint32_t>& a, uint32_t m);
  static void trim(std::vector<uint32_t>& limbs);
  void normalize();

  bool negative_ = false;
  std::vector<uint32_t> limbs_;  // little-endian, no leading zero limbs; empty means zero
};

}  // namespace reval::graders::math
