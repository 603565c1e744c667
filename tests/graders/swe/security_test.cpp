// Attacks from inside an instance: each test patch adds tests/test_evil.py doing one bad thing. Each
// must be graded as a failure with the right reason, and the host must be untouched.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>

#include "graders/swe/evaluator.h"
#include "tests/graders/swe/swe_test_support.h"

namespace swe = reval::graders::swe;
namespace support = reval::test::swe;
using reval::test::skip;
using reval::test::TempDir;

namespace {

// Evaluates the calc sample's gold patch against a test patch that adds `evil_test` (Python source
// defining test_evil), with `test_evil` as the only FAIL_TO_PASS test.
class EvilInstance {
 public:
  explicit EvilInstance(const std::string& evil_test, const std::string& test_cmd = "") {
    // A file name of its own, so concurrent tests can tell their processes apart on the host.
    static int counter = 0;
    test_file_ = "tests/test_evil_" + std::to_string(getpid()) + "_" + std::to_string(counter++) + ".py";
    root_ = support::build_samples(dir_.file("samples"));
    if (root_.empty()) return;
    for (const swe::SweInstance& inst : support::sample_instances(root_)) {
      if (inst.instance_id == "reval-samples__calc-1") instance_ = inst;
    }
    instance_.instance_id = "reval-samples__calc-evil";
    instance_.test_patch = support::new_file_patch(test_file_, evil_test);
    instance_.fail_to_pass = {test_file_ + "::test_evil"};
    instance_.pass_to_pass = {};
    instance_.test_directives = std::vector<std::string>{test_file_};
    if (!test_cmd.empty()) instance_.test_cmd = test_cmd;
    options_ = support::eval_options_in(dir_.path(), root_ + "/mirrors");
    options_.sandbox.timeout_s = 8;
  }
  swe::EvalOptions& options() { return options_; }
  const std::string& test_file() const { return test_file_; }
  swe::InstanceResult run() {
    REQUIRE_FALSE(root_.empty());
    swe::Prediction p;
    p.instance_id = instance_.instance_id;
    p.model_name_or_path = "evil";
    p.model_patch = instance_.patch;
    swe::InstanceResult r = swe::evaluate_instance(instance_, p, options_, 3);
    UNSCOPED_INFO("outcome " << swe::outcome_name(r.outcome) << " reason " << r.reason << ": " << r.detail);
    return r;
  }

 private:
  TempDir dir_;
  std::string test_file_;
  std::string root_;
  swe::SweInstance instance_;
  swe::EvalOptions options_;
};

bool sandbox_missing() {
  std::string why = support::sandbox_unavailable_reason();
  if (!why.empty()) skip(why);
  return !why.empty();
}

}  // namespace

TEST_CASE("a test connecting to a port listening on the host's 127.0.0.1 cannot reach it",
          "[graders][swe][security][integration]") {
  if (sandbox_missing()) return;
  int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  REQUIRE(listener >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(listen(listener, 4) == 0);
  socklen_t len = sizeof addr;
  getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len);
  const int port = ntohs(addr.sin_port);
  EvilInstance evil("import socket\n\n\ndef test_evil():\n    s = socket.create_connection((\"127.0.0.1\", " +
                    std::to_string(port) + "), timeout=3)\n    s.sendall(b\"escaped\")\n");
  swe::InstanceResult r = evil.run();
  CHECK(r.outcome == swe::Outcome::kUnresolved);
  CHECK(r.reason == "tests_failed");
  CHECK(accept(listener, nullptr, nullptr) < 0);  // nobody connected
  close(listener);
}

TEST_CASE("a test writing into $HOME writes nothing on the host", "[graders][swe][security][integration]") {
  if (sandbox_missing()) return;
  const char* home = std::getenv("HOME");
  const std::string target =
      std::string(home != nullptr ? home : "/root") + "/reval-swe-escape-" + std::to_string(getpid());
  EvilInstance evil("def test_evil():\n    with open(\"" + target + "\", \"w\") as f:\n        f.write(\"escaped\")\n");
  swe::InstanceResult r = evil.run();
  CHECK(r.outcome == swe::Outcome::kUnresolved);
  CHECK(r.reason == "tests_failed");
  CHECK_FALSE(std::filesystem::exists(target));
}

TEST_CASE("a fork bomb is contained and stopped", "[graders][swe][security][integration]") {
  if (sandbox_missing()) return;
  EvilInstance evil(
      "import os\nimport time\n\n\ndef test_evil():\n    while True:\n        try:\n            os.fork()\n"
      "        except OSError:\n            time.sleep(0.05)\n");
  swe::InstanceResult r = evil.run();
  CHECK(r.outcome == swe::Outcome::kUnresolved);
  CHECK(r.reason == "timeout");
  CHECK(support::count_processes_with(evil.test_file()) == 0);
}

TEST_CASE("a test allocating 20 GB fails without taking the host's memory", "[graders][swe][security][integration]") {
  if (sandbox_missing()) return;
  EvilInstance evil("def test_evil():\n    block = bytearray(20 * 1024 ** 3)\n    assert len(block) > 0\n");
  swe::InstanceResult r = evil.run();
  CHECK(r.outcome == swe::Outcome::kUnresolved);
  CHECK(r.reason == "tests_failed");
  CHECK(r.tests.f2p_failure == std::vector<std::string>{evil.test_file() + "::test_evil"});
}

TEST_CASE("a test sleeping forever is killed at the timeout", "[graders][swe][security][integration]") {
  if (sandbox_missing()) return;
  EvilInstance evil("import time\n\n\ndef test_evil():\n    time.sleep(10 ** 9)\n");
  evil.options().sandbox.timeout_s = 3;
  swe::InstanceResult r = evil.run();
  CHECK(r.outcome == swe::Outcome::kUnresolved);
  CHECK(r.reason == "timeout");
  CHECK(r.total_s < 30);
  CHECK(support::count_processes_with(evil.test_file()) == 0);
}

TEST_CASE("a test printing 1 GB is stopped at the output cap", "[graders][swe][security][integration]") {
  if (sandbox_missing()) return;
  EvilInstance evil(
      "import os\n\n\ndef test_evil():\n    chunk = b\"x\" * (1 << 20)\n    for _ in range(1024):\n"
      "        os.write(1, chunk)\n",
      "python3 -m pytest -rA --tb=no -p no:cacheprovider -s");
  evil.options().sandbox.max_output_bytes = 8u << 20;
  evil.options().sandbox.timeout_s = 60;
  swe::InstanceResult r = evil.run();
  CHECK(r.outcome == swe::Outcome::kUnresolved);
  CHECK(r.reason == "output_limit");
  CHECK(support::count_processes_with(evil.test_file()) == 0);
}

TEST_CASE("a test leaving a background process behind is caught and the process is gone",
          "[graders][swe][security][integration]") {
  if (sandbox_missing()) return;
  EvilInstance evil(
      "import subprocess\n\n\ndef test_evil():\n    subprocess.Popen([\"sleep\", \"987654\"], start_new_session=True)\n");
  swe::InstanceResult r = evil.run();
  CHECK(r.outcome == swe::Outcome::kUnresolved);
  CHECK(r.reason == "leftover_processes");
  CHECK(r.tests.f2p_failure.empty());  // the test itself passed
  CHECK(support::count_processes_with("sleep 987654") == 0);
}
