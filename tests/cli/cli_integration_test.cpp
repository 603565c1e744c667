#include <catch2/catch.hpp>

#include "tests/support/test_support.h"

namespace reval {

using test::run_reval;

TEST_CASE("reval --version prints the version and exits 0", "[cli][integration]") {
  auto result = run_reval({"--version"});
  CHECK(result.exit_code == 0);
  CHECK(result.out.rfind("reval ", 0) == 0);
}

TEST_CASE("reval help lists commands and help of one command shows its usage", "[cli][integration]") {
  auto overview = run_reval({"help"});
  CHECK(overview.exit_code == 0);
  CHECK(overview.out.find("commands:") != std::string::npos);
  auto one = run_reval({"help", "help"});
  CHECK(one.exit_code == 0);
  CHECK(one.out.find("usage: reval help") != std::string::npos);
}

TEST_CASE("an unknown command is a one-line usage error with a hint and exit 2", "[cli][integration]") {
  auto result = run_reval({"hlep"});
  CHECK(result.exit_code == 2);
  CHECK(result.err == "reval: error: unknown command 'hlep' (did you mean 'help'?); see 'reval help'\n");
}

TEST_CASE("an unknown global option is a usage error", "[cli][integration]") {
  auto result = run_reval({"--frobnicate"});
  CHECK(result.exit_code == 2);
  CHECK(result.err.find("unknown option --frobnicate") != std::string::npos);
}

TEST_CASE("no arguments prints the overview to stderr and exits 2", "[cli][integration]") {
  auto result = run_reval({});
  CHECK(result.exit_code == 2);
  CHECK(result.err.find("usage: reval") != std::string::npos);
}

TEST_CASE("an invalid REVAL_LOG is reported and ignored", "[cli][integration]") {
  auto result = run_reval({"--version"}, "", {"REVAL_LOG=loud"});
  CHECK(result.exit_code == 0);
  CHECK(result.err.find("REVAL_LOG must be one of") != std::string::npos);
}

}  // namespace reval
