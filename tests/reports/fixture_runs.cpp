#include "tests/reports/fixture_runs.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "tests/support/test_support.h"

namespace reval::test {

const std::string& fixture_runs_dir() {
  static const std::string dir = [] {
    const std::string out = build_dir() + "/tmp/report-fixtures-" + std::to_string(::getpid());
    std::filesystem::remove_all(out);
    const CommandResult result =
        run_command("/usr/bin/env", {"python3", source_dir() + "/tests/reports/make_fixture_runs.py", out});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    return out;
  }();
  return dir;
}

}  // namespace reval::test
