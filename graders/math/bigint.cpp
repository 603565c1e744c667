#include "graders/math/bigint.h"

#include <algorithm>
#include <cmath>

namespace reval::graders::math {

BigInt::BigInt(int64_t value) {
  negative_ = value < 0;
  // Negate in unsigned arithmetic so INT64_MIN does not overflow.
  uint64_t magnitude = negative_ ? (~static_cast<uint64_t>(value) + 1) : static_cast<uint64_t>(value);
  while (magnitude > 0) {
    limbs_.push_back(static_cast<uint32_t>(magnitude % kBase));
    magnitude /= kBase;
  }
}

std::optional<BigInt> BigInt::from_decimal(std::string_view text, size_t max_digits) {
  bool negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  if (text.empty()) return std::nullopt;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  while (text.size() > 1 && text[0] == '0') text.remove_prefix(1);
  if (text.size() > max_digits) return std::nullopt;
  BigInt result;
  // Limbs are read from the least significant end, nine digits at a time.
  for (size_t end = text.size(); end > 0;) {
    size_t begin = end >= static_cast<size_t>(kLimbDigits) ? end - kLimbDigits : 0;
    uint32_t limb = 0;
    for (size_t i = begin; i < end; ++i) limb = limb * 10 + static_cast<uint32_t>(text[i] - '0');
    result.limbs_.push_back(limb);
    end = begin;
  }
  result.negative_ = negative;
  result.normalize();
  return result;
}

size_t BigInt::n_digits() const {
  if (limbs_.empty()) return 1;
  size_t digits = (limbs_.size() - 1) * kLimbDigits;
  for (uint32_t top = limbs_.back(); top > 0; top /= 10) ++digits;
  return digits;
}

bool BigInt::to_int64(int64_t& out) const {
  if (limbs_.size() > 3) return false;
  // Accumulate with an overflow check against INT64_MAX (no 128-bit types: -Wpedantic).
  uint64_t magnitude = 0;
  for (size_t i = limbs_.size(); i-- > 0;) {
    if (magnitude > (static_cast<uint64_t>(INT64_MAX) - limbs_[i]) / kBase) return false;
    magnitude = magnitude * kBase + limbs_[i];
  }
  out = negative_ ? -static_cast<int64_t>(magnitude) : static_cast<int64_t>(magnitude);
  return true;
}

double BigInt::to_double() const {
  double value = 0;
  for (size_t i = limbs_.size(); i-- > 0;) value = value * kBase + limbs_[i];
  return negative_ ? -value : value;
}

double BigInt::log10_abs() const {
  if (limbs_.empty()) return -INFINITY;
  // The top three limbs carry all the precision a double can hold.
  size_t n = limbs_.size();
  size_t take = std::min<size_t>(n, 3);
  double lead = 0;
  for (size_t i = 0; i < take; ++i) lead = lead * kBase + limbs_[n - 1 - i];
  return std::log10(lead) + static_cast<double>((n - take) * kLimbDigits);
}

std::string BigInt::to_string() const {
  if (limbs_.empty()) return "0";
  std::string out = negative_ ? "-" : "";
  out += std::to_string(limbs_.back());
  for (size_t i = limbs_.size() - 1; i-- > 0;) {
    std::string part = std::to_string(limbs_[i]);
    out.append(static_cast<size_t>(kLimbDigits) - part.size(), '0');
    out += part;
  }
  return out;
}

BigInt BigInt::operator-() const {
  BigInt result = *this;
  if (!result.is_zero()) result.negative_ = !result.negative_;
  return result;
}

BigInt BigInt::abs() const {
  BigInt result = *this;
  result.negative_ = false;
  return result;
}

void BigInt::trim(std::vector<uint32_t>& limbs) {
  while (!limbs.empty() && limbs.back() == 0) limbs.pop_back();
}

void BigInt::normalize() {
  trim(limbs_);
  if (limbs_.empty()) negative_ = false;
}

int BigInt::compare_magnitude(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  for (size_t i = a.size(); i-- > 0;) {
    if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}

std::vector<uint32_t> BigInt::add_magnitude(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  std::vector<uint32_t> out(std::max(a.size(), b.size()) + 1, 0);
  uint32_t carry = 0;
  for (size_t i = 0; i < out.size(); ++i) {
    uint32_t sum = carry + (i < a.size() ? a[i] : 0) + (i < b.size() ? b[i] : 0);
    carry = sum >= kBase ? 1 : 0;
    out[i] = sum - carry * kBase;
  }
  trim(out);
  return out;
}

std::vector<uint32_t> BigInt::sub_magnitude(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  std::vector<uint32_t> out(a.size(), 0);
  int64_t borrow = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    int64_t diff = static_cast<int64_t>(a[i]) - borrow - (i < b.size() ? static_cast<int64_t>(b[i]) : 0);
    borrow = diff < 0 ? 1 : 0;
    out[i] = static_cast<uint32_t>(diff + borrow * static_cast<int64_t>(kBase));
  }
  trim(out);
  return out;
}

std::vector<uint32_t> BigInt::mul_magnitude(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  if (a.empty() || b.empty()) return {};
  std::vector<uint64_t> acc(a.size() + b.size() + 1, 0);
  for (size_t i = 0; i < a.size(); ++i) {
    uint64_t carry = 0;
    for (size_t j = 0; j < b.size(); ++j) {
      uint64_t cur = acc[i + j] + static_cast<uint64_t>(a[i]) * b[j] + carry;
      acc[i + j] = cur % kBase;
      carry = cur / kBase;
    }
    for (size_t k = i + b.size(); carry > 0; ++k) {
      uint64_t cur = acc[k] + carry;
      acc[k] = cur % kBase;
      carry = cur / kBase;
    }
  }
  std::vector<uint32_t> out(acc.begin(), acc.end());
  trim(out);
  return out;
}

std::vector<uint32_t> BigInt::mul_small(const std::vector<uint32_t>& a, uint32_t m) {
  std::vector<uint32_t> out;
  out.reserve(a.size() + 1);
  uint64_t carry = 0;
  for (uint32_t limb : a) {
    uint64_t cur = static_cast<uint64_t>(limb) * m + carry;
    out.push_back(static_cast<uint32_t>(cur % kBase));
    carry = cur / kBase;
  }
  if (carry > 0) out.push_back(static_cast<uint32_t>(carry));
  trim(out);
  return out;
}

BigInt operator+(const BigInt& a, const BigInt& b) {
  BigInt result;
  if (a.negative_ == b.negative_) {
    result.limbs_ = BigInt::add_magnitude(a.limbs_, b.limbs_);
    result.negative_ = a.negative_;
  } else if (BigInt::compare_magnitude(a.limbs_, b.limbs_) >= 0) {
    result.limbs_ = BigInt::sub_magnitude(a.limbs_, b.limbs_);
    result.negative_ = a.negative_;
  } else {
    result.limbs_ = BigInt::sub_magnitude(b.limbs_, a.limbs_);
    result.negative_ = b.negative_;
  }
  result.normalize();
  return result;
}

BigInt operator-(const BigInt& a, const BigInt& b) { return a + (-b); }

BigInt operator*(const BigInt& a, const BigInt& b) {
  BigInt result;
  result.limbs_ = BigInt::mul_magnitude(a.limbs_, b.limbs_);
  result.negative_ = a.negative_ != b.negative_;
  result.normalize();
  return result;
}

void BigInt::divmod(const BigInt& a, const BigInt& b, BigInt& quotient, BigInt& remainder) {
  quotient = BigInt();
  remainder = BigInt();
  if (b.is_zero()) return;  // precondition violated; callers check for zero divisors
  if (compare_magnitude(a.limbs_, b.limbs_) < 0) {
    remainder = a;
    return;
  }
  const size_t m = b.limbs_.size();
  std::vector<uint32_t> q(a.limbs_.size(), 0);
  // Schoolbook long division, one base-1e9 digit at a time. The remainder starts with the top
  // m-1 limbs of the dividend; each quotient digit is estimated from the leading limbs in long
  // double and then corrected by exact comparison.
  std::vector<uint32_t> r(a.limbs_.end() - static_cast<std::ptrdiff_t>(m - 1), a.limbs_.end());
  // b's top two limbs are exact in a long double (< 1e18 < 2^64).
  const long double b_lead = m >= 2 ? static_cast<long double>(b.limbs_[m - 1]) * kBase + b.limbs_[m - 2]
                                    : static_cast<long double>(b.limbs_[0]);
  const int b_exponent = m >= 2 ? static_cast<int>(m) - 2 : 0;
  for (size_t i = a.limbs_.size() - m + 1; i-- > 0;) {
    r.insert(r.begin(), a.limbs_[i]);
    trim(r);
    if (compare_magnitude(r, b.limbs_) < 0) continue;
    size_t n = r.size();
    long double r_lead = 0;
    for (size_t k = n; k-- > (n >= 3 ? n - 3 : 0);) r_lead = r_lead * kBase + r[k];
    int r_exponent = n >= 3 ? static_cast<int>(n) - 3 : 0;
    long double estimate = r_lead / b_lead;
    for (int e = r_exponent - b_exponent; e > 0; --e) estimate *= kBase;
    for (int e = r_exponent - b_exponent; e < 0; ++e) estimate /= kBase;
    uint32_t digit = estimate >= kBase - 1 ? kBase - 1 : (estimate <= 0 ? 0 : static_cast<uint32_t>(estimate));
    // The estimate is off by at most a few units; correct it exactly, with binary search as a
    // safety net should it ever be further off.
    int steps = 0;
    while (digit > 0 && compare_magnitude(mul_small(b.limbs_, digit), r) > 0 && ++steps < 8) --digit;
    while (digit + 1 < kBase && compare_magnitude(mul_small(b.limbs_, digit + 1), r) <= 0 && ++steps < 16) ++digit;
    if (steps >= 8) {
      uint32_t lo = 0;
      uint32_t hi = kBase - 1;
      while (lo < hi) {
        uint32_t mid = lo + (hi - lo + 1) / 2;
        if (compare_magnitude(mul_small(b.limbs_, mid), r) <= 0) {
          lo = mid;
        } else {
          hi = mid - 1;
        }
      }
      digit = lo;
    }
    q[i] = digit;
    if (digit > 0) r = sub_magnitude(r, mul_small(b.limbs_, digit));
  }
  trim(q);
  quotient.limbs_ = std::move(q);
  quotient.negative_ = a.negative_ != b.negative_;
  quotient.normalize();
  remainder.limbs_ = std::move(r);
  remainder.negative_ = a.negative_;
  remainder.normalize();
}

BigInt operator/(const BigInt& a, const BigInt& b) {
  BigInt q;
  BigInt r;
  BigInt::divmod(a, b, q, r);
  return q;
}

BigInt operator%(const BigInt& a, const BigInt& b) {
  BigInt q;
  BigInt r;
  BigInt::divmod(a, b, q, r);
  return r;
}

std::strong_ordering operator<=>(const BigInt& a, const BigInt& b) {
  if (a.negative_ != b.negative_) return a.negative_ ? std::strong_ordering::less : std::strong_ordering::greater;
  int c = BigInt::compare_magnitude(a.limbs_, b.limbs_);
  if (a.negative_) c = -c;
  return c < 0 ? std::strong_ordering::less : (c > 0 ? std::strong_ordering::greater : std::strong_ordering::equal);
}

BigInt BigInt::gcd(BigInt a, BigInt b) {
  a = a.abs();
  b = b.abs();
  while (!b.is_zero()) {
    BigInt r = a % b;
    a = std::move(b);
    b = std::move(r);
  }
  return a;
}

std::optional<BigInt> BigInt::pow(const BigInt& base, uint64_t exponent, size_t max_digits) {
  if (exponent == 0) return BigInt(1);
  if (base.is_zero() || base.limbs_ == std::vector<uint32_t>{1}) {
    BigInt result = base;
    if (base.negative_ && exponent % 2 == 0) result = result.abs();
    return result;
  }
  // Refuse before computing: the result has about exponent*log10|base| digits.
  double digits = static_cast<double>(exponent) * base.log10_abs();
  if (digits > static_cast<double>(max_digits)) return std::nullopt;
  BigInt result(1);
  BigInt square = base;
  for (uint64_t e = exponent; e > 0; e >>= 1) {
    if (e & 1) result = result * square;
    if (e > 1) square = square * square;
  }
  return result;
}

BigInt BigInt::nth_root(const BigInt& value, unsigned n, bool& exact) {
  exact = false;
  if (value.is_zero() || value.is_negative() || n == 0) {
    exact = value.is_zero();
    return BigInt();
  }
  if (n == 1) {
    exact = true;
    return value;
  }
  // Start from a floating estimate, then correct with exact integer comparisons.
  double estimate = std::pow(10.0, value.log10_abs() / n);
  BigInt root;
  if (estimate < 1e15) {
    root = BigInt(static_cast<int64_t>(std::llround(estimate)));
  } else {
    // Large roots: Newton iteration from the estimate's digits.
    auto from = BigInt::from_decimal(std::to_string(static_cast<long long>(estimate / std::pow(10.0, std::floor(std::log10(estimate)) - 15))));
    auto scale = BigInt::pow(BigInt(10), static_cast<uint64_t>(std::floor(std::log10(estimate)) - 15));
    root = (from && scale) ? *from * *scale : BigInt(1);
    for (int iter = 0; iter < 200; ++iter) {
      auto p = BigInt::pow(root, n - 1, 1000000);
      if (!p || p->is_zero()) break;
      BigInt next = (BigInt(static_cast<int64_t>(n - 1)) * root + value / *p) / BigInt(static_cast<int64_t>(n));
      if (next == root) break;
      root = next;
    }
  }
  auto power_of = [&](const BigInt& r) { return BigInt::pow(r, n, 1000000).value_or(BigInt()); };
  while (root > BigInt(0) && power_of(root) > value) root = root - BigInt(1);
  while (power_of(root + BigInt(1)) <= value) root = root + BigInt(1);
  exact = power_of(root) == value;
  return root;
}

}  // namespace reval::graders::math
