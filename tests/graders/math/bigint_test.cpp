#include <catch2/catch.hpp>

#include "graders/math/bigint.h"
#include "graders/math/rational.h"

namespace reval::graders::math {
namespace {

BigInt big(const char* text) { return *BigInt::from_decimal(text); }

TEST_CASE("bigint parses and prints decimal text across limb boundaries", "[graders][bigint]") {
  for (const char* text : {"0", "7", "-7", "999999999", "1000000000", "-1000000000000000000000",
                           "123456789012345678901234567890123456789"}) {
    CHECK(big(text).to_string() == text);
  }
  CHECK(big("-0").to_string() == "0");
  CHECK(big("000123").to_string() == "123");
  CHECK_FALSE(BigInt::from_decimal("12a").has_value());
  CHECK_FALSE(BigInt::from_decimal("").has_value());
  CHECK_FALSE(BigInt::from_decimal(std::string(50, '9'), 40).has_value());
}

TEST_CASE("bigint arithmetic matches known values", "[graders][bigint]") {
  BigInt a = big("123456789123456789123456789");
  BigInt b = big("987654321987654321");
  CHECK((a + b).to_string() == "123456790111111111111111110");
  CHECK((a - b).to_string() == "123456788135802467135802468");
  CHECK((b - a).to_string() == "-123456788135802467135802468");
  CHECK((a * b).to_string() == "121932631356500531469135800347203169112635269");
  CHECK((a / b).to_string() == "124999998");
  CHECK((a % b).to_string() == "850308642973765431");
  CHECK((BigInt(-7) / BigInt(2)).to_string() == "-3");
  CHECK((BigInt(-7) % BigInt(2)).to_string() == "-1");
  CHECK(BigInt::gcd(big("1071"), big("462")).to_string() == "21");
  CHECK(BigInt(INT64_MIN).to_string() == "-9223372036854775808");
}

TEST_CASE("bigint division by a multi-limb divisor recovers the dividend", "[graders][bigint]") {
  BigInt divisor = big("340282366920938463463374607431768211457");
  BigInt quotient = big("98765432109876543210987654321");
  BigInt remainder = big("12345678901234567890");
  BigInt dividend = divisor * quotient + remainder;
  BigInt q;
  BigInt r;
  BigInt::divmod(dividend, divisor, q, r);
  CHECK(q == quotient);
  CHECK(r == remainder);
}

TEST_CASE("bigint division satisfies a = q*b + r with |r| < |b| on many random operands", "[graders][bigint]") {
  uint64_t state = 12345;
  auto next_digits = [&](size_t n) {
    std::string digits;
    for (size_t i = 0; i < n; ++i) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      digits += static_cast<char>('0' + (state >> 33) % 10);
    }
    if (digits[0] == '0') digits[0] = '1';
    return digits;
  };
  for (int round = 0; round < 300; ++round) {
    BigInt a = big(next_digits(1 + static_cast<size_t>(round % 97)).c_str());
    BigInt b = big(next_digits(1 + static_cast<size_t>((round * 7) % 41)).c_str());
    if (round % 3 == 0) a = -a;
    BigInt q;
    BigInt r;
    BigInt::divmod(a, b, q, r);
    INFO(a.to_string() << " / " << b.to_string());
    CHECK(q * b + r == a);
    CHECK(r.abs() < b.abs());
  }
}

TEST_CASE("bigint powers are exact and refuse results past the digit bound", "[graders][bigint]") {
  CHECK(BigInt::pow(BigInt(2), 100)->to_string() == "1267650600228229401496703205376");
  CHECK(BigInt::pow(BigInt(-3), 3)->to_string() == "-27");
  CHECK_FALSE(BigInt::pow(BigInt(10), 1000000000).has_value());
  CHECK(BigInt::pow(BigInt(1), 1000000000)->to_string() == "1");
}

TEST_CASE("bigint nth roots report exactness", "[graders][bigint]") {
  bool exact = false;
  CHECK(BigInt::nth_root(big("1000000000000000000000000000000"), 3, exact).to_string() == "10000000000");
  CHECK(exact);
  CHECK(BigInt::nth_root(BigInt(17), 2, exact).to_string() == "4");
  CHECK_FALSE(exact);
  CHECK(BigInt::nth_root(big("152415787532388367504942236884722755800955129"), 2, exact).to_string() ==
        "12345678901234567890123");
  CHECK(exact);
}

TEST_CASE("rationals reduce and compare exactly", "[graders][rational]") {
  auto half = *Rational::make(BigInt(2), BigInt(4));
  CHECK(half.to_string() == "1/2");
  CHECK(Rational::make(BigInt(3), BigInt(-6))->to_string() == "-1/2");
  CHECK_FALSE(Rational::make(BigInt(1), BigInt(0)).has_value());
  int decimals = 0;
  CHECK(Rational::from_decimal("0.0833", &decimals)->to_string() == "833/10000");
  CHECK(decimals == 4);
  CHECK(Rational::from_decimal("2.5e-3")->to_string() == "1/400");
  CHECK(Rational::from_decimal("1e5")->to_string() == "100000");
  CHECK(*Rational::from_decimal("1000.0") == Rational(1000));
  CHECK(*add(*Rational::make(BigInt(1), BigInt(3)), *Rational::make(BigInt(1), BigInt(6))) == half);
  CHECK(pow(half, -3)->to_string() == "8");
  CHECK(*Rational::make(BigInt(1), BigInt(3)) < half);
}

}  // namespace
}  // namespace reval::graders::math
