#include <catch2/catch.hpp>

#include "graders/swe/diff_extract.h"
#include "graders/swe/grading.h"
#include "graders/swe/patch_files.h"

namespace swe = reval::graders::swe;

namespace {

const char* kDiff =
    "diff --git a/calc/stats.py b/calc/stats.py\n"
    "--- a/calc/stats.py\n"
    "+++ b/calc/stats.py\n"
    "@@ -1,3 +1,3 @@\n"
    " def f():\n"
    "-    return 1\n"
    "+    return 2\n"
    " \n";

}  // namespace

TEST_CASE("patch_files lists modified, created and deleted files", "[graders][swe][diff]") {
  const std::string patch = std::string(kDiff) +
                            "diff --git a/new.py b/new.py\nnew file mode 100644\n--- /dev/null\n+++ b/new.py\n@@ -0,0 +1 @@\n+x\n"
                            "--- a/old.txt\t2024-01-01\n+++ /dev/null\n@@ -1 +0,0 @@\n-y\n";
  auto files = swe::patch_files(patch);
  REQUIRE(files.size() == 3);
  CHECK(files[0].old_path == "calc/stats.py");
  CHECK(files[1].old_path.empty());
  CHECK(files[1].path() == "new.py");
  CHECK(files[2].new_path.empty());
  CHECK(files[2].path() == "old.txt");
}

TEST_CASE("unsafe patch paths are refused: absolute, parent, .git", "[graders][swe][diff]") {
  CHECK(swe::check_patch_paths(kDiff).ok());
  CHECK_THAT(swe::check_patch_paths("--- a/x\n+++ b/../../etc/passwd\n@@ -1 +1 @@\n-a\n+b\n").message(),
             Catch::Contains("leaves the work tree"));
  CHECK_THAT(swe::check_patch_paths("--- /dev/null\n+++ b/.git/hooks/post-checkout\n@@ -0,0 +1 @@\n+x\n").message(),
             Catch::Contains("inside .git"));
  CHECK_THAT(swe::check_patch_paths("--- /etc/x\n+++ /etc/x\n@@ -1 +1 @@\n-a\n+b\n").message(),
             Catch::Contains("absolute"));
  CHECK(swe::patch_is_empty("   \n"));
  CHECK(swe::patch_is_empty("I could not find a fix."));
}

TEST_CASE("a fenced diff block is taken from a model response", "[graders][swe][diff]") {
  const std::string response = "Here is the fix:\n```diff\n" + std::string(kDiff) + "```\nThis changes f.";
  swe::ExtractedDiff d = swe::extract_diff(response);
  REQUIRE(d.found);
  CHECK(d.source == "fenced_diff");
  CHECK(d.diff == kDiff);
  CHECK(d.n_hunks_repaired == 0);
}

TEST_CASE("several diff blocks are joined; a plain fence holding a diff is accepted", "[graders][swe][diff]") {
  const std::string second = "--- a/b.py\n+++ b/b.py\n@@ -1 +1 @@\n-x\n+y\n";
  swe::ExtractedDiff joined = swe::extract_diff("```diff\n" + std::string(kDiff) + "```\ntext\n```patch\n" + second + "```\n");
  REQUIRE(joined.found);
  CHECK(swe::patch_files(joined.diff).size() == 2);
  swe::ExtractedDiff plain = swe::extract_diff("```python\nprint(1)\n```\n```\n" + second + "```\n");
  REQUIRE(plain.found);
  CHECK(plain.source == "fenced");
  CHECK(plain.diff == second);
}

TEST_CASE("a raw diff after prose is extracted", "[graders][swe][diff]") {
  swe::ExtractedDiff d = swe::extract_diff("I changed one line.\n\n" + std::string(kDiff));
  REQUIRE(d.found);
  CHECK(d.source == "raw");
  CHECK(d.diff == kDiff);
}

TEST_CASE("wrong hunk line counts are repaired and empty context lines restored", "[graders][swe][diff]") {
  const std::string broken =
      "--- a/calc/stats.py\n+++ b/calc/stats.py\n@@ -1,7 +1,9 @@\n def f():\n-    return 1\n+    return 2\n\n x = 1\n";
  swe::ExtractedDiff d = swe::extract_diff("```diff\n" + broken + "```");
  REQUIRE(d.found);
  CHECK(d.n_hunks_repaired == 1);
  CHECK_THAT(d.diff, Catch::Contains("@@ -1,4 +1,4 @@\n def f():\n-    return 1\n+    return 2\n \n x = 1\n"));
}

TEST_CASE("responses without a usable diff are reported with a reason", "[graders][swe][diff]") {
  swe::ExtractedDiff none = swe::extract_diff("The bug is in stats.py; change the return value.");
  CHECK_FALSE(none.found);
  CHECK(none.reason == "no_diff");
  swe::ExtractedDiff bad = swe::extract_diff("```diff\n--- a/x.py\n+++ b/x.py\n@@ -one +1 @@\n-a\n+b\n```");
  CHECK_FALSE(bad.found);
  CHECK(bad.reason == "malformed_hunk");
}

TEST_CASE("grading follows SWE-bench: missing tests fail, skipped ones count neither way", "[graders][swe][grading]") {
  swe::SweInstance inst;
  inst.fail_to_pass = {"t::f2p_a", "t::f2p_b"};
  inst.pass_to_pass = {"t::p2p_a", "t::p2p_skip"};
  swe::TestStatusMap statuses = {{"t::f2p_a", swe::TestStatus::kPassed},
                                 {"t::f2p_b", swe::TestStatus::kXfail},
                                 {"t::p2p_a", swe::TestStatus::kPassed},
                                 {"t::p2p_skip", swe::TestStatus::kSkipped}};
  swe::TestsStatus tests = swe::grade_tests(inst, statuses);
  CHECK(tests.f2p_success.size() == 2);
  CHECK(tests.p2p_success.size() == 1);
  CHECK(tests.p2p_failure.empty());
  CHECK(swe::resolution_status(tests) == swe::ResolutionStatus::kFull);
  statuses.erase("t::f2p_b");
  tests = swe::grade_tests(inst, statuses);
  CHECK(tests.f2p_failure == std::vector<std::string>{"t::f2p_b"});
  CHECK(swe::resolution_status(tests) == swe::ResolutionStatus::kPartial);
  statuses["t::p2p_a"] = swe::TestStatus::kError;
  CHECK(swe::resolution_status(swe::grade_tests(inst, statuses)) == swe::ResolutionStatus::kNo);
}

TEST_CASE("report.json has SWE-bench's keys", "[graders][swe][grading]") {
  swe::InstanceResult r;
  r.instance_id = "a__b-1";
  r.outcome = swe::Outcome::kResolved;
  r.patch_exists = true;
  r.patch_applied = true;
  r.test_s = 1.0;
  r.tests.f2p_success = {"t::x"};
  nlohmann::json report = swe::instance_report_json(r);
  const nlohmann::json& body = report.at("a__b-1");
  CHECK(body.at("resolved") == true);
  CHECK(body.at("patch_successfully_applied") == true);
  CHECK(body.at("patch_is_None") == false);
  CHECK(body.at("tests_status").at("FAIL_TO_PASS").at("success") == nlohmann::json::array({"t::x"}));
  CHECK(body.at("tests_status").contains("PASS_TO_FAIL"));
}
