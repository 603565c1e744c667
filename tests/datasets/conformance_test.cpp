// Loaders and registry mappings on the real benchmark files in ../shared/data/datasets.
#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <string>

#include "common/sha256.h"
#include "common/strings.h"
#include "datasets/load.h"
#include "datasets/registry.h"
#include "tests/support/test_support.h"

namespace reval::datasets {
namespace {

namespace fs = std::filesystem;

// Answers of AIME 2025 I and II in order (../shared/data/datasets/README.md).
const std::vector<std::int64_t> kAime25Answers = {70,  588, 16,  117, 279, 504, 821, 77,  62,  81,
                                                  259, 510, 204, 60,  735, 468, 49,  82,  106, 336,
                                                  293, 237, 610, 149, 907, 113, 19,  248, 104, 240};

std::string shared_file(const std::string& rel) { return test::shared_data_dir() + "/datasets/" + rel; }

void check_integer_answers(const std::vector<Problem>& problems) {
  for (const Problem& problem : problems) {
    INFO(problem.id << " answer '" << problem.answer << "'");
    auto value = parse_int(problem.answer);
    REQUIRE(value.has_value());
    CHECK(*value >= 0);
    CHECK(*value <= 999);
  }
}

// Copies a shared file into a fresh cache where the registry expects `id`'s only part, so the
// registry's field mapping is exercised on real data without a network.
std::string seed_cache(const test::TempDir& dir, const std::string& id, const std::string& source) {
  auto registry = Registry::load_default();
  REQUIRE(registry.ok());
  const DatasetSpec* spec = registry->find(id);
  REQUIRE(spec != nullptr);
  REQUIRE(spec->source.parts.size() == 1);
  const std::string target = dir.path() + "/datasets/" + id + "/" + spec->source.parts[0].cache_file_name();
  fs::create_directories(fs::path(target).parent_path());
  fs::copy_file(source, target);
  return dir.path();
}

}  // namespace

TEST_CASE("the shared benchmark files have the checksums their readme lists", "[datasets][conformance]") {
  if (test::shared_data_dir().empty()) {
    test::skip("../shared/data is absent");
    return;
  }
  const std::map<std::string, std::string> expected = {
      {"math500/test.jsonl", "35dc41080a3680858b27fa7e0533d2d547825316fc5dafe5d316f4ccc5a06132"},
      {"aime24/test.jsonl", "af2b8bd2aa911b6333ad0df32f3ca05c7ae8ed10f1731f4372c8ae26990bf7ac"},
      {"aime25/test.jsonl", "b672f9c6660b68dd42f5fc705b17405f24eaa9991c98991d63463c6b683468a8"},
  };
  for (const auto& [rel, digest] : expected) {
    INFO(rel);
    auto actual = sha256_file_hex(shared_file(rel));
    REQUIRE(actual.ok());
    CHECK(*actual == digest);
  }
}

TEST_CASE("math-500 loads 500 rows with non-empty problem and answer", "[datasets][conformance]") {
  if (test::shared_data_dir().empty()) {
    test::skip("../shared/data is absent");
    return;
  }
  LoadOptions options;
  options.fields = {{"id", "unique_id"}};
  auto problems = load_dataset(shared_file("math500/test.jsonl"), options);
  REQUIRE(problems.ok());
  REQUIRE(problems->size() == 500);
  std::map<std::string, int> subjects;
  for (const Problem& problem : *problems) {
    CHECK_FALSE(trim(problem.problem).empty());
    CHECK_FALSE(trim(problem.answer).empty());
    CHECK(problem.id.rfind("test/", 0) == 0);
    CHECK(problem.meta["level"].is_number_integer());
    ++subjects[problem.meta["subject"].get<std::string>()];
  }
  CHECK(subjects["Algebra"] == 124);
  CHECK(subjects["Intermediate Algebra"] == 97);
  CHECK(subjects["Counting & Probability"] == 38);
}

TEST_CASE("math-500 loads through the registry mapping from a cache seeded by hand", "[datasets][conformance]") {
  if (test::shared_data_dir().empty()) {
    test::skip("../shared/data is absent");
    return;
  }
  test::TempDir dir;
  LoadOptions options;
  options.offline = true;
  options.cache_dir = seed_cache(dir, "math500", shared_file("math500/test.jsonl"));
  LoadReport report;
  auto problems = load_dataset("math500", options, &report);
  REQUIRE(problems.ok());
  CHECK(problems->size() == 500);
  CHECK(report.n_rows == 500);
  CHECK(problems->at(0).id == "test/precalculus/807.json");
  CHECK(problems->at(0).answer == "\\left( 3, \\frac{\\pi}{2} \\right)");
  CHECK(problems->at(0).meta.contains("solution"));
}

TEST_CASE("aime 2024 loads 30 rows with integer answers", "[datasets][conformance]") {
  if (test::shared_data_dir().empty()) {
    test::skip("../shared/data is absent");
    return;
  }
  auto problems = load_dataset(shared_file("aime24/test.jsonl"), {});
  REQUIRE(problems.ok());
  REQUIRE(problems->size() == 30);
  check_integer_answers(*problems);
  CHECK(problems->front().id == "60");
  CHECK(problems->back().id == "89");

  test::TempDir dir;
  LoadOptions options;
  options.offline = true;
  options.cache_dir = seed_cache(dir, "aime24", shared_file("aime24/test.jsonl"));
  auto via_registry = load_dataset("aime24", options);
  REQUIRE(via_registry.ok());
  CHECK(via_registry->size() == 30);
}

TEST_CASE("aime 2025 loads 30 rows whose answers match the published list", "[datasets][conformance]") {
  if (test::shared_data_dir().empty()) {
    test::skip("../shared/data is absent");
    return;
  }
  LoadOptions nemo;
  nemo.fields = {{"answer", "expected_answer"}};
  auto problems = load_dataset(shared_file("aime25/test.jsonl"), nemo);
  REQUIRE(problems.ok());
  REQUIRE(problems->size() == 30);
  check_integer_answers(*problems);

  LoadOptions qwq;
  qwq.fields = {{"id", ""}, {"problem", "prompt"}};
  auto qwq_problems = load_dataset(shared_file("aime25/qwq_aime25.jsonl"), qwq);
  REQUIRE(qwq_problems.ok());
  REQUIRE(qwq_problems->size() == 30);
  for (std::size_t i = 0; i < 30; ++i) {
    INFO("row " << i);
    CHECK(*parse_int(problems->at(i).answer) == kAime25Answers[i]);
    CHECK(qwq_problems->at(i).answer == std::to_string(kAime25Answers[i]));  // integers become strings
    CHECK(qwq_problems->at(i).id == std::to_string(i + 1));
  }
}

}  // namespace reval::datasets
