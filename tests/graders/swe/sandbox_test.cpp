// The process runner and the sandbox itself (the full-instance attacks are in security_test.cpp).
#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>

#include "common/files.h"
#include "common/strings.h"
#include "graders/swe/process.h"
#include "graders/swe/sandbox.h"
#include "tests/graders/swe/swe_test_support.h"

namespace swe = reval::graders::swe;
using reval::test::skip;
using reval::test::TempDir;

namespace {

// Alive and not a zombie (a killed child may wait for init to reap it).
bool process_running(long pid) {
  auto stat = reval::read_file("/proc/" + std::to_string(pid) + "/stat");
  if (!stat.ok()) return false;
  std::size_t paren = stat->rfind(')');
  return paren != std::string::npos && paren + 2 < stat->size() && (*stat)[paren + 2] != 'Z';
}

swe::ProcessSpec shell(const std::string& script) {
  swe::ProcessSpec spec;
  spec.argv = {"/bin/sh", "-c", script};
  spec.env = {"PATH=/usr/bin:/bin"};
  return spec;
}

}  // namespace

TEST_CASE("run_process captures output and the exit status", "[graders][swe][process]") {
  auto r = swe::run_process(shell("echo out; echo err >&2; exit 3"));
  REQUIRE(r.ok());
  CHECK(r->exit_code == 3);
  CHECK(r->output == "out\nerr\n");
  CHECK_FALSE(r->timed_out);
}

TEST_CASE("run_process kills the whole process group at the timeout", "[graders][swe][process]") {
  swe::ProcessSpec spec = shell("sleep 100 & echo $!; sleep 100");
  spec.limits.timeout_s = 0.5;
  auto r = swe::run_process(spec);
  REQUIRE(r.ok());
  CHECK(r->timed_out);
  CHECK(r->term_signal == SIGKILL);
  CHECK(r->wall_s < 5);
  auto background = reval::parse_int(reval::trim(r->output));
  REQUIRE(background.has_value());
  CHECK_FALSE(process_running(static_cast<long>(*background)));
}

TEST_CASE("run_process stops a child that floods its output at the cap", "[graders][swe][process]") {
  swe::ProcessSpec spec = shell("yes");
  spec.limits.max_output_bytes = 1 << 20;
  spec.limits.timeout_s = 30;
  auto r = swe::run_process(spec);
  REQUIRE(r.ok());
  CHECK(r->output_limit_exceeded);
  CHECK(r->output.size() == (1u << 20));
  CHECK_FALSE(r->timed_out);
}

TEST_CASE("run_process reports a program that cannot be executed", "[graders][swe][process]") {
  swe::ProcessSpec spec;
  spec.argv = {"/nonexistent/program"};
  auto r = swe::run_process(spec);
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.status().message(), Catch::Contains("exec /nonexistent/program"));
}

TEST_CASE("the sandbox sees a writable work tree, a read-only system and no network",
          "[graders][swe][sandbox][integration]") {
  if (std::string why = reval::test::swe::sandbox_unavailable_reason(); !why.empty()) {
    skip(why);
    return;
  }
  TempDir dir;
  std::filesystem::create_directories(dir.file("tree/.git"));
  if (auto uid = swe::sandbox_uid_for_slot(0)) {
    REQUIRE(chown(dir.file("tree").c_str(), *uid, static_cast<gid_t>(*uid)) == 0);
  }
  const char* home_env = std::getenv("HOME");
  const std::string home = home_env != nullptr ? home_env : "/root";
  const std::string script =
      "echo hi > /testbed/written && echo tree-ok; "
      "touch /usr/reval-x 2>/dev/null || echo usr-ro; "
      "touch '" + home + "/reval-sandbox-probe' 2>/dev/null || echo home-blocked; "
      "touch /testbed/.git/config 2>/dev/null || echo git-ro; "
      "echo tmp > /tmp/x && echo tmp-ok; "
      "(exec 3<>/dev/tcp/127.0.0.1/22) 2>/dev/null || echo no-net; "
      "ls /proc | grep -c '^[0-9]'";
  swe::SandboxOptions options;
  options.timeout_s = 30;
  auto run = swe::run_in_sandbox(dir.file("tree"), script, {}, options, 0);
  REQUIRE(run.ok());
  const std::string& out = run->process.output;
  CHECK_THAT(out, Catch::Contains("tree-ok"));
  CHECK_THAT(out, Catch::Contains("usr-ro"));
  CHECK_THAT(out, Catch::Contains("home-blocked"));
  CHECK_THAT(out, Catch::Contains("git-ro"));
  CHECK_THAT(out, Catch::Contains("tmp-ok"));
  CHECK_THAT(out, Catch::Contains("no-net"));
  CHECK(std::filesystem::exists(dir.file("tree/written")));
  CHECK_FALSE(std::filesystem::exists(home + "/reval-sandbox-probe"));
  CHECK(run->test_exit_code == 0);
  CHECK(run->n_leftover_processes == 0);
  CHECK(run->test_s >= 0);
}

TEST_CASE("the sandbox reports processes left running after the command", "[graders][swe][sandbox][integration]") {
  if (std::string why = reval::test::swe::sandbox_unavailable_reason(); !why.empty()) {
    skip(why);
    return;
  }
  TempDir dir;
  swe::SandboxOptions options;
  options.timeout_s = 30;
  auto run = swe::run_in_sandbox(dir.path(), "setsid sleep 4242 >/dev/null 2>&1 & echo started", {}, options, 0);
  REQUIRE(run.ok());
  CHECK(run->n_leftover_processes == 1);
  CHECK(reval::test::swe::count_processes_with("sleep 4242") == 0);
}

TEST_CASE("without bwrap on PATH the sandbox refuses instead of running unsandboxed",
          "[graders][swe][sandbox][integration]") {
  // A child process with an empty PATH gives a clean probe; the CLI prints the refusal.
  TempDir dir;
  reval::test::write_text_file(dir.file("i.jsonl"),
                               R"({"instance_id": "a__b-1", "repo": "a/b", "base_commit": "x", "patch": "", "test_patch": "", "FAIL_TO_PASS": "[]", "PASS_TO_PASS": "[]", "test_cmd": "true", "log_parser": "parse_log_pytest"})"
                               "\n");
  auto r = reval::test::run_reval({"swe", "eval", "--instances", dir.file("i.jsonl"), "--repos", dir.path(),
                                   "--predictions", "gold", "--out", dir.file("out")},
                                  "", {"PATH=" + dir.path()});
  CHECK(r.exit_code == 5);
  CHECK_THAT(r.err, Catch::Contains("bwrap not found"));
}
