#include "tests/reports/fixture_runs.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "tests/support/test_support.h"

namespace reval::test {

namespace fs = std::filesystem;

// CTest runs every test case in its own process, so the fixtures are shared through the build folder:
// generated once into a private folder, then renamed into place (a concurrent generator's rename simply
// loses), and regenerated when the generator script is newer than the stamp.
const std::string& fixture_runs_dir() {
  static const std::string dir = [] {
    const std::string script = source_dir() + "/tests/reports/make_fixture_runs.py";
    const std::string final_dir = build_dir() + "/tmp/report-fixtures";
    const std::string stamp = final_dir + "/.stamp";
    std::error_code ec;
    if (fs::exists(stamp, ec) && fs::last_write_time(stamp, ec) >= fs::last_write_time(script, ec)) return final_dir;
    const std::string fresh = final_dir + ".tmp-" + std::to_string(::getpid());
    fs::remove_all(fresh, ec);
    const CommandResult result = run_command("/usr/bin/env", {"python3", script, fresh});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    write_text_file(fresh + "/.stamp", "");
    if (fs::exists(final_dir, ec) && !fs::exists(stamp, ec)) fs::remove_all(final_dir, ec);
    if (fs::exists(stamp, ec) && fs::last_write_time(stamp, ec) < fs::last_write_time(script, ec)) fs::remove_all(final_dir, ec);
    fs::rename(fresh, final_dir, ec);
    if (ec) fs::remove_all(fresh, ec);  // another test process put its copy in place first
    return final_dir;
  }();
  return dir;
}

}  // namespace reval::test
