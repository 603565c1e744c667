#include <catch2/catch.hpp>

#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "graders/math/equivalence.h"

namespace reval::graders::math {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

void check_all(const Pairs& pairs, bool expected) {
  for (const auto& [gold, pred] : pairs) {
    EquivalenceResult result = check_equivalence(gold, pred);
    INFO("gold: " << gold << "  pred: " << pred << "  reason: " << result.reason << "  canon: "
                  << result.gold_canonical << " | " << result.pred_canonical);
    CHECK(result.equivalent == expected);
  }
}

TEST_CASE("exact rational arithmetic decides numeric answers", "[graders][equivalence]") {
  check_all({{"\\frac{1}{2}", "0.5"}, {"2^{100}", "1267650600228229401496703205376"}, {"1000", "1000.0"},
             {"-\\frac{10}{9}", "-10/9"}, {"\\frac{3}{3}", "1"}, {"8/46", "\\frac{4}{23}"}, {"1.5", "\\frac32"},
             {"10^{10}", "10000000000"}, {"\\frac{14}{3}", "4\\frac{2}{3}"}, {"0.0000672", ".0000672"}},
            true);
  check_all({{"10^{10}", "10^{10}+1"}, {"2^{100}", "1267650600228229401496703205377"}, {"1/2", "2"},
             {"\\frac{1}{3}", "0.33"}, {"\\frac13", "0.3"}, {"7", "-7"}},
            false);
}

TEST_CASE("radicals compare exactly", "[graders][equivalence]") {
  check_all({{"2\\sqrt3", "\\sqrt{12}"}, {"\\frac{\\sqrt{3}}{3}", "\\frac{1}{\\sqrt{3}}"}, {"3\\sqrt{13}", "\\sqrt{117}"},
             {"\\sqrt{2}+\\sqrt{5}", "\\sqrt 5+\\sqrt 2"}, {"\\frac{1}{1+\\sqrt{2}}", "\\sqrt{2}-1"},
             {"\\sqrt[3]{16}", "2\\sqrt[3]{2}"}, {"4.123105625617661", "\\sqrt{17}"}, {"\\frac{8}{3}", "2.6667"},
             {"\\frac{1}{12}", "0.0833333333333333"}},
            true);
  check_all({{"4", "4\\sqrt{2}"}, {"2", "\\frac{1+\\sqrt{5}}{2}"}, {"\\sqrt{2}", "1.41"}, {"\\sqrt{3}", "\\sqrt{2}"},
             {"\\frac{4}{3}", "1.333"}, {"\\frac{8}{3}", "2.6666"}},
            false);
}

TEST_CASE("pi and e are exact symbols that short decimals do not match", "[graders][equivalence]") {
  check_all({{"\\frac{9}{4}\\pi", "\\frac94\\pi"}, {"18+2\\pi", "2\\pi + 18"}, {"\\frac{\\pi}{2}", "0.5\\pi"}}, true);
  check_all({{"\\pi", "3.14"}, {"\\pi", "22/7"}, {"1-\\frac{1}{e}", "1+\\frac{1}{e}"}, {"e", "2.718"}, {"\\pi", "3.1"}}, false);
}

TEST_CASE("expressions with variables are compared by seeded probing", "[graders][equivalence]") {
  check_all({{"(x+1)^2", "x^2+2x+1"}, {"\\frac{x+2}{7}", "\\frac{x}{7}+\\frac{2}{7}"}, {"\\tan^2(y)+1", "\\sec^2(y)"},
             {"2\\sin b\\cos a", "2\\cos(a)\\sin(b)"}, {"\\frac{\\pi r}{h+r}", "\\frac{r\\pi}{r+h}"},
             {"6r^2-4r-24", "2(3r^2-2r-12)"}, {"(a+5)(b+2)", "ab+2a+5b+10"}},
            true);
  check_all({{"a^2+b^2", "(a+b)^2"}, {"x+2n+1", "x+1"}, {"(a+5)(b+2)", "(+5)(b+2)"}, {"x^2", "x^3"},
             {"\\sin x", "\\cos x"}, {"2x", "x"}},
            false);
}

TEST_CASE("tuples are ordered, sets unordered, intervals keep openness", "[graders][equivalence]") {
  check_all({{"(1,\\frac{9}{2})", "(1,4.5)"}, {"\\{1,2,3\\}", "\\{3,1,2\\}"}, {"1, 2, 3", "3,2,1"},
             {"[0,1)", "[0, 1)"}, {"(-\\infty, 2) \\cup (3, \\infty)", "(3,\\infty)\\cup(-\\infty,2)"},
             {"(2,12) \\cup (12,102)", "(2, 12)\\cup(12, 102)"}, {"\\left( 3, \\frac{\\pi}{2} \\right)", "(3,\\pi/2)"}},
            true);
  check_all({{"(2,5)", "[2,5]"}, {"(1,2)", "(2,1)"}, {"[0,9)", "[0,1)"}, {"(0,9)", "[0,9)"}, {"\\{1,2\\}", "\\{1,2,3\\}"},
             {"(2,12) \\cup (12,102)", "(2,102)"}},
            false);
}

TEST_CASE("plus-minus expands into both values", "[graders][equivalence]") {
  check_all({{"1 \\pm \\sqrt{19}", "1+\\sqrt{19}, 1-\\sqrt{19}"}, {"\\pm 2021", "\\{-2021, 2021\\}"},
             {"\\{1\\pm\\sqrt{5},-2\\}", "-2, 1-\\sqrt5, 1+\\sqrt5"}},
            true);
  check_all({{"\\pm 2021", "2021"}, {"1 \\pm \\sqrt{19}", "1+\\sqrt{19}"}}, false);
}

TEST_CASE("matrices compare by shape and entries", "[graders][equivalence]") {
  check_all({{"\\begin{pmatrix}1 & 2 \\\\ 3 & 4\\end{pmatrix}", "\\left[\\begin{array}{cc}1 & 2 \\\\3 & 4\\end{array}\\right]"},
             {"\\begin{pmatrix} 1/5 \\\\ -18/5 \\end{pmatrix}", "\\begin{bmatrix}0.2\\\\-3.6\\end{bmatrix}"},
             {"\\begin{pmatrix}6 & 8 \\\\ 10 & 12\\end{pmatrix}",
              "\\begin{pmatrix}1 & 2 \\\\ 3 & 4\\end{pmatrix} + \\begin{pmatrix}5 & 6 \\\\ 7 & 8\\end{pmatrix}"}},
            true);
  check_all({{"\\begin{pmatrix}1 & 2 \\\\ 3 & 4\\end{pmatrix}", "\\begin{pmatrix}1 & 2 \\\\ 3 & 5\\end{pmatrix}"},
             {"\\begin{pmatrix}1 & 2\\end{pmatrix}", "\\begin{pmatrix}1 \\\\ 2\\end{pmatrix}"}},
            false);
}

TEST_CASE("equations compare by their value or as proportional relations", "[graders][equivalence]") {
  check_all({{"x=5", "5"}, {"y = 2x + 3", "2x+3"}, {"k=1", "1"}, {"1", "k=1"}, {"x = 11", "x = 5+5+1 = 7 =11"},
             {"2x+4y-3=0", "y=-\\frac{1}{2}x+\\frac{3}{4}"}, {"34x+45y-20z+100=0", "-34x-45y+20z-100=0"},
             {"f(x)=1", "1"}, {"(p,q)=(3,2)", "(3,2)"}, {"x = 1/3", "x = 5+5+1 = 1/3 \\approx 11"}},
            true);
  check_all({{"7 = 11a+c", "11a+c"}, {"a+3z=0", "0"}, {"2x+z=1", "1"}, {"y = 2x+3", "y = 2x+4"}}, false);
}

TEST_CASE("inequalities compare with each other and with intervals", "[graders][equivalence]") {
  check_all({{"x \\leq 5", "5 \\geq x"}, {"x < 1", "-x > -1"}, {"-2 \\le x \\le 7", "x \\in [-2,7]"},
             {"x > 5", "(5, \\infty)"}, {"x \\neq 3", "x != 3"}, {"0<f(x)<1", "(0,1)"}},
            true);
  check_all({{"x > 5", "x < 5"}, {"x \\geq 5", "x \\leq 5"}, {"x < 1", "x > -1"}, {"x < 5", "x \\le 5"}}, false);
}

TEST_CASE("text, words and multiple-choice letters compare as text", "[graders][equivalence]") {
  check_all({{"\\text{Evelyn}", "Evelyn"}, {"\\text{even}", "Even"}, {"\\text{(C)}", "(C)"}, {"\\text{E}", "E"},
             {"\\text{east}", "\\text{East}"}},
            true);
  check_all({{"\\text{(B)}", "(C)"}, {"d", "\\text{E}"}, {"\\text{odd}", "\\text{even}"}}, false);
}

TEST_CASE("percentages match the number with or without the sign", "[graders][equivalence]") {
  check_all({{"28\\%", "28"}, {"28\\%", "28 percent"}, {"25\\%", "0.25"}, {"100\\%", "100"}}, true);
  check_all({{"28\\%", "27\\%"}, {"28\\%", "0.29"}}, false);
}

TEST_CASE("comparisons that would blow up report limit_exceeded quickly", "[graders][equivalence]") {
  EquivalenceResult huge = check_equivalence("10^{10^{9}}", "10^{10^{9}}+1");
  CHECK_FALSE(huge.equivalent);
  CHECK(huge.reason == "limit_exceeded");
  EquivalenceResult factorial = check_equivalence("100000!", "100000!+1");
  CHECK_FALSE(factorial.equivalent);
  // Past the exact bound, floating point underflows to 0 for both: that must not make them equal.
  EquivalenceResult tiny = check_equivalence("\\frac{1}{2004!}", "\\frac{1}{2006!}");
  CHECK_FALSE(tiny.equivalent);
  CHECK(tiny.reason == "limit_exceeded");
  CHECK(check_equivalence("\\frac{1}{2004!}", "\\frac{1}{2004!}").equivalent);
  std::string many;
  for (int i = 0; i < 60; ++i) many += (i ? "," : "") + std::string("(") + std::to_string(i) + ",1)";
  EquivalenceResult sets = check_equivalence(many, many);
  CHECK(sets.reason != "unparseable");
}

TEST_CASE("unparseable answers only match the same text", "[graders][equivalence]") {
  EquivalenceResult same = check_equivalence("\\sum_{k=0}^{n} k", "\\sum_{k=0}^{n} k");
  CHECK(same.equivalent);
  EquivalenceResult different = check_equivalence("\\sum_{k=0}^{n} k", "\\sum_{k=1}^{n} k");
  CHECK_FALSE(different.equivalent);
  CHECK(different.reason == "unparseable");
}

TEST_CASE("verdicts are deterministic and identical when computed from several threads", "[graders][equivalence]") {
  const Pairs pairs = {{"(x+1)^2", "x^2+2x+1"}, {"a^2+b^2", "(a+b)^2"}, {"\\frac{1}{3}", "0.33"},
                       {"\\{1,2\\}", "\\{2,1\\}"}, {"y=2x+3", "2x+3"}, {"\\sqrt{12}", "2\\sqrt3"}};
  std::vector<std::string> expected;
  for (const auto& [gold, pred] : pairs) expected.push_back(check_equivalence(gold, pred).reason);
  std::vector<std::vector<std::string>> seen(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < seen.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 25; ++round) {
        for (const auto& [gold, pred] : pairs) seen[t].push_back(check_equivalence(gold, pred).reason);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& results : seen) {
    for (size_t i = 0; i < results.size(); ++i) CHECK(results[i] == expected[i % pairs.size()]);
  }
}

}  // namespace
}  // namespace reval::graders::math
