#include <catch2/catch.hpp>
#include <filesystem>

#include "reports/run_folder.h"
#include "tests/reports/fixture_runs.h"
#include "tests/support/test_support.h"

namespace reval::reports {

using test::TempDir;
using test::write_text_file;

namespace {
const char* kRunJson = R"({"format_version": 1, "run_id": "r1", "suite": {"name": "aime24", "metrics": ["pass@1"]},
  "model": {"backend": "api", "name": "m", "brand_new": {"x": 1}}, "sampling": {"samples": 2, "seed": 0}})";
}  // namespace

TEST_CASE("a run folder is read with unknown fields ignored", "[reports][reader]") {
  TempDir dir;
  write_text_file(dir.file("run.json"), kRunJson);
  write_text_file(dir.file("problems.jsonl"), R"({"id": 7, "problem": "p", "answer": "3", "new": true})" "\n");
  write_text_file(dir.file("samples.jsonl"),
                  R"({"problem_id": "7", "sample": 0, "text": "t", "reasoning": "r", "finish_reason": "stop", "completion_tokens": 5, "x": null})" "\n");
  write_text_file(dir.file("grades.jsonl"), R"({"problem_id": "7", "sample": 0, "correct": true, "canonical": "3", "y": 1})" "\n");
  auto run = read_run_folder(dir.path());
  REQUIRE(run.ok());
  CHECK(run->info.run_id == "r1");
  CHECK(run->info.model.name == "m");
  CHECK(run->info.sampling.samples == 2);
  REQUIRE(run->problems.size() == 1);
  CHECK(run->problems[0].id == "7");  // numeric ids become strings
  REQUIRE(run->samples.size() == 1);
  CHECK(run->samples[0].completion_tokens == 5);
  REQUIRE(run->grades.size() == 1);
  CHECK(run->grades[0].correct);
  CHECK_FALSE(run->summary.has_value());
  CHECK(run->warnings.empty());
}

TEST_CASE("a torn last line is dropped with a warning", "[reports][reader]") {
  TempDir dir;
  write_text_file(dir.file("run.json"), kRunJson);
  write_text_file(dir.file("samples.jsonl"),
                  "{\"problem_id\": \"1\", \"sample\": 0, \"text\": \"a\"}\n{\"problem_id\": \"1\", \"sam");
  auto run = read_run_folder(dir.path());
  REQUIRE(run.ok());
  CHECK(run->samples.size() == 1);
  REQUIRE(run->warnings.size() == 1);
  CHECK(run->warnings[0].find("samples.jsonl:2: dropped a torn last line") != std::string::npos);
}

TEST_CASE("a bad line in the middle is an error naming file and line", "[reports][reader]") {
  TempDir dir;
  write_text_file(dir.file("run.json"), kRunJson);
  write_text_file(dir.file("grades.jsonl"),
                  "{\"problem_id\": \"1\", \"sample\": 0, \"correct\": true}\nnot json\n{\"problem_id\": \"1\", \"sample\": 1, \"correct\": false}\n");
  auto run = read_run_folder(dir.path());
  REQUIRE_FALSE(run.ok());
  CHECK(run.status().message().find("grades.jsonl:2: not a JSON object") != std::string::npos);
}

TEST_CASE("a field of the wrong type is an error naming the field", "[reports][reader]") {
  TempDir dir;
  write_text_file(dir.file("run.json"), kRunJson);
  write_text_file(dir.file("grades.jsonl"), "{\"problem_id\": \"1\", \"sample\": 0, \"correct\": \"yes\"}\n");
  auto run = read_run_folder(dir.path());
  REQUIRE_FALSE(run.ok());
  CHECK(run.status().code() == StatusCode::kInvalidInput);
  CHECK(run.status().message().find("grades.jsonl:1: field 'correct' must be a boolean") != std::string::npos);
}

TEST_CASE("an unsupported format_version and a missing run.json are clear errors", "[reports][reader]") {
  TempDir dir;
  auto missing = read_run_folder(dir.path());
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().message().find("run.json: missing") != std::string::npos);
  write_text_file(dir.file("run.json"), R"({"format_version": 2})");
  auto future = read_run_folder(dir.path());
  REQUIRE_FALSE(future.ok());
  CHECK(future.status().message().find("format_version 2 is not supported") != std::string::npos);
  auto nowhere = read_run_folder(dir.file("no-such-run"));
  REQUIRE_FALSE(nowhere.ok());
  CHECK(nowhere.status().code() == StatusCode::kNotFound);
}

TEST_CASE("clip_text keeps the start and end at UTF-8 boundaries", "[reports][reader]") {
  const ClippedText whole = clip_text("short", 100);
  CHECK(whole.head == "short");
  CHECK(whole.n_chars_omitted == 0);
  std::string text;
  for (int i = 0; i < 100; ++i) text += "é";  // 200 bytes of 2-byte characters
  const ClippedText clipped = clip_text(text, 41);
  CHECK(clipped.original_size() == 200);
  CHECK(clipped.head.size() % 2 == 0);
  CHECK(clipped.tail.size() % 2 == 0);
  CHECK(clipped.head.size() <= 30);
  CHECK(clipped.tail.size() <= 10);
  CHECK(clipped.n_chars_omitted > 0);
}

TEST_CASE("the fixture runs read completely, SWE outcomes included", "[reports][reader]") {
  auto run = read_run_folder(test::fixture_runs_dir() + "/aime24-q4km");
  REQUIRE(run.ok());
  CHECK(run->problems.size() == 12);
  CHECK(run->samples.size() == 96);
  CHECK(run->grades.size() == 96);
  REQUIRE(run->summary.has_value());
  CHECK(run->summary->metrics.count("cons@8") == 1);
  CHECK(run->info.model.quantization.at("Q4_K") == 169);
  CHECK(run->warnings.size() == 1);  // the torn line
  CHECK(count_sample_lines(run->path) == 96);
  auto swe = read_run_folder(test::fixture_runs_dir() + "/swe-api");
  REQUIRE(swe.ok());
  REQUIRE(swe->grades[0].swe.has_value());
  CHECK(swe->grades[0].swe->apply_method == "git apply -v");
  CHECK(swe->grades[0].swe->pass_to_pass.success.size() == 3);
}

}  // namespace reval::reports
