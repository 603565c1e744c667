// The `reval datasets ...` commands, driving the real binary.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "common/strings.h"
#include "tests/datasets/fake_hf_server.h"
#include "tests/support/test_support.h"

namespace reval {
namespace {

namespace fs = std::filesystem;
using test::run_reval;

std::string fixture(const std::string& name) { return test::source_dir() + "/tests/data/datasets/" + name; }

// The environment of every test: an empty private cache, and downloads pointed at a closed port so
// that nothing can reach the real Hugging Face by accident.
std::vector<std::string> env_for(const test::TempDir& dir, const std::string& endpoint = "http://127.0.0.1:9") {
  return {"REVAL_CACHE=" + dir.file("cache"), "REVAL_HF_ENDPOINT=" + endpoint, "REVAL_HF_ROWS_ENDPOINT=" + endpoint};
}

}  // namespace

TEST_CASE("datasets list shows every registry dataset and the cache folder", "[datasets][cli][integration]") {
  test::TempDir dir;
  auto result = run_reval({"datasets", "list"}, "", env_for(dir));
  CHECK(result.exit_code == 0);
  for (const char* id : {"aime24", "aime25", "math500", "swe-verified", "math-sample", "aime-sample"}) {
    CHECK(contains(result.out, id));
  }
  CHECK(contains(result.out, "cache: " + dir.file("cache")));
  auto json = run_reval({"datasets", "list", "--json"}, "", env_for(dir));
  CHECK(json.exit_code == 0);
  CHECK(contains(json.out, "\"id\": \"math500\""));
}

TEST_CASE("datasets show prints the bundled problems and a summary", "[datasets][cli][integration]") {
  test::TempDir dir;
  auto result = run_reval({"datasets", "show", "aime-sample", "--limit", "2"}, "", env_for(dir));
  CHECK(result.exit_code == 0);
  CHECK(contains(result.out, "aime-sample-01"));
  CHECK_FALSE(contains(result.out, "aime-sample-03"));
  CHECK(contains(result.out, "... 8 more"));
  CHECK(contains(result.out, "10 problems, 10 with an answer"));
  auto json = run_reval({"datasets", "show", "math-sample", "--json", "-n", "1"}, "", env_for(dir));
  CHECK(json.exit_code == 0);
  CHECK(json.out.rfind("{\"answer\":\"\\\\frac{13}{28}\",\"id\":\"math-sample-01\"", 0) == 0);
}

TEST_CASE("datasets show reads a local file with a field mapping", "[datasets][cli][integration]") {
  test::TempDir dir;
  auto result = run_reval({"datasets", "show", "--dataset", fixture("renamed_fields.jsonl"), "--fields",
                           "id=qid,problem=question,answer=final"},
                          "", env_for(dir));
  CHECK(result.exit_code == 0);
  CHECK(contains(result.out, "101  source=made up"));
  CHECK(contains(result.out, "answer: 1024"));
}

TEST_CASE("datasets show reports bad rows with file and line, or skips them", "[datasets][cli][integration]") {
  test::TempDir dir;
  auto bad = run_reval({"datasets", "show", "--dataset", fixture("malformed.jsonl")}, "", env_for(dir));
  CHECK(bad.exit_code == 3);
  CHECK(contains(bad.err, "reval datasets show: error: " + fixture("malformed.jsonl") + ":3: malformed JSON"));
  CHECK(std::count(bad.err.begin(), bad.err.end(), '\n') == 1);

  auto skipped = run_reval({"datasets", "show", "--dataset", fixture("malformed.jsonl"), "--skip-bad-rows"}, "",
                           env_for(dir));
  CHECK(skipped.exit_code == 0);
  CHECK(contains(skipped.err, "skipped 1 bad row (first: "));
  CHECK(contains(skipped.out, "3 problems"));

  auto missing = run_reval({"datasets", "show", "--dataset", fixture("missing_field.jsonl")}, "", env_for(dir));
  CHECK(missing.exit_code == 3);
  CHECK(contains(missing.err, "missing_field.jsonl:2: missing field \"answer\""));
}

TEST_CASE("datasets show usage errors exit 2", "[datasets][cli][integration]") {
  test::TempDir dir;
  CHECK(run_reval({"datasets", "show"}, "", env_for(dir)).exit_code == 2);
  auto both = run_reval({"datasets", "show", "math-sample", "--dataset", "x.jsonl"}, "", env_for(dir));
  CHECK(both.exit_code == 2);
  CHECK(contains(both.err, "not both"));
  auto fields = run_reval({"datasets", "show", "math-sample", "--fields", "anwser=x"}, "", env_for(dir));
  CHECK(fields.exit_code == 2);
  CHECK(contains(fields.err, "did you mean \"answer\"?"));
  auto limit = run_reval({"datasets", "show", "math-sample", "--limit", "many"}, "", env_for(dir));
  CHECK(limit.exit_code == 2);
  auto option = run_reval({"datasets", "show", "math-sample", "--limt", "3"}, "", env_for(dir));
  CHECK(option.exit_code == 2);
  CHECK(contains(option.err, "did you mean --limit?"));
}

TEST_CASE("an unknown dataset name exits 3 with a hint", "[datasets][cli][integration]") {
  test::TempDir dir;
  auto result = run_reval({"datasets", "show", "aime2024"}, "", env_for(dir));
  CHECK(result.exit_code == 3);
  CHECK(contains(result.err, "unknown dataset 'aime2024' (did you mean 'aime24'?)"));
  auto fetch = run_reval({"datasets", "fetch", "math-500"}, "", env_for(dir));
  CHECK(fetch.exit_code == 3);
  CHECK(contains(fetch.err, "did you mean 'math500'?"));
}

TEST_CASE("datasets fetch offline with an empty cache fails without network", "[datasets][cli][integration]") {
  test::TempDir dir;
  auto result = run_reval({"datasets", "fetch", "math500", "--offline"}, "", env_for(dir));
  CHECK(result.exit_code == 3);
  CHECK(contains(result.err, "not in the cache and --offline forbids downloading it"));
  auto show = run_reval({"datasets", "show", "math500", "--offline"}, "", env_for(dir));
  CHECK(show.exit_code == 3);
  CHECK(contains(show.err, "run 'reval datasets fetch math500' while online"));
  auto bundled = run_reval({"datasets", "fetch", "math-sample", "--offline"}, "", env_for(dir));
  CHECK(bundled.exit_code == 0);
  CHECK(contains(bundled.out, "built into reval"));
}

TEST_CASE("datasets fetch reports an http error with url and status and exits 4", "[datasets][cli][integration]") {
  test::TempDir dir;
  fs::create_directories(dir.file("served"));
  test::FakeHfServer server(dir.file("served"), dir.file("log"));
  REQUIRE(server.started());
  auto result = run_reval({"datasets", "fetch", "math500"}, "", env_for(dir, server.url()));
  CHECK(result.exit_code == 4);
  CHECK(contains(result.err, server.url() + "/datasets/HuggingFaceH4/MATH-500/resolve/main/test.jsonl: HTTP 404"));
  CHECK_FALSE(fs::exists(dir.file("cache") + "/datasets/math500/test.jsonl"));
}

TEST_CASE("a replacement registry fetches multi-part files and rows-api datasets", "[datasets][cli][integration]") {
  test::TempDir dir;
  const std::string served = dir.file("served") + "/org/set";
  fs::create_directories(served);
  test::write_text_file(served + "/part-I.jsonl", "{\"question\": \"Q1\", \"answer\": 1}\n{\"question\": \"Q2\", \"answer\": 2}\n");
  test::write_text_file(served + "/part-II.jsonl", "{\"question\": \"Q3\", \"answer\": 3}\n");
  test::write_text_file(served + "/default-train.rows.jsonl", "{\"key\": \"k1\", \"text\": \"T1\"}\n");
  test::write_text_file(dir.file("registry.json"), R"({"format": 1, "datasets": [
    {"id": "two-part", "description": "d", "license": "l", "fields": {"id": null, "problem": "question", "answer": "answer"},
     "source": {"kind": "hf_file", "repo": "org/set", "parts": [
       {"path": "part-I.jsonl", "rows": 2, "id_prefix": "I-"}, {"path": "part-II.jsonl", "rows": 1, "id_prefix": "II-"}]}},
    {"id": "paged", "description": "d", "license": "l", "fields": {"id": "key", "problem": "text", "answer": null},
     "source": {"kind": "hf_rows", "repo": "org/set", "parts": [{"config": "default", "split": "train", "rows": 1}]}}]})");
  test::FakeHfServer server(dir.file("served"), dir.file("log"));
  REQUIRE(server.started());
  auto env = env_for(dir, server.url());
  env.push_back("REVAL_REGISTRY=" + dir.file("registry.json"));

  auto list = run_reval({"datasets", "list"}, "", env);
  CHECK(list.exit_code == 0);
  CHECK(contains(list.out, "two-part"));
  CHECK_FALSE(contains(list.out, "math500"));
  auto fetch = run_reval({"datasets", "fetch", "two-part", "paged"}, "", env);
  CHECK(fetch.exit_code == 0);
  CHECK(contains(fetch.out, "part-II.jsonl  1 rows"));
  auto show = run_reval({"datasets", "show", "two-part", "--offline", "--json"}, "", env);
  CHECK(show.exit_code == 0);
  CHECK(contains(show.out, "\"id\":\"I-2\""));
  CHECK(contains(show.out, "\"id\":\"II-1\",\"meta\":{},\"problem\":\"Q3\""));
  auto paged = run_reval({"datasets", "show", "paged", "--offline"}, "", env);
  CHECK(paged.exit_code == 0);
  CHECK(contains(paged.out, "answer: (none)"));

  test::write_text_file(dir.file("broken.json"), R"({"format": 1, "datasets": [{"id": "x"}]})");
  env.back() = "REVAL_REGISTRY=" + dir.file("broken.json");
  auto broken = run_reval({"datasets", "list"}, "", env);
  CHECK(broken.exit_code == 3);
  CHECK(contains(broken.err, "broken.json: datasets[0] (x): missing \"description\""));
}

TEST_CASE("datasets fetch, show and verify work end to end on math-500", "[datasets][cli][integration][conformance]") {
  if (test::shared_data_dir().empty()) {
    test::skip("../shared/data is absent");
    return;
  }
  test::TempDir dir;
  const std::string served = dir.file("served") + "/HuggingFaceH4/MATH-500";
  fs::create_directories(served);
  fs::copy_file(test::shared_data_dir() + "/datasets/math500/test.jsonl", served + "/test.jsonl");
  test::FakeHfServer server(dir.file("served"), dir.file("log"));
  REQUIRE(server.started());
  const auto env = env_for(dir, server.url());

  auto fetch = run_reval({"datasets", "fetch", "math500"}, "", env);
  CHECK(fetch.exit_code == 0);
  CHECK(contains(fetch.out, "500 rows  sha256 35dc41080a3680858b27fa7e0533d2d547825316fc5dafe5d316f4ccc5a06132"));
  server.kill();

  auto show = run_reval({"datasets", "show", "math500", "--offline", "--limit", "1"}, "", env);
  CHECK(show.exit_code == 0);
  CHECK(contains(show.out, "test/precalculus/807.json"));
  CHECK(contains(show.out, "500 problems, 500 with an answer"));
  CHECK(contains(show.out, "subject: Algebra (124)"));

  auto verify = run_reval({"datasets", "verify"}, "", env);
  CHECK(verify.exit_code == 0);
  CHECK(contains(verify.out, "1 ok, 0 mismatched"));

  // Corrupt the cached copy: verify must notice and exit 1.
  test::write_text_file(dir.file("cache") + "/datasets/math500/test.jsonl", "{}\n");
  auto bad = run_reval({"datasets", "verify", "math500"}, "", env);
  CHECK(bad.exit_code == 1);
  CHECK(contains(bad.out, "MISMATCH: expected sha256 35dc41080a3680858b27fa7e0533d2d547825316fc5dafe5d316f4ccc5a06132"));
}

}  // namespace reval
