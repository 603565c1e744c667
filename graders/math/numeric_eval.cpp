#include "graders/math/numeric_eval.h"

#include <cmath>
#include <numbers>
#include <string_view>

namespace reval::graders::math {
namespace {

constexpr uint64_t kSeed = 0x5eed2024c0ffee11ull;  // fixed: verdicts must be reproducible

uint64_t mix(uint64_t x) {  // splitmix64 finalizer
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

uint64_t hash_name(std::string_view name) {
  uint64_t h = 1469598103934665603ull;  // FNV-1a
  for (char c : name) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return h;
}

double unit_random(uint64_t key) { return static_cast<double>(mix(key) >> 11) * 0x1.0p-53; }

// Symbols take positive values in [0.35, 2.35): answers usually assume positive quantities,
// and keeping away from 0 and 1 avoids accidental coincidences (x^2 = x at 1).
double symbol_value(std::string_view name, uint32_t probe) {
  return 0.35 + 2.0 * unit_random(hash_name(name) ^ mix(kSeed + probe));
}

bool is_finite(Complex z) { return std::isfinite(z.real()) && std::isfinite(z.imag()); }

class NumericEvaluator {
 public:
  explicit NumericEvaluator(uint32_t probe) : probe_(probe) {}
  std::optional<Complex> eval(const Node& node, int depth);

 private:
  std::optional<Complex> eval_unchecked(const Node& node, int depth);
  std::optional<Complex> function(const Node& node, int depth);
  uint32_t probe_;
};

std::optional<Complex> NumericEvaluator::function(const Node& node, int depth) {
  std::vector<Complex> args;
  for (const auto& child : node.children) {
    auto v = eval(*child, depth + 1);
    if (!v) return std::nullopt;
    args.push_back(*v);
  }
  const std::string& n = node.name;
  if (args.size() == 1) {
    Complex x = args[0];
    if (n == "sin") return std::sin(x);
    if (n == "cos") return std::cos(x);
    if (n == "tan") return std::tan(x);
    if (n == "sec") return 1.0 / std::cos(x);
    if (n == "csc") return 1.0 / std::sin(x);
    if (n == "cot") return std::cos(x) / std::sin(x);
    if (n == "arcsin") return std::asin(x);
    if (n == "arccos") return std::acos(x);
    if (n == "arctan") return std::atan(x);
    if (n == "arcsec") return std::acos(1.0 / x);
    if (n == "arccsc") return std::asin(1.0 / x);
    if (n == "arccot") return std::atan(1.0 / x);
    if (n == "sinh") return std::sinh(x);
    if (n == "cosh") return std::cosh(x);
    if (n == "tanh") return std::tanh(x);
    if (n == "ln" || n == "log") return std::log(x);
    if (n == "log10") return std::log10(x);
    if (n == "exp") return std::exp(x);
    if (n == "sqrt") return std::sqrt(x);
    if (n == "abs") return Complex(std::abs(x), 0);
    if (n == "floor" && x.imag() == 0) return Complex(std::floor(x.real()), 0);
    if (n == "ceil" && x.imag() == 0) return Complex(std::ceil(x.real()), 0);
  }
  if (n == "log" && args.size() == 2) return std::log(args[0]) / std::log(args[1]);
  if (n == "binom" && args.size() == 2 && args[0].imag() == 0 && args[1].imag() == 0) {
    double a = args[0].real();
    double b = args[1].real();
    return Complex(std::exp(std::lgamma(a + 1) - std::lgamma(b + 1) - std::lgamma(a - b + 1)), 0);
  }
  // An unknown function: a fixed smooth function chosen by the name's hash.
  uint64_t h = hash_name(n);
  Complex sum(0.3 * unit_random(h), 0);
  for (size_t k = 0; k < args.size(); ++k) {
    double a = 0.5 + unit_random(h + 2 * k + 1);
    double b = unit_random(h + 2 * k + 2) * 3.0;
    sum += std::sin(a * args[k] + b) + 0.25 * a * args[k];
  }
  return sum;
}

std::optional<Complex> NumericEvaluator::eval(const Node& node, int depth) {
  // Every intermediate value must be finite: 1/inf = 0 would make 1/2004! equal 1/2006!.
  std::optional<Complex> value = eval_unchecked(node, depth);
  if (value && !is_finite(*value)) return std::nullopt;
  return value;
}

std::optional<Complex> NumericEvaluator::eval_unchecked(const Node& node, int depth) {
  if (depth > 200) return std::nullopt;
  switch (node.kind) {
    case NodeKind::kNumber:
      return Complex(node.value.to_double(), 0);
    case NodeKind::kSymbol:
      return Complex(symbol_value(node.name, probe_), 0);
    case NodeKind::kConstant:
      if (node.name == "pi") return Complex(std::numbers::pi, 0);
      if (node.name == "e") return Complex(std::numbers::e, 0);
      if (node.name == "i") return Complex(0, 1);
      return std::nullopt;  // infinity has no numeric value to compare
    case NodeKind::kAdd:
    case NodeKind::kMul: {
      Complex acc = node.kind == NodeKind::kAdd ? Complex(0, 0) : Complex(1, 0);
      for (const auto& child : node.children) {
        auto v = eval(*child, depth + 1);
        if (!v) return std::nullopt;
        acc = node.kind == NodeKind::kAdd ? acc + *v : acc * *v;
      }
      return acc;
    }
    case NodeKind::kNeg: {
      auto v = eval(*node.children[0], depth + 1);
      if (!v) return std::nullopt;
      return -*v;
    }
    case NodeKind::kDiv: {
      auto a = eval(*node.children[0], depth + 1);
      auto b = eval(*node.children[1], depth + 1);
      if (!a || !b || std::abs(*b) == 0) return std::nullopt;
      return *a / *b;
    }
    case NodeKind::kPow: {
      auto a = eval(*node.children[0], depth + 1);
      auto b = eval(*node.children[1], depth + 1);
      if (!a || !b) return std::nullopt;
      // Real bases with integer exponents stay real (pow on complex loses the sign of (-2)^3).
      if (a->imag() == 0 && b->imag() == 0 && std::round(b->real()) == b->real()) {
        return Complex(std::pow(a->real(), b->real()), 0);
      }
      // Odd roots of negative reals are real, as in school algebra: (-8)^(1/3) = -2.
      if (a->imag() == 0 && a->real() < 0 && b->imag() == 0 && node.children[1]->kind == NodeKind::kDiv) {
        double inv = 1.0 / b->real();
        if (std::round(inv) == inv && static_cast<long long>(inv) % 2 != 0) {
          return Complex(-std::pow(-a->real(), b->real()), 0);
        }
      }
      if (std::abs(*a) == 0) return Complex(0, 0);
      return std::pow(*a, *b);
    }
    case NodeKind::kPercent: {
      auto v = eval(*node.children[0], depth + 1);
      if (!v) return std::nullopt;
      return *v / 100.0;
    }
    case NodeKind::kFactorial: {
      auto v = eval(*node.children[0], depth + 1);
      if (!v || v->imag() != 0) return std::nullopt;
      return Complex(std::tgamma(v->real() + 1), 0);
    }
    case NodeKind::kAbs: {
      auto v = eval(*node.children[0], depth + 1);
      if (!v) return std::nullopt;
      return Complex(std::abs(*v), 0);
    }
    case NodeKind::kFunction:
      return function(node, depth);
    default:
      return std::nullopt;
  }
}

}  // namespace

std::optional<Complex> evaluate_numeric(const Node& node, uint32_t probe) {
  NumericEvaluator evaluator(probe);
  auto value = evaluator.eval(node, 0);
  if (!value || !is_finite(*value)) return std::nullopt;
  return value;
}

bool numbers_close(Complex a, Complex b, double rel_tol) {
  double scale = std::max(std::abs(a), std::abs(b));
  double diff = std::abs(a - b);
  if (scale < 1e-12) return diff < 1e-12;
  return diff <= rel_tol * scale;
}

}  // namespace reval::graders::math
