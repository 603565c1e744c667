// Rational: exact fractions over BigInt, always reduced with a positive denominator.
// Operations that would exceed the digit bound fail (nullopt) instead of growing without limit.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "graders/math/bigint.h"

namespace reval::graders::math {

// Digit bound for every exact number the grader builds; beyond it a comparison reports
// `limit_exceeded` or falls back to floating point.
inline constexpr size_t kMaxExactDigits = 4000;

class Rational {
 public:
  Rational() : num_(0), den_(1) {}
  Rational(int64_t value) : num_(value), den_(1) {}  // NOLINT(google-explicit-constructor)
  explicit Rational(BigInt value) : num_(std::move(value)), den_(1) {}
  // nullopt when den is zero.
  static std::optional<Rational> make(BigInt num, BigInt den);
  // Parses "123", "-4.50", "1e5", "2.5E-3" (digits only, optional sign/point/exponent).
  // `n_decimals` receives the number of digits after the point (0 without a point).
  static std::optional<Rational> from_decimal(std::string_view text, int* n_decimals = nullptr);

  const BigInt& num() const { return num_; }
  const BigInt& den() const { return den_; }
  bool is_integer() const { return den_.is_one(); }
  bool is_zero() const { return num_.is_zero(); }
  int sign() const { return num_.sign(); }
  double to_double() const;
  std::string to_string() const;  // "3", "-1/2"
  size_t n_digits() const { return num_.n_digits() + den_.n_digits(); }

  Rational operator-() const;
  friend std::optional<Rational> add(const Rational& a, const Rational& b);
  friend std::optional<Rational> sub(const Rational& a, const Rational& b);
  friend std::optional<Rational> mul(const Rational& a, const Rational& b);
  friend std::optional<Rational> div(const Rational& a, const Rational& b);
  // a^e for an integer exponent (negative allowed when a != 0); nullopt past the digit bound.
  friend std::optional<Rational> pow(const Rational& a, int64_t e);

  friend bool operator==(const Rational& a, const Rational& b) = default;
  friend std::strong_ordering operator<=>(const Rational& a, const Rational& b);

 private:
  Rational(BigInt num, BigInt den, bool /*reduced*/) : num_(std::move(num)), den_(std::move(den)) {}
  static std::optional<Rational> bounded(Rational r);

  BigInt num_;
  BigInt den_;
};

std::optional<Rational> add(const Rational& a, const Rational& b);
std::optional<Rational> sub(const Rational& a, const Rational& b);
std::optional<Rational> mul(const Rational& a, const Rational& b);
std::optional<Rational> div(const Rational& a, const Rational& b);
std::optional<Rational> pow(const Rational& a, int64_t e);

}  // namespace reval::graders::math
