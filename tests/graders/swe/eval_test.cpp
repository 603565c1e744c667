// End-to-end evaluation on reval's own sample instances (datasets/samples/swe), through the library
// and through the `reval swe eval` binary.
#include <catch2/catch.hpp>
#include <filesystem>

#include "common/files.h"
#include "common/strings.h"
#include "graders/swe/run_eval.h"
#include "tests/graders/swe/swe_test_support.h"

namespace swe = reval::graders::swe;
namespace support = reval::test::swe;
using reval::test::skip;
using reval::test::TempDir;

namespace {

struct Samples {
  TempDir dir;
  std::string root;
  std::vector<swe::SweInstance> instances;
  Samples() {
    root = support::build_samples(dir.file("samples"));
    if (!root.empty()) instances = support::sample_instances(root);
  }
  const swe::SweInstance& get(const std::string& id) const {
    for (const auto& inst : instances) {
      if (inst.instance_id == id) return inst;
    }
    FAIL("no sample " << id);
    return instances.front();
  }
};

swe::Prediction prediction(const swe::SweInstance& inst, const std::string& patch) {
  swe::Prediction p;
  p.instance_id = inst.instance_id;
  p.model_name_or_path = "test";
  p.model_patch = patch;
  return p;
}

}  // namespace

TEST_CASE("gold patches of the samples resolve from bundles and from mirrors", "[graders][swe][integration]") {
  if (std::string why = support::sandbox_unavailable_reason(); !why.empty()) return skip(why);
  Samples s;
  REQUIRE(s.instances.size() == 2);
  auto gold = swe::builtin_predictions(s.instances, "gold");
  auto work = swe::match_predictions(s.instances, gold);
  REQUIRE(work.ok());
  for (const std::string& layout : {"/repos", "/mirrors"}) {
    swe::EvalOptions options = support::eval_options_in(s.dir.path(), s.root + layout);
    std::vector<swe::InstanceResult> results = swe::evaluate_all(*work, options, 2);
    for (const swe::InstanceResult& r : results) {
      INFO(layout << " " << r.instance_id << ": " << r.reason << " " << r.detail);
      CHECK(r.outcome == swe::Outcome::kResolved);
      CHECK(r.apply_method == swe::kApplyGit);
      CHECK(r.tests.f2p_failure.empty());
    }
    // Work trees are removed after each attempt.
    CHECK(std::filesystem::is_empty(options.work_root));
  }
  auto report = reval::read_file(s.dir.file("out/reval-samples__calc-1/report.json"));
  REQUIRE(report.ok());
  CHECK_THAT(*report, Catch::Contains("\"resolved\": true"));
  CHECK_THAT(*reval::read_file(s.dir.file("out/reval-samples__calc-1/test_output.txt")),
             Catch::Contains(">>>>> Start Test Output"));
}

TEST_CASE("a patch that changes nothing relevant leaves the FAIL_TO_PASS tests failing", "[graders][swe][integration]") {
  if (std::string why = support::sandbox_unavailable_reason(); !why.empty()) return skip(why);
  Samples s;
  swe::EvalOptions options = support::eval_options_in(s.dir.path(), s.root + "/repos");
  for (const swe::SweInstance& inst : s.instances) {
    swe::InstanceResult r =
        swe::evaluate_instance(inst, prediction(inst, support::new_file_patch("NOTES.txt", "nothing\n")), options, 0);
    INFO(inst.instance_id << ": " << r.detail);
    CHECK(r.outcome == swe::Outcome::kUnresolved);
    CHECK(r.reason == "tests_failed");
    CHECK(r.tests.f2p_failure == inst.fail_to_pass);
    CHECK(r.tests.p2p_failure.empty());
  }
}

TEST_CASE("a patch with shifted context applies through the patch --fuzz fallback", "[graders][swe][integration]") {
  if (std::string why = support::sandbox_unavailable_reason(); !why.empty()) return skip(why);
  Samples s;
  const swe::SweInstance& calc = s.get("reval-samples__calc-1");
  // A stale leading context line: git apply refuses it, GNU patch accepts it with fuzz.
  std::string fuzzy = reval::replace_all(calc.patch, "\n def median(values):\n", "\n def median(vals):\n");
  REQUIRE(fuzzy != calc.patch);
  swe::EvalOptions options = support::eval_options_in(s.dir.path(), s.root + "/repos");
  swe::InstanceResult r = swe::evaluate_instance(calc, prediction(calc, fuzzy), options, 0);
  INFO(r.reason << ": " << r.detail);
  CHECK(r.apply_method == swe::kApplyPatch);
  CHECK(r.outcome == swe::Outcome::kResolved);
  auto log = reval::read_file(s.dir.file("out/reval-samples__calc-1/run_instance.log"));
  REQUIRE(log.ok());
  CHECK_THAT(*log, Catch::Contains("git apply -v --reject -> exit 1"));
}

TEST_CASE("broken, unsafe and missing inputs get their own outcomes", "[graders][swe][integration]") {
  if (std::string why = support::sandbox_unavailable_reason(); !why.empty()) return skip(why);
  Samples s;
  const swe::SweInstance& calc = s.get("reval-samples__calc-1");
  swe::EvalOptions options = support::eval_options_in(s.dir.path(), s.root + "/repos");
  const std::string garbage = "--- a/calc/stats.py\n+++ b/calc/stats.py\n@@ -40,3 +40,3 @@\n-nothing like this\n+x\n";
  swe::InstanceResult failed = swe::evaluate_instance(calc, prediction(calc, garbage), options, 0);
  CHECK(failed.outcome == swe::Outcome::kPatchFailed);
  CHECK(failed.reason == "patch_failed");

  swe::InstanceResult unsafe =
      swe::evaluate_instance(calc, prediction(calc, support::new_file_patch(".git/hooks/post-checkout", "x\n")), options, 0);
  CHECK(unsafe.outcome == swe::Outcome::kPatchFailed);
  CHECK(unsafe.reason == "unsafe_patch");

  swe::InstanceResult empty = swe::evaluate_instance(calc, prediction(calc, ""), options, 0);
  CHECK(empty.outcome == swe::Outcome::kEmptyPatch);

  swe::EvalOptions no_repos = support::eval_options_in(s.dir.path(), s.dir.path());
  swe::InstanceResult missing = swe::evaluate_instance(calc, prediction(calc, calc.patch), no_repos, 0);
  CHECK(missing.outcome == swe::Outcome::kError);
  CHECK(missing.reason == "repo_missing");
}

TEST_CASE("reval swe eval grades the samples and writes SWE-bench reports", "[graders][swe][integration]") {
  if (std::string why = support::sandbox_unavailable_reason(); !why.empty()) return skip(why);
  Samples s;
  auto r = reval::test::run_reval({"swe", "eval", "--instances", s.root + "/instances.jsonl", "--repos",
                                   s.root + "/repos", "--predictions", "gold", "--out", s.dir.file("cli"),
                                   "--cache-dir", s.dir.file("cache"), "--workers", "2"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("2 submitted: 2 resolved, 0 unresolved, 0 patch failed, 0 error, 0 empty"));
  auto summary = nlohmann::json::parse(*reval::read_file(s.dir.file("cli/summary.json")));
  CHECK(summary["resolved_instances"] == 2);
  CHECK(summary["schema_version"] == 2);
  CHECK(std::filesystem::exists(s.dir.file("cli/reval-samples__slug-1/report.json")));

  reval::test::write_text_file(s.dir.file("preds.jsonl"),
                               R"({"instance_id": "reval-samples__slug-1", "model_name_or_path": "m", "model_patch": ""})"
                               "\n");
  auto preds = reval::test::run_reval({"swe", "eval", "--instances", s.root + "/instances.jsonl", "--repos",
                                       s.root + "/repos", "--predictions", s.dir.file("preds.jsonl"), "--out",
                                       s.dir.file("cli2"), "--cache-dir", s.dir.file("cache"), "--no-sandbox"});
  CHECK(preds.exit_code == 0);
  CHECK_THAT(preds.err, Catch::Contains("--no-sandbox"));
  CHECK_THAT(preds.out, Catch::Contains("1 submitted: 0 resolved, 0 unresolved, 0 patch failed, 0 error, 1 empty"));
}

TEST_CASE("reval swe eval rejects bad command lines and inputs with one line", "[graders][swe][integration]") {
  TempDir dir;
  auto missing = reval::test::run_reval({"swe", "eval", "--instances", dir.file("none.jsonl")});
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Catch::Contains("missing --repos"));
  reval::test::write_text_file(dir.file("bad.jsonl"), "{\"instance_id\": 5}\n");
  auto bad = reval::test::run_reval(
      {"swe", "eval", "--instances", dir.file("bad.jsonl"), "--repos", dir.path(), "--predictions", "gold"});
  CHECK(bad.exit_code == 3);
  CHECK_THAT(bad.err, Catch::Contains("bad.jsonl:1: instance_id"));
}
