#include "graders/math/exact_value.h"

#include <cmath>

namespace reval::graders::math {
namespace {

constexpr size_t kMaxTerms = 16;
constexpr int64_t kMaxIntegerExponent = 20000;
constexpr size_t kMaxRadicandDigits = 40;  // square-free extraction is trial division; keep it cheap

using Value = std::optional<ExactValue>;

ExactValue from_rational(Rational r) {
  ExactValue v;
  if (!r.is_zero()) v.terms.emplace(BigInt(1), std::move(r));
  return v;
}

class Evaluator {
 public:
  Value eval(const Node& node, int depth);
  bool limit_exceeded = false;

 private:
  Value add(const ExactValue& a, const ExactValue& b);
  Value multiply(const ExactValue& a, const ExactValue& b);
  Value inverse(const ExactValue& a);
  Value power(const ExactValue& base, const ExactValue& exponent);
  Value integer_power(const ExactValue& base, int64_t e);
  Value root(const Rational& r, int64_t n);
  Value sqrt_rational(const Rational& r);
  Value function(const Node& node, int depth);
  Value fail_limit() {
    limit_exceeded = true;
    return std::nullopt;
  }
};

Value Evaluator::add(const ExactValue& a, const ExactValue& b) {
  ExactValue out = a;
  for (const auto& [radicand, coef] : b.terms) {
    auto it = out.terms.find(radicand);
    if (it == out.terms.end()) {
      out.terms.emplace(radicand, coef);
      continue;
    }
    auto sum = math::add(it->second, coef);
    if (!sum) return fail_limit();
    if (sum->is_zero()) {
      out.terms.erase(it);
    } else {
      it->second = *sum;
    }
  }
  if (out.terms.size() > kMaxTerms) return fail_limit();
  return out;
}

Value Evaluator::multiply(const ExactValue& a, const ExactValue& b) {
  ExactValue out;
  for (const auto& [ra, ca] : a.terms) {
    for (const auto& [rb, cb] : b.terms) {
      // sqrt(ra)*sqrt(rb) = g*sqrt((ra/g)(rb/g)) with g = gcd: the product stays square-free.
      BigInt g = BigInt::gcd(ra, rb);
      BigInt radicand = (ra / g) * (rb / g);
      auto coef = mul(ca, cb);
      if (!coef) return fail_limit();
      coef = mul(*coef, Rational(g));
      if (!coef) return fail_limit();
      ExactValue term;
      term.terms.emplace(radicand, *coef);
      auto sum = add(out, term);
      if (!sum) return std::nullopt;
      out = std::move(*sum);
    }
  }
  return out;
}

Value Evaluator::inverse(const ExactValue& a) {
  if (a.terms.empty()) return std::nullopt;  // division by zero
  if (a.terms.size() == 1) {
    const auto& [radicand, coef] = *a.terms.begin();
    // 1/(c*sqrt(r)) = sqrt(r)/(c*r)
    auto denom = mul(coef, Rational(radicand));
    if (!denom) return fail_limit();
    auto inv = div(Rational(1), *denom);
    if (!inv) return fail_limit();
    ExactValue out;
    out.terms.emplace(radicand, *inv);
    return out;
  }
  if (a.terms.size() == 2 && a.terms.begin()->first.is_one()) {
    // 1/(p + q*sqrt(r)) = (p - q*sqrt(r)) / (p^2 - q^2 r)
    const Rational& p = a.terms.begin()->second;
    const auto& [r, q] = *std::next(a.terms.begin());
    auto p2 = mul(p, p);
    auto q2 = mul(q, q);
    if (!p2 || !q2) return fail_limit();
    auto q2r = mul(*q2, Rational(r));
    if (!q2r) return fail_limit();
    auto norm = sub(*p2, *q2r);
    if (!norm || norm->is_zero()) return fail_limit();
    auto a0 = div(p, *norm);
    auto a1 = div(-q, *norm);
    if (!a0 || !a1) return fail_limit();
    ExactValue out;
    out.terms.emplace(BigInt(1), *a0);
    out.terms.emplace(r, *a1);
    return out;
  }
  return std::nullopt;
}

Value Evaluator::integer_power(const ExactValue& base, int64_t e) {
  if (e < 0) {
    auto inv = inverse(base);
    if (!inv) return std::nullopt;
    return integer_power(*inv, -e);
  }
  if (base.is_rational()) {
    auto r = pow(base.rational_part(), e);
    if (!r) return fail_limit();
    return from_rational(*r);
  }
  if (e > 64) return fail_limit();
  ExactValue result = from_rational(1);
  ExactValue square = base;
  for (int64_t k = e; k > 0; k >>= 1) {
    if (k & 1) {
      auto next = multiply(result, square);
      if (!next) return std::nullopt;
      result = std::move(*next);
    }
    if (k > 1) {
      auto next = multiply(square, square);
      if (!next) return std::nullopt;
      square = std::move(*next);
    }
  }
  return result;
}

Value Evaluator::sqrt_rational(const Rational& r) {
  if (r.sign() < 0) return std::nullopt;  // imaginary: left to the numeric path
  if (r.is_zero()) return ExactValue{};
  // sqrt(p/q) = sqrt(p*q)/q; split p*q into s^2 * f with f square-free.
  BigInt n = r.num() * r.den();
  if (n.n_digits() > kMaxRadicandDigits) return fail_limit();
  BigInt square_part(1);
  BigInt rest = n;
  for (int64_t p = 2; p <= 10000; p += (p == 2 ? 1 : 2)) {
    BigInt bp(p);
    BigInt bp2(p * p);
    if (bp2 > rest) break;
    while ((rest % bp2).is_zero()) {
      rest = rest / bp2;
      square_part = square_part * bp;
    }
  }
  bool exact = false;
  BigInt s = BigInt::nth_root(rest, 2, exact);
  if (exact) {
    square_part = square_part * s;
    rest = BigInt(1);
  } else if (rest > BigInt(100000000)) {
    // No factor up to 1e4 remains, but a square of a larger prime might: not provably square-free.
    return std::nullopt;
  }
  auto coef = Rational::make(square_part, r.den());
  if (!coef) return fail_limit();
  ExactValue out;
  out.terms.emplace(rest, *coef);
  return out;
}

Value Evaluator::root(const Rational& r, int64_t n) {
  if (n == 2) return sqrt_rational(r);
  if (r.sign() < 0) {
    if (n % 2 == 0) return std::nullopt;
    auto positive = root(-r, n);
    if (!positive) return std::nullopt;
    return multiply(*positive, from_rational(-1));
  }
  if (n > 200) return std::nullopt;
  bool exact_num = false;
  bool exact_den = false;
  BigInt a = BigInt::nth_root(r.num(), static_cast<unsigned>(n), exact_num);
  BigInt b = BigInt::nth_root(r.den(), static_cast<unsigned>(n), exact_den);
  if (!exact_num || !exact_den) return std::nullopt;
  auto q = Rational::make(a, b);
  if (!q) return fail_limit();
  return from_rational(*q);
}

Value Evaluator::power(const ExactValue& base, const ExactValue& exponent) {
  if (!exponent.is_rational()) return std::nullopt;
  Rational e = exponent.rational_part();
  if (e.is_integer()) {
    int64_t k = 0;
    if (!e.num().to_int64(k) || k > kMaxIntegerExponent || k < -kMaxIntegerExponent) {
      // Huge exponents of 0, 1, -1 are still exact; anything else is refused, not computed.
      if (base.is_rational()) {
        const Rational b = base.rational_part();
        if (b.is_zero() && e.sign() > 0) return ExactValue{};
        if (b == Rational(1)) return from_rational(1);
      }
      return fail_limit();
    }
    return integer_power(base, k);
  }
  if (!base.is_rational()) return std::nullopt;
  int64_t num = 0;
  int64_t den = 0;
  if (!e.num().to_int64(num) || !e.den().to_int64(den) || den > 1000) return std::nullopt;
  auto rooted = root(base.rational_part(), den);
  if (!rooted) return std::nullopt;
  return power(*rooted, from_rational(num));
}

Value Evaluator::function(const Node& node, int depth) {
  std::vector<ExactValue> args;
  for (const auto& child : node.children) {
    auto v = eval(*child, depth + 1);
    if (!v) return std::nullopt;
    args.push_back(std::move(*v));
  }
  const std::string& name = node.name;
  if (name == "sqrt" && args.size() == 1) return power(args[0], from_rational(*Rational::make(1, 2)));
  if (name == "abs" && args.size() == 1) {
    if (args[0].to_double() >= 0) return args[0];
    return multiply(args[0], from_rational(-1));
  }
  if (name == "binom" && args.size() == 2 && args[0].is_rational() && args[1].is_rational()) {
    int64_t n = 0;
    int64_t k = 0;
    Rational rn = args[0].rational_part();
    Rational rk = args[1].rational_part();
    if (!rn.is_integer() || !rk.is_integer() || !rn.num().to_int64(n) || !rk.num().to_int64(k)) return std::nullopt;
    if (k < 0 || n < 0 || k > n) return from_rational(0);
    if (n > 5000) return fail_limit();
    BigInt result(1);
    for (int64_t j = 1; j <= std::min(k, n - k); ++j) result = result * BigInt(n - j + 1) / BigInt(j);
    return from_rational(Rational(result));
  }
  if ((name == "floor" || name == "ceil") && args.size() == 1 && args[0].is_rational()) {
    Rational r = args[0].rational_part();
    BigInt q;
    BigInt rem;
    BigInt::divmod(r.num(), r.den(), q, rem);
    if (!rem.is_zero()) {
      if (name == "floor" && r.sign() < 0) q = q - BigInt(1);
      if (name == "ceil" && r.sign() > 0) q = q + BigInt(1);
    }
    return from_rational(Rational(q));
  }
  if (name == "log" && args.size() == 2 && args[0].is_rational() && args[1].is_rational()) {
    // log_b(x) is exact when x = b^k for a small integer k.
    for (int64_t k = -64; k <= 64; ++k) {
      auto p = pow(args[1].rational_part(), k);
      if (p && *p == args[0].rational_part()) return from_rational(k);
    }
  }
  return std::nullopt;
}

Value Evaluator::eval(const Node& node, int depth) {
  if (depth > 200) return fail_limit();
  switch (node.kind) {
    case NodeKind::kNumber:
      return from_rational(node.value);
    case NodeKind::kAdd: {
      ExactValue sum;
      for (const auto& child : node.children) {
        auto v = eval(*child, depth + 1);
        if (!v) return std::nullopt;
        auto next = add(sum, *v);
        if (!next) return std::nullopt;
        sum = std::move(*next);
      }
      return sum;
    }
    case NodeKind::kMul: {
      ExactValue product = from_rational(1);
      for (const auto& child : node.children) {
        auto v = eval(*child, depth + 1);
        if (!v) return std::nullopt;
        auto next = multiply(product, *v);
        if (!next) return std::nullopt;
        product = std::move(*next);
      }
      return product;
    }
    case NodeKind::kNeg: {
      auto v = eval(*node.children[0], depth + 1);
      if (!v) return std::nullopt;
      return multiply(*v, from_rational(-1));
    }
    case NodeKind::kDiv: {
      auto a = eval(*node.children[0], depth + 1);
      if (!a) return std::nullopt;
      auto b = eval(*node.children[1], depth + 1);
      if (!b) return std::nullopt;
      auto inv = inverse(*b);
      if (!inv) return std::nullopt;
      return multiply(*a, *inv);
    }
    case NodeKind::kPow: {
      auto b = eval(*node.children[0], depth + 1);
      if (!b) return std::nullopt;
      auto e = eval(*node.children[1], depth + 1);
      if (!e) return std::nullopt;
      return power(*b, *e);
    }
    case NodeKind::kPercent: {
      auto v = eval(*node.children[0], depth + 1);
      if (!v) return std::nullopt;
      return multiply(*v, from_rational(*Rational::make(1, 100)));
    }
    case NodeKind::kFactorial: {
      auto v = eval(*node.children[0], depth + 1);
      int64_t n = 0;
      if (!v || !v->is_rational() || !v->rational_part().is_integer()) return std::nullopt;
      if (!v->rational_part().num().to_int64(n) || n < 0) return std::nullopt;
      if (n > 1000) return fail_limit();
      BigInt f(1);
      for (int64_t k = 2; k <= n; ++k) f = f * BigInt(k);
      return from_rational(Rational(f));
    }
    case NodeKind::kAbs: {
      auto v = eval(*node.children[0], depth + 1);
      if (!v) return std::nullopt;
      if (v->to_double() >= 0) return v;
      return multiply(*v, from_rational(-1));
    }
    case NodeKind::kFunction:
      return function(node, depth);
    default:
      return std::nullopt;
  }
}

}  // namespace

Rational ExactValue::rational_part() const {
  auto it = terms.find(BigInt(1));
  return it == terms.end() ? Rational(0) : it->second;
}

double ExactValue::to_double() const {
  double sum = 0;
  for (const auto& [radicand, coef] : terms) sum += coef.to_double() * std::sqrt(radicand.to_double());
  return sum;
}

ExactOutcome evaluate_exact(const Node& node) {
  Evaluator evaluator;
  ExactOutcome outcome;
  outcome.value = evaluator.eval(node, 0);
  outcome.limit_exceeded = evaluator.limit_exceeded;
  return outcome;
}

std::string render_exact(const ExactValue& value) {
  if (value.terms.empty()) return "0";
  std::string out;
  for (const auto& [radicand, coef] : value.terms) {
    bool negative = coef.sign() < 0;
    Rational magnitude = negative ? -coef : coef;
    if (!out.empty()) out += negative ? "-" : "+";
    if (out.empty() && negative) out += "-";
    std::string root = radicand.is_one() ? "" : "\\sqrt{" + radicand.to_string() + "}";
    if (magnitude.is_integer()) {
      if (!(magnitude == Rational(1)) || root.empty()) out += magnitude.num().to_string();
      out += root;
    } else {
      out += "\\frac{" + magnitude.num().to_string() + (root.empty() ? "" : root) + "}{" +
             magnitude.den().to_string() + "}";
    }
  }
  return out;
}

}  // namespace reval::graders::math
