#include <catch2/catch.hpp>

#include "common/strings.h"

namespace reval {

TEST_CASE("closest match suggests near typos and nothing for unrelated words", "[common][strings]") {
  const std::vector<std::string> commands = {"run", "grade", "report", "datasets", "equiv"};
  CHECK(closest_match("rnu", commands) == std::optional<std::string>("run"));
  CHECK(closest_match("datsets", commands) == std::optional<std::string>("datasets"));
  CHECK(closest_match("reprot", commands) == std::optional<std::string>("report"));
  CHECK_FALSE(closest_match("xyzzy", commands).has_value());
}

TEST_CASE("edit distance counts adjacent swaps as one edit", "[common][strings]") {
  CHECK(edit_distance("abc", "abc") == 0);
  CHECK(edit_distance("abc", "acb") == 1);
  CHECK(edit_distance("", "abc") == 3);
  CHECK(edit_distance("kitten", "sitting") == 3);
}

TEST_CASE("integer and float parsing reject trailing junk", "[common][strings]") {
  CHECK(parse_int("42") == std::optional<std::int64_t>(42));
  CHECK(parse_int("-7") == std::optional<std::int64_t>(-7));
  CHECK_FALSE(parse_int("42x").has_value());
  CHECK_FALSE(parse_int("").has_value());
  CHECK_FALSE(parse_int("99999999999999999999").has_value());
  CHECK(parse_double("0.6") == std::optional<double>(0.6));
  CHECK_FALSE(parse_double("0.6.1").has_value());
  CHECK_FALSE(parse_double("nan").has_value());
}

TEST_CASE("split, join, trim and replace behave on edge cases", "[common][strings]") {
  CHECK(split("a,,b", ',') == std::vector<std::string>{"a", "", "b"});
  CHECK(join({"a", "b", "c"}, ", ") == "a, b, c");
  CHECK(trim("  x y \n") == "x y");
  CHECK(trim("   ").empty());
  CHECK(replace_all("aaa", "a", "bb") == "bbbbbb");
}

TEST_CASE("sizes and durations are formatted for people", "[common][strings]") {
  CHECK(format_bytes(512) == "512 B");
  CHECK(format_bytes(1536) == "1.5 KiB");
  CHECK(format_duration(5.25) == "5.2s");
  CHECK(format_duration(125) == "2m05s");
  CHECK(format_duration(7380) == "2h03m");
}

}  // namespace reval
