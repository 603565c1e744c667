#include <catch2/catch.hpp>

#include <set>

#include "harness/cli/args.h"

namespace reval::cli {

namespace {
const std::vector<OptionSpec> kOptions = {
    {"--limit", 0, "N", "only the first N problems"},
    {"--samples", 'n', "K", "samples per problem"},
    {"--offline", 0, "", "never touch the network"},
    {"--field", 0, "K=V", "field mapping", true},
};
}

TEST_CASE("long, short, attached and inline option values all parse", "[cli][args]") {
  auto parsed = parse_args({"aime24", "--limit", "5", "-n16", "--offline", "--field=a=b", "--field", "c=d"},
                           kOptions, 1, 1);
  REQUIRE(parsed.ok());
  CHECK(parsed->positionals() == std::vector<std::string>{"aime24"});
  CHECK(parsed->value("--limit") == std::optional<std::string>("5"));
  CHECK(parsed->value("--samples") == std::optional<std::string>("16"));
  CHECK(parsed->has("--offline"));
  CHECK(parsed->values("--field") == std::vector<std::string>{"a=b", "c=d"});
  auto limit = parsed->int_value("--limit");
  REQUIRE(limit.ok());
  CHECK(*limit == std::optional<std::int64_t>(5));
}

TEST_CASE("unknown options get a did-you-mean hint", "[cli][args]") {
  auto parsed = parse_args({"--limt", "5"}, kOptions, 0, 1);
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.status().code() == StatusCode::kUsage);
  CHECK(parsed.status().message() == "unknown option --limt (did you mean --limit?)");
}

TEST_CASE("missing values, repeated options and bad numbers are usage errors", "[cli][args]") {
  CHECK(parse_args({"--limit"}, kOptions, 0, 0).status().message() == "--limit needs a value (N)");
  CHECK(parse_args({"--limit", "1", "--limit", "2"}, kOptions, 0, 0).status().message() ==
        "--limit given more than once");
  auto parsed = parse_args({"--limit", "five"}, kOptions, 0, 0);
  REQUIRE(parsed.ok());
  CHECK(parsed->int_value("--limit").status().message() == "--limit expects an integer, got 'five'");
  CHECK(parse_args({"a", "b"}, kOptions, 0, 1).status().message() == "unexpected argument 'b'");
  CHECK(parse_args({}, kOptions, 1, 1).status().message() == "missing argument");
}

TEST_CASE("negative numbers and words after -- are positionals", "[cli][args]") {
  auto parsed = parse_args({"-3", "--", "--limit"}, kOptions, 0, -1);
  REQUIRE(parsed.ok());
  CHECK(parsed->positionals() == std::vector<std::string>{"-3", "--limit"});
}

}  // namespace reval::cli

#include "harness/cli/command.h"

namespace reval::cli {

TEST_CASE("every command name is listed once and has a usage line", "[cli][commands]") {
  std::set<std::string> names;
  for (const Command& command : all_commands()) {
    INFO(command.name);
    CHECK(names.insert(command.name).second);
    CHECK(command.usage.rfind("reval " + command.name, 0) == 0);
    CHECK_FALSE(command.summary.empty());
    CHECK(static_cast<bool>(command.run));
  }
}

}  // namespace reval::cli
