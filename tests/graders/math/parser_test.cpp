#include <catch2/catch.hpp>

#include "graders/math/canonical.h"
#include "graders/math/parser.h"

namespace reval::graders::math {
namespace {

std::string canon(const char* text) {
  ParseOutcome outcome = parse_math(text);
  INFO(text << " -> " << outcome.error);
  REQUIRE(outcome.expr);
  return render_canonical(*outcome.expr);
}

NodeKind kind_of(const char* text) {
  ParseOutcome outcome = parse_math(text);
  INFO(text << " -> " << outcome.error);
  REQUIRE(outcome.expr);
  return outcome.expr->kind;
}

TEST_CASE("numbers with separators, decimals and exponents parse to exact values", "[graders][parser]") {
  CHECK(canon("7,425,000") == "7425000");
  CHECK(canon("1{,}000") == "1000");
  CHECK(canon("11,\\! 111,\\! 111,\\! 100") == "11111111100");
  CHECK(canon("1 000") == "1000");
  CHECK(canon(".4") == "\\frac{2}{5}");
  CHECK(canon("2.5e-3") == "\\frac{1}{400}");
  CHECK(canon("12345678901234567890123456789") == "12345678901234567890123456789");
  CHECK(kind_of("(1,100)") == NodeKind::kTuple);
}

TEST_CASE("fractions, roots, powers and mixed numbers parse as TeX does", "[graders][parser]") {
  CHECK(canon("\\frac12") == "\\frac{1}{2}");
  CHECK(canon("\\dfrac{3}{4}") == "\\frac{3}{4}");
  CHECK(canon("\\frac9{19}") == "\\frac{9}{19}");
  CHECK(canon("\\sqrt{12}") == "2\\sqrt{3}");
  CHECK(canon("\\sqrt[3]{27}") == "3");
  CHECK(canon("2^{10}") == "1024");
  CHECK(canon("3\\frac12") == "\\frac{7}{2}");
  CHECK(canon("1\\frac{4}{5}") == "\\frac{9}{5}");
  CHECK(canon("\\binom{10}{3}") == "120");
  CHECK(canon("5!") == "120");
  CHECK(canon("\\log_2 8") == "3");
}

TEST_CASE("units, degrees, dollars, percent and text wrappers are read as the quantity", "[graders][parser]") {
  CHECK(canon("90^\\circ") == "90");
  CHECK(canon("\\$18.90") == "\\frac{189}{10}");
  CHECK(canon("15\\mbox{ cm}^2") == "15");
  CHECK(canon("5.4 \\text{ cents}") == "\\frac{27}{5}");
  CHECK(canon("\\frac{270}7\\text{ degrees}") == "\\frac{270}{7}");
  CHECK(kind_of("28\\%") == NodeKind::kPercent);
  CHECK(kind_of("\\text{Evelyn}") == NodeKind::kText);
}

TEST_CASE("brackets build tuples, intervals, sets and unions", "[graders][parser]") {
  CHECK(kind_of("(2,5)") == NodeKind::kTuple);
  CHECK(kind_of("[2,5]") == NodeKind::kInterval);
  CHECK(kind_of("(2,5]") == NodeKind::kInterval);
  CHECK(kind_of("\\{1,2\\}") == NodeKind::kSet);
  CHECK(kind_of("(-\\infty, 2) \\cup (3, \\infty)") == NodeKind::kUnion);
  CHECK(kind_of("1, 2, 3") == NodeKind::kList);
  CHECK(kind_of("\\emptyset") == NodeKind::kEmptySet);
  CHECK(kind_of("(x+1)") == NodeKind::kAdd);
}

TEST_CASE("matrices parse with their shape", "[graders][parser]") {
  ParseOutcome m = parse_math("\\begin{pmatrix} -1 & 0 \\\\ 0 & -1 \\end{pmatrix}");
  REQUIRE(m.expr);
  CHECK(m.expr->kind == NodeKind::kMatrix);
  CHECK(m.expr->n_rows == 2);
  CHECK(m.expr->n_cols == 2);
  ParseOutcome v = parse_math("\\begin{bmatrix} 1/5 \\\\ -18/5 \\end{bmatrix}");
  REQUIRE(v.expr);
  CHECK(v.expr->n_rows == 2);
  CHECK(v.expr->n_cols == 1);
  CHECK_FALSE(parse_math("\\begin{pmatrix} 1 & 2 \\\\ 3 \\end{pmatrix}").expr);
}

TEST_CASE("relations, functions and implicit products parse", "[graders][parser]") {
  CHECK(kind_of("y = 2x + 3") == NodeKind::kRelation);
  CHECK(kind_of("-2 \\le x \\le 7") == NodeKind::kRelation);
  CHECK(kind_of("x \\in [-2,7]") == NodeKind::kRelation);
  CHECK(kind_of("2 \\sin b \\cos a") == NodeKind::kMul);
  CHECK(kind_of("\\sin^2(y)") == NodeKind::kPow);
  CHECK(kind_of("|x-2|") == NodeKind::kAbs);
  CHECK(kind_of("1 \\pm \\sqrt{19}") == NodeKind::kPlusMinus);
}

TEST_CASE("malformed input is an error, never a crash", "[graders][parser]") {
  for (const char* bad : {"", "(", "\\frac{1}", "[1,2", "1 +", "\\begin{pmatrix}1", "}{", "\\sqrt", "|x"}) {
    ParseOutcome outcome = parse_math(bad);
    INFO(bad);
    CHECK_FALSE(outcome.expr);
    CHECK_FALSE(outcome.error.empty());
  }
}

TEST_CASE("deep nesting and huge inputs hit a bound instead of exhausting the stack", "[graders][parser]") {
  std::string deep(5000, '(');
  deep += "1";
  deep += std::string(5000, ')');
  ParseOutcome outcome = parse_math(deep);
  CHECK_FALSE(outcome.expr);
  CHECK(outcome.limit_exceeded);
  std::string deep_short(1500, '(');
  deep_short += "1" + std::string(1500, ')');
  ParseOutcome short_outcome = parse_math(deep_short);
  CHECK_FALSE(short_outcome.expr);
  CHECK(short_outcome.limit_exceeded);
  std::string nested_braces;
  for (int i = 0; i < 300; ++i) nested_braces += "\\frac{1}{";
  nested_braces += "2" + std::string(300, '}');
  CHECK(parse_math(nested_braces).limit_exceeded);
}

}  // namespace
}  // namespace reval::graders::math
