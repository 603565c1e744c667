// Conformance on ../shared/data: swe-real (real instances that run offline) must give gold ->
// resolved, empty/no-op -> not resolved, gold minus one hunk -> not resolved; swe-verified (the 500
// SWE-bench Verified rows, not runnable here) must load, find a run spec whose command equals the
// official eval script's, and round-trip every FAIL_TO_PASS / PASS_TO_PASS id through its parser.
#include <catch2/catch.hpp>

#include "common/files.h"
#include "common/strings.h"
#include "graders/swe/log_parsers.h"
#include "graders/swe/patch_files.h"
#include "graders/swe/run_eval.h"
#include "graders/swe/run_spec.h"
#include "tests/graders/swe/swe_test_support.h"

namespace swe = reval::graders::swe;
namespace support = reval::test::swe;
using reval::test::shared_data_dir;
using reval::test::skip;
using reval::test::TempDir;

namespace {

std::string swe_real_dir() {
  std::string shared = shared_data_dir();
  return shared.empty() ? "" : shared + "/swe-real";
}

// The patch without the first hunk of its first Python file (the file block goes when emptied).
std::string drop_first_python_hunk(const std::string& patch) {
  std::vector<std::string> lines = reval::split(patch, '\n');
  std::size_t file_start = lines.size(), hunk_start = lines.size();
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].rfind("diff --git ", 0) == 0) {
      if (hunk_start != lines.size()) break;
      file_start = reval::contains(lines[i], ".py") ? i : lines.size();
    } else if (file_start != lines.size() && lines[i].rfind("@@", 0) == 0) {
      hunk_start = i;
      std::size_t end = i + 1;
      while (end < lines.size() && lines[end].rfind("@@", 0) != 0 && lines[end].rfind("diff --git ", 0) != 0) ++end;
      bool last_hunk_of_file = end == lines.size() || lines[end].rfind("diff --git ", 0) == 0;
      bool only_hunk = last_hunk_of_file && [&] {
        for (std::size_t k = file_start; k < i; ++k) {
          if (lines[k].rfind("@@", 0) == 0) return false;
        }
        return true;
      }();
      lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(only_hunk ? file_start : i),
                  lines.begin() + static_cast<std::ptrdiff_t>(end));
      return reval::join(lines, "\n");
    }
  }
  return patch;
}

// A log in the format of `family` saying each id passed (or failed, for `failed`).
std::string synthesize_log(swe::ParserFamily family, const std::vector<std::string>& ids, const std::string& failed) {
  std::string log = family == swe::ParserFamily::kPytest ? "===== short test summary info =====\n" : "";
  for (const std::string& id : ids) {
    bool fail = id == failed;
    switch (family) {
      case swe::ParserFamily::kPytest: log += (fail ? "FAILED " : "PASSED ") + id + (fail ? " - assert 0\n" : "\n"); break;
      case swe::ParserFamily::kDjango:
      case swe::ParserFamily::kUnittest: log += id + (fail ? " ... FAIL\n" : " ... ok\n"); break;
      case swe::ParserFamily::kSympy: log += id + (fail ? " F\n" : " ok\n"); break;
    }
  }
  return log;
}

}  // namespace

TEST_CASE("swe-real: every gold patch resolves, run through reval swe eval", "[graders][swe][conformance]") {
  if (swe_real_dir().empty()) return skip("../shared/data not present");
  if (std::string why = support::sandbox_unavailable_reason(); !why.empty()) return skip(why);
  TempDir dir;
  auto r = reval::test::run_reval({"swe", "eval", "--instances", swe_real_dir() + "/instances.jsonl", "--repos",
                                   swe_real_dir() + "/repos", "--predictions", "gold", "--out", dir.file("out"),
                                   "--cache-dir", dir.file("cache"), "--workers", "2"},
                                  "", {}, 600);
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("3 submitted: 3 resolved, 0 unresolved, 0 patch failed, 0 error, 0 empty"));
}

TEST_CASE("swe-real: empty and no-op patches resolve nothing", "[graders][swe][conformance]") {
  if (swe_real_dir().empty()) return skip("../shared/data not present");
  if (std::string why = support::sandbox_unavailable_reason(); !why.empty()) return skip(why);
  auto instances = swe::load_instances(swe_real_dir() + "/instances.jsonl");
  REQUIRE(instances.ok());
  TempDir dir;
  swe::EvalOptions options = support::eval_options_in(dir.path(), swe_real_dir() + "/repos");
  auto empty = swe::builtin_predictions(*instances, "empty");
  auto noop = empty;
  for (auto& [id, p] : noop) p.model_patch = support::new_file_patch("REVAL_NOOP.txt", "no change\n");
  for (const auto* predictions : {&empty, &noop}) {
    auto work = swe::match_predictions(*instances, *predictions);
    REQUIRE(work.ok());
    for (const swe::InstanceResult& r : swe::evaluate_all(*work, options, 2)) {
      INFO(r.instance_id << ": " << r.reason << " " << r.detail);
      CHECK(r.outcome != swe::Outcome::kResolved);
      if (predictions == &noop) {
        CHECK(r.reason == "tests_failed");
        CHECK_FALSE(r.tests.f2p_failure.empty());
        CHECK(r.tests.p2p_failure.empty());  // PASS_TO_PASS really passes at base_commit
      } else {
        CHECK(r.outcome == swe::Outcome::kEmptyPatch);
      }
    }
  }
}

TEST_CASE("swe-real: the gold patch with one hunk reverted does not resolve", "[graders][swe][conformance]") {
  if (swe_real_dir().empty()) return skip("../shared/data not present");
  if (std::string why = support::sandbox_unavailable_reason(); !why.empty()) return skip(why);
  auto instances = swe::load_instances(swe_real_dir() + "/instances.jsonl");
  REQUIRE(instances.ok());
  TempDir dir;
  swe::EvalOptions options = support::eval_options_in(dir.path(), swe_real_dir() + "/repos");
  auto predictions = swe::builtin_predictions(*instances, "gold");
  for (auto& [id, p] : predictions) {
    std::string reverted = drop_first_python_hunk(p.model_patch);
    REQUIRE(reverted != p.model_patch);
    p.model_patch = reverted;
  }
  auto work = swe::match_predictions(*instances, predictions);
  REQUIRE(work.ok());
  for (const swe::InstanceResult& r : swe::evaluate_all(*work, options, 2)) {
    INFO(r.instance_id << ": " << r.reason << " " << r.detail);
    CHECK(r.outcome != swe::Outcome::kResolved);
    CHECK(r.outcome != swe::Outcome::kError);
  }
}

TEST_CASE("swe-verified: 500 rows load and each run spec reproduces the official test command",
          "[graders][swe][conformance]") {
  std::string shared = shared_data_dir();
  if (shared.empty()) return skip("../shared/data not present");
  auto instances = swe::load_instances(shared + "/swe-verified/test.jsonl.gz");
  REQUIRE(instances.ok());
  REQUIRE(instances->size() == 500);
  int n_checked = 0;
  for (swe::SweInstance inst : *instances) {
    INFO(inst.instance_id);
    // The row names its parser; the spec must come from the table alone.
    REQUIRE(inst.log_parser.has_value());
    const std::string row_parser = *inst.log_parser;
    inst.log_parser.reset();
    REQUIRE_FALSE(inst.test_cmd.has_value());
    auto spec = swe::resolve_run_spec(inst);
    REQUIRE(spec.ok());
    CHECK(spec->log_parser == row_parser);
    REQUIRE(swe::find_log_parser(spec->log_parser).ok());
    const std::string script = inst.extra.at("eval_script").get<std::string>();
    const std::string marker = ": '>>>>> Start Test Output'\n";
    std::size_t at = script.find(marker);
    REQUIRE(at != std::string::npos);
    std::size_t begin = at + marker.size();
    std::string official = script.substr(begin, script.find('\n', begin) - begin);
    CHECK(swe::full_test_command(*spec, swe::test_directives(inst, *spec)) == official);
    // The files the script resets are exactly the files the test patch modifies.
    for (const swe::PatchFile& file : swe::patch_files(inst.test_patch)) {
      if (!file.old_path.empty()) CHECK(reval::contains(script, "git checkout " + inst.base_commit));
    }
    ++n_checked;
  }
  CHECK(n_checked == 500);
}

TEST_CASE("swe-verified: every FAIL_TO_PASS and PASS_TO_PASS id round-trips through its parser",
          "[graders][swe][conformance]") {
  std::string shared = shared_data_dir();
  if (shared.empty()) return skip("../shared/data not present");
  auto instances = swe::load_instances(shared + "/swe-verified/test.jsonl.gz");
  REQUIRE(instances.ok());
  std::size_t n_ids = 0;
  for (const swe::SweInstance& inst : *instances) {
    INFO(inst.instance_id);
    auto spec = swe::resolve_run_spec(inst);
    REQUIRE(spec.ok());
    auto parser = swe::find_log_parser(spec->log_parser);
    REQUIRE(parser.ok());
    std::vector<std::string> ids = inst.fail_to_pass;
    ids.insert(ids.end(), inst.pass_to_pass.begin(), inst.pass_to_pass.end());
    n_ids += ids.size();
    swe::TestStatusMap statuses = swe::parse_test_log(*parser, synthesize_log(parser->family, ids, ""));
    swe::TestsStatus tests = swe::grade_tests(inst, statuses);
    CHECK(tests.f2p_failure.empty());
    CHECK(tests.p2p_failure.empty());
    CHECK(swe::resolution_status(tests) == swe::ResolutionStatus::kFull);
    REQUIRE_FALSE(inst.fail_to_pass.empty());
    swe::TestStatusMap with_failure =
        swe::parse_test_log(*parser, synthesize_log(parser->family, ids, inst.fail_to_pass.front()));
    CHECK(swe::resolution_status(swe::grade_tests(inst, with_failure)) != swe::ResolutionStatus::kFull);
  }
  CHECK(n_ids > 10000);
}
