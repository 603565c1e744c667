// `reval run --suite swe-...` end to end: the scripted OpenAI-compatible server answers with patches
// (the gold one fenced, one with wrong hunk counts, garbage, one that applies but fails the tests),
// each graded in the sandbox on reval's own sample instances; resuming grades nothing twice; report,
// grade and compare read the run. Plus a [conformance] run on ../shared/data/swe-real and a builtin
// engine run on a synthesized model.
#include <catch2/catch.hpp>
#include <filesystem>
#include <regex>
#include <sstream>

#include "graders/swe/sandbox.h"
#include "graders/swe/work_tree.h"
#include "tests/harness/scripted_server.h"
#include "tests/support/test_support.h"

namespace reval {
namespace {

using nlohmann::json;
using test::run_reval;

json read_json(const std::string& path) { return json::parse(test::read_text_file(path)); }

std::vector<json> read_jsonl(const std::string& path) {
  std::vector<json> rows;
  std::istringstream in(test::read_text_file(path));
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) rows.push_back(json::parse(line));
  }
  return rows;
}

// Instance rows by id from an instances.jsonl.
std::map<std::string, json> instances_in(const std::string& path) {
  std::map<std::string, json> rows;
  for (json& row : read_jsonl(path)) {
    const std::string id = row["instance_id"].get<std::string>();
    rows[id] = std::move(row);
  }
  return rows;
}

// Empty when bwrap works here; else why (for skip()).
std::string sandbox_missing() {
  const Status probe = graders::swe::probe_sandbox();
  return probe.ok() ? "" : "sandbox unavailable here: " + probe.message();
}

// The grades.jsonl row of (problem, sample 0).
json grade_of(const std::string& run, const std::string& problem_id) {
  for (json& row : read_jsonl(run + "/grades.jsonl")) {
    if (row["problem_id"] == problem_id && row["sample"] == 0) return row;
  }
  FAIL("no grade for " << problem_id << " in " << run);
  return {};
}

std::string fenced(const std::string& diff) { return "Here is the fix.\n\n```diff\n" + diff + "```\n"; }

// The gold patch with every hunk header's counts made wrong (what models often emit).
std::string with_wrong_counts(const std::string& diff) {
  return std::regex_replace(diff, std::regex("@@ -([0-9]+),([0-9]+) \\+([0-9]+),([0-9]+) @@"), "@@ -$1,99 +$3,1 @@");
}

// Instances built from datasets/samples/swe (two tiny repositories), with the mirror cache in `dir`.
struct SampleData {
  test::TempDir dir;
  std::string root = dir.file("samples");
  std::vector<std::string> env = {"REVAL_CACHE=" + dir.file("cache"), "TMPDIR=" + dir.path()};
  std::map<std::string, json> instances;
  SampleData() {
    const auto built = test::run_command(
        "/usr/bin/env", {"python3", test::source_dir() + "/datasets/samples/swe/make_samples.py", root});
    INFO(built.err);
    REQUIRE(built.exit_code == 0);
    instances = instances_in(root + "/instances.jsonl");
  }
  ~SampleData() { graders::swe::wait_for_background_removals(); }
  std::string patch(const std::string& id) { return instances.at(id)["patch"].get<std::string>(); }
};

std::vector<std::string> swe_run_args(const std::string& suite, const std::string& repos,
                                      const test::ScriptedServer& server, const std::string& out) {
  return {"run", "--suite", suite, "--repos", repos, "--api", server.base_url(), "--model", "scripted-model",
          "--out", out, "--timeout", "30", "--max-retries", "1", "--workers", "2", "--test-timeout", "120"};
}

constexpr const char* kCalc = "reval-samples__calc-1";
constexpr const char* kSlug = "reval-samples__slug-1";
// Substrings of each sample's problem statement (the server's rules match on the user message).
constexpr const char* kCalcMatch = "median() returns the wrong value";
constexpr const char* kSlugMatch = "slugify";

}  // namespace

TEST_CASE("reval run on an SWE suite grades model patches in the sandbox and resumes without regrading",
          "[harness][swe][integration]") {
  if (const std::string why = sandbox_missing(); !why.empty()) return test::skip(why);
  SampleData data;
  // A patch that applies and changes nothing the tests look at: unresolved.
  const std::string harmless = "--- a/slug.py\n+++ b/slug.py\n@@ -1,1 +1,2 @@\n \"\"\"slugify: turn a title into a URL slug "
                               "(a reval sample repository).\"\"\"\n+# touched\n";
  // Attempt n of a (prompt, seed) gets entry n: run A sees the first entries, run B the second.
  const json script = {
      {"rules",
       {{{"match", kCalcMatch}, {"responses", {{{"content", fenced(data.patch(kCalc))}},
                                               {{"content", "I am not sure what to change. Maybe the median?"}}}}},
        {{"match", kSlugMatch}, {"responses", {{{"content", fenced(with_wrong_counts(data.patch(kSlug)))}},
                                               {{"content", "```diff\n" + harmless + "```"}}}}}}}};
  test::TempDir server_dir;
  test::ScriptedServer server(server_dir.path(), script);
  const std::string repos = data.root + "/repos";
  const std::string run_a = data.dir.file("run-a"), run_b = data.dir.file("run-b");

  const auto a = run_reval(swe_run_args("swe-sample", repos, server, run_a), "", data.env, 300);
  INFO(a.out << a.err);
  REQUIRE(a.exit_code == 0);
  // (a) the gold patch in a ```diff fence: resolved with plain git apply.
  const json calc = grade_of(run_a, kCalc);
  CHECK(calc["correct"] == true);
  CHECK(calc["swe"]["outcome"] == "resolved");
  CHECK(calc["swe"]["apply_method"] == "git apply -v");
  CHECK(calc["swe"]["diff_source"] == "fenced_diff");
  CHECK(calc["swe"]["FAIL_TO_PASS"]["failure"].empty());
  CHECK(calc["extracted"] == "calc/stats.py");
  // (b) wrong hunk counts: repaired, then resolved.
  const json slug = grade_of(run_a, kSlug);
  CHECK(slug["swe"]["outcome"] == "resolved");
  CHECK(slug["swe"]["n_hunks_repaired"] == 1);
  const json summary_a = read_json(run_a + "/summary.json");
  CHECK(summary_a["metrics"]["pass@1"]["value"] == 1.0);
  CHECK(summary_a["swe"]["outcomes"]["resolved"] == 2);
  CHECK(summary_a["swe"]["retrieval"] == "oracle");
  CHECK(a.out.find("swe outcomes: 2 resolved, 0 unresolved") != std::string::npos);
  const json run_json = read_json(run_a + "/run.json");
  CHECK(run_json["suite"]["retrieval"] == "oracle");
  CHECK(run_json["settings"]["retrieval"] == "oracle");
  // Per-sample SWE-bench reports.
  CHECK(std::filesystem::exists(run_a + "/swe/sample-0/" + kCalc + "/report.json"));
  // The prompt held the file the gold patch edits, at base_commit, and the issue.
  const auto requests = server.requests();
  REQUIRE(requests.size() == 2);
  bool saw_calc_file = false;
  for (const json& r : requests) {
    const std::string key = r["key"];
    if (key.find(kCalcMatch) != std::string::npos) {
      saw_calc_file = key.find("[start of calc/stats.py]") != std::string::npos &&
                      key.find("return ordered[len(ordered) // 2]") != std::string::npos;
    }
  }
  CHECK(saw_calc_file);

  // Resuming: no request, no grading (swe_results.jsonl unchanged).
  const std::string verdicts_before = test::read_text_file(run_a + "/swe_results.jsonl");
  const auto again = run_reval(swe_run_args("swe-sample", repos, server, run_a), "", data.env, 300);
  REQUIRE(again.exit_code == 0);
  CHECK(server.requests().size() == 2);
  CHECK(test::read_text_file(run_a + "/swe_results.jsonl") == verdicts_before);
  CHECK(again.err.find("  swe ") == std::string::npos);
  // Grading interrupted after generation (one verdict missing): the rerun grades only that sample.
  const std::string first_line = verdicts_before.substr(0, verdicts_before.find('\n') + 1);
  test::write_text_file(run_a + "/swe_results.jsonl", first_line);
  const std::string missing_id = json::parse(first_line)["problem_id"] == kCalc ? kSlug : kCalc;
  const auto regrade = run_reval(swe_run_args("swe-sample", repos, server, run_a), "", data.env, 300);
  REQUIRE(regrade.exit_code == 0);
  CHECK(server.requests().size() == 2);
  CHECK(read_jsonl(run_a + "/swe_results.jsonl").size() == 2);
  CHECK(regrade.err.find("swe " + missing_id) != std::string::npos);
  CHECK(read_json(run_a + "/summary.json")["swe"]["outcomes"]["resolved"] == 2);

  const auto b = run_reval(swe_run_args("swe-sample", repos, server, run_b), "", data.env, 300);
  INFO(b.out << b.err);
  REQUIRE(b.exit_code == 0);
  // (c) garbage: no diff, nothing applied.
  const json garbage = grade_of(run_b, kCalc);
  CHECK(garbage["correct"] == false);
  CHECK(garbage["swe"]["outcome"] == "empty_patch");
  CHECK(garbage["reason"] == "no_diff");
  // (d) applies, but the tests still fail.
  const json failing = grade_of(run_b, kSlug);
  CHECK(failing["swe"]["outcome"] == "unresolved");
  CHECK(failing["swe"]["reason"] == "tests_failed");
  CHECK(failing["swe"]["patch_applied"] == true);
  CHECK(!failing["swe"]["FAIL_TO_PASS"]["failure"].empty());
  CHECK(read_json(run_b + "/summary.json")["metrics"]["pass@1"]["value"] == 0.0);

  // The normal tools read SWE runs: grade rescored from the verdicts, compare, and the report's SWE section.
  const auto graded = run_reval({"grade", run_b});
  INFO(graded.err);
  REQUIRE(graded.exit_code == 0);
  CHECK(graded.out.find("swe outcomes: 0 resolved, 1 unresolved, 0 patch failed, 0 error, 1 empty") != std::string::npos);
  const auto compared = run_reval({"compare", run_a, run_b});
  INFO(compared.err);
  REQUIRE(compared.exit_code == 0);
  CHECK(compared.out.find("delta (B - A): -100.0 points") != std::string::npos);
  const auto report = run_reval({"report", run_a, run_b, "-o", data.dir.file("report.html")});
  INFO(report.err);
  REQUIRE(report.exit_code == 0);
  const std::string html = test::read_text_file(data.dir.file("report.html"));
  CHECK(html.find("8. SWE instances") != std::string::npos);
  CHECK(html.find("oracle retrieval") != std::string::npos);
  CHECK(html.find("tests_failed") != std::string::npos);
  CHECK(html.find("id=\"swe-outcomes\"") != std::string::npos);
  const auto markdown = run_reval({"report", run_a, run_b, "--format", "md"});
  REQUIRE(markdown.exit_code == 0);
  CHECK(markdown.out.find("### SWE outcomes") != std::string::npos);
  CHECK(markdown.out.find("| oracle | 0 | 1 | 0 | 0 | 1 |") != std::string::npos);  // run B
  const auto as_json = run_reval({"report", run_a, run_b, "--format", "json"});
  REQUIRE(as_json.exit_code == 0);
  const json report_json = json::parse(as_json.out);
  CHECK(report_json["runs"][1]["swe"]["outcomes"]["empty_patch"] == 1);
  CHECK(report_json["runs"][1]["swe"]["retrieval"] == "oracle");
}

TEST_CASE("an SWE suite without --repos, or with a missing repository, fails before any request",
          "[harness][swe][integration]") {
  test::TempDir dir;
  const auto no_repos = run_reval({"run", "--suite", "swe-sample", "--api", "http://127.0.0.1:1/v1", "--model", "m",
                                   "--out", dir.file("run"), "--no-sandbox"});
  CHECK(no_repos.exit_code == 2);
  CHECK(no_repos.err.find("needs --repos DIR") != std::string::npos);
  std::filesystem::create_directories(dir.file("empty"));
  const json row = {{"instance_id", "owner__name-1"}, {"repo", "owner/name"}, {"base_commit", std::string(40, 'a')},
                    {"patch", "--- a/x.py\n+++ b/x.py\n@@ -1 +1 @@\n-a\n+b\n"}, {"test_patch", ""},
                    {"problem_statement", "x"}, {"version", "1.0"}, {"FAIL_TO_PASS", "[]"}, {"PASS_TO_PASS", "[]"}};
  test::write_text_file(dir.file("instances.jsonl"), row.dump() + "\n");
  const auto missing = run_reval({"run", "--suite", "swe-sample", "--repos", dir.file("empty"), "--api",
                                  "http://127.0.0.1:1/v1", "--model", "m", "--out", dir.file("run"), "--no-sandbox"},
                                 "", {"REVAL_CACHE=" + dir.file("cache")});
  CHECK(missing.exit_code == 3);  // not found: bad input
  CHECK(missing.err.find("owner__name-1") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir.file("run") + "/samples.jsonl"));
}

TEST_CASE("reval run on swe-real resolves every instance when the model answers with the gold patch",
          "[harness][swe][integration][conformance]") {
  const std::string shared = test::shared_data_dir();
  if (shared.empty() || !std::filesystem::exists(shared + "/swe-real/instances.jsonl")) {
    return test::skip("../shared/data/swe-real is absent");
  }
  if (const std::string why = sandbox_missing(); !why.empty()) return test::skip(why);
  test::TempDir dir;
  const std::map<std::string, json> instances = instances_in(shared + "/swe-real/instances.jsonl");
  json rules = json::array();
  for (const auto& [id, row] : instances) {
    // The prompt names the repository; the gold patch comes back in a diff fence.
    rules.push_back({{"match", "repository " + row["repo"].get<std::string>()},
                     {"responses", {{{"content", fenced(row["patch"].get<std::string>())}}}}});
  }
  test::TempDir server_dir;
  test::ScriptedServer server(server_dir.path(), {{"rules", rules}, {"default", {{{"content", "no idea"}}}}});
  const std::string out = dir.file("run");
  const auto r = run_reval(swe_run_args("swe-real", shared + "/swe-real/repos", server, out), "",
                           {"REVAL_CACHE=" + dir.file("cache"), "TMPDIR=" + dir.path()}, 600);
  graders::swe::wait_for_background_removals();
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  const json summary = read_json(out + "/summary.json");
  CHECK(summary["swe"]["outcomes"]["resolved"] == instances.size());
  CHECK(summary["metrics"]["pass@1"]["value"] == 1.0);
  for (const auto& [id, row] : instances) {
    const json grade = grade_of(out, id);
    CHECK(grade["swe"]["outcome"] == "resolved");
    CHECK(grade["swe"]["PASS_TO_PASS"]["failure"].empty());
  }
}

TEST_CASE("reval run on an SWE suite with the built-in engine stores and grades every sample",
          "[harness][swe][integration][conformance]") {
  // A random-weight model writes no usable diff: the test checks the pipeline and the records, not success.
  // stories260K's 512-token vocab keeps the model small (synthesized in well under a second).
  const std::string vocab = test::shared_data_dir() + "/gguf/stories260K.gguf";
  if (test::shared_data_dir().empty() || !std::filesystem::exists(vocab)) return test::skip("no stories260K vocab in ../shared");
  if (const std::string why = sandbox_missing(); !why.empty()) return test::skip(why);
  SampleData data;
  const std::string model = data.dir.file("tiny.gguf");
  const auto synth = run_reval({"model", "synth", "--shape", "tiny", "--arch", "llama", "--tied", "--vocab", vocab,
                                "--type", "f32", "--seed", "1", "-o", model});
  INFO(synth.err);
  REQUIRE(synth.exit_code == 0);
  const std::string out = data.dir.file("run");
  const auto r = run_reval({"run", "--suite", "swe-sample", "--repos", data.root + "/repos", "--model", model, "--out",
                            out, "--chat-template", "chatml", "--max-tokens", "24", "--ctx", "4096", "--threads", "2", "--workers", "1"},
                           "", data.env, 600);
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  const auto samples = read_jsonl(out + "/samples.jsonl");
  CHECK(samples.size() == 2);
  const auto verdicts = read_jsonl(out + "/swe_results.jsonl");
  CHECK(verdicts.size() == 2);
  for (const char* id : {kCalc, kSlug}) {
    const json grade = grade_of(out, id);
    const std::string outcome = grade["swe"]["outcome"];
    CHECK((outcome == "empty_patch" || outcome == "patch_failed" || outcome == "unresolved"));
    // 24 tokens of noise: cut by max_tokens with no diff in them.
    if (outcome == "empty_patch") CHECK(grade["reason"] == "truncated");
    CHECK(grade["swe"].contains("reason"));
    CHECK(grade["swe"].contains("apply_method"));
  }
  const json summary = read_json(out + "/summary.json");
  CHECK(summary["n_samples"] == 2);
  CHECK(summary["swe"]["ungraded"] == 0);
  CHECK(read_json(out + "/run.json")["model"]["backend"] == "builtin");
}

}  // namespace reval
