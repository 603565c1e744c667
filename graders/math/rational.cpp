#include "graders/math/rational.h"

#include <cmath>

namespace reval::graders::math {

std::optional<Rational> Rational::make(BigInt num, BigInt den) {
  if (den.is_zero()) return std::nullopt;
  if (den.is_negative()) {
    num = -num;
    den = -den;
  }
  BigInt g = BigInt::gcd(num, den);
  if (!g.is_one() && !g.is_zero()) {
    num = num / g;
    den = den / g;
  }
  return bounded(Rational(std::move(num), std::move(den), true));
}

std::optional<Rational> Rational::bounded(Rational r) {
  if (r.n_digits() > kMaxExactDigits) return std::nullopt;
  return r;
}

std::optional<Rational> Rational::from_decimal(std::string_view text, int* n_decimals) {
  bool negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  std::string_view mantissa = text;
  int64_t exponent = 0;
  size_t e_pos = text.find_first_of("eE");
  if (e_pos != std::string_view::npos) {
    mantissa = text.substr(0, e_pos);
    std::string_view exp_text = text.substr(e_pos + 1);
    bool exp_negative = false;
    if (!exp_text.empty() && (exp_text[0] == '-' || exp_text[0] == '+')) {
      exp_negative = exp_text[0] == '-';
      exp_text.remove_prefix(1);
    }
    if (exp_text.empty() || exp_text.size() > 6) return std::nullopt;
    for (char c : exp_text) {
      if (c < '0' || c > '9') return std::nullopt;
      exponent = exponent * 10 + (c - '0');
    }
    if (exp_negative) exponent = -exponent;
  }
  std::string digits;
  int decimals = 0;
  bool seen_point = false;
  for (char c : mantissa) {
    if (c == '.') {
      if (seen_point) return std::nullopt;
      seen_point = true;
    } else if (c >= '0' && c <= '9') {
      digits += c;
      if (seen_point) ++decimals;
    } else {
      return std::nullopt;
    }
  }
  if (digits.empty()) return std::nullopt;
  if (n_decimals != nullptr) *n_decimals = decimals;
  auto num = BigInt::from_decimal(digits, kMaxExactDigits);
  if (!num) return std::nullopt;
  int64_t scale = exponent - decimals;
  if (scale > static_cast<int64_t>(kMaxExactDigits) || scale < -static_cast<int64_t>(kMaxExactDigits)) {
    return std::nullopt;
  }
  auto power = BigInt::pow(BigInt(10), static_cast<uint64_t>(scale < 0 ? -scale : scale));
  if (!power) return std::nullopt;
  BigInt n = negative ? -*num : *num;
  return scale >= 0 ? make(n * *power, BigInt(1)) : make(n, *power);
}

double Rational::to_double() const {
  // Scale through log10 so huge numerators and denominators do not overflow to inf/inf.
  if (num_.is_zero()) return 0.0;
  double lg = num_.log10_abs() - den_.log10_abs();
  if (num_.n_digits() < 300 && den_.n_digits() < 300) return num_.to_double() / den_.to_double();
  double magnitude = std::pow(10.0, lg);
  return num_.is_negative() ? -magnitude : magnitude;
}

std::string Rational::to_string() const {
  if (is_integer()) return num_.to_string();
  return num_.to_string() + "/" + den_.to_string();
}

Rational Rational::operator-() const { return Rational(-num_, den_, true); }

std::optional<Rational> add(const Rational& a, const Rational& b) {
  if (a.den_ == b.den_) return Rational::make(a.num_ + b.num_, a.den_);
  return Rational::make(a.num_ * b.den_ + b.num_ * a.den_, a.den_ * b.den_);
}

std::optional<Rational> sub(const Rational& a, const Rational& b) { return add(a, -b); }

std::optional<Rational> mul(const Rational& a, const Rational& b) {
  return Rational::make(a.num_ * b.num_, a.den_ * b.den_);
}

std::optional<Rational> div(const Rational& a, const Rational& b) {
  if (b.is_zero()) return std::nullopt;
  return Rational::make(a.num_ * b.den_, a.den_ * b.num_);
}

std::optional<Rational> pow(const Rational& a, int64_t e) {
  if (e == 0) return Rational(1);
  if (a.is_zero()) return e > 0 ? std::optional<Rational>(Rational(0)) : std::nullopt;
  uint64_t magnitude = e < 0 ? static_cast<uint64_t>(-(e + 1)) + 1 : static_cast<uint64_t>(e);
  auto n = BigInt::pow(a.num_, magnitude, kMaxExactDigits);
  auto d = BigInt::pow(a.den_, magnitude, kMaxExactDigits);
  if (!n || !d) return std::nullopt;
  return e > 0 ? Rational::make(*n, *d) : Rational::make(*d, *n);
}

std::strong_ordering operator<=>(const Rational& a, const Rational& b) {
  return (a.num_ * b.den_) <=> (b.num_ * a.den_);
}

}  // namespace reval::graders::math
