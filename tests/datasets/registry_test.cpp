#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "common/strings.h"
#include "datasets/download.h"
#include "datasets/load.h"
#include "datasets/registry.h"
#include "tests/support/test_support.h"

namespace reval::datasets {
namespace {

Registry builtin_registry() {
  auto registry = Registry::load_default();
  REQUIRE(registry.ok());
  return std::move(registry).value();
}

std::string one_dataset(const std::string& dataset_json) {
  return R"({"format": 1, "datasets": [)" + dataset_json + "]}";
}

}  // namespace

TEST_CASE("the built-in registry names the benchmark and sample datasets", "[datasets][registry]") {
  const Registry registry = builtin_registry();
  const std::vector<std::string> id_list = registry.ids();
  const std::set<std::string> ids(id_list.begin(), id_list.end());
  for (const char* id : {"aime24", "aime25", "math500", "swe-verified", "math-sample", "aime-sample"}) {
    INFO(id);
    CHECK(ids.count(id) == 1);
  }
  for (const DatasetSpec& spec : registry.datasets()) {
    INFO(spec.id);
    CHECK_FALSE(spec.description.empty());
    CHECK_FALSE(spec.license.empty());
    CHECK(spec.expected_rows() > 0);
    if (spec.source.kind != SourceKind::kBundled) CHECK(spec.source.repo.find('/') != std::string::npos);
  }
  CHECK(registry.find("math500")->source.parts.at(0).path == "test.jsonl");
  CHECK(registry.find("swe-verified")->fields.answer.empty());
}

TEST_CASE("registry urls follow the hugging face file and rows api shapes", "[datasets][registry]") {
  const Registry registry = builtin_registry();
  const DatasetSpec& math = *registry.find("math500");
  CHECK(hf_file_url("https://huggingface.co", math.source, math.source.parts[0]) ==
        "https://huggingface.co/datasets/HuggingFaceH4/MATH-500/resolve/main/test.jsonl");
  const DatasetSpec& swe = *registry.find("swe-verified");
  CHECK(hf_rows_url("https://datasets-server.huggingface.co", swe.source, swe.source.parts[0], 40, 20) ==
        "https://datasets-server.huggingface.co/rows?dataset=princeton-nlp%2FSWE-bench_Verified&config=default"
        "&split=test&offset=40&length=20");
  CHECK(swe.source.parts[0].cache_file_name() == "default-test.jsonl");
}

TEST_CASE("the bundled samples load with the registry's row counts and unique ids", "[datasets][registry][samples]") {
  const Registry registry = builtin_registry();
  for (const char* id : {"math-sample", "aime-sample"}) {
    INFO(id);
    LoadReport report;
    auto problems = load_dataset(id, {}, &report);
    REQUIRE(problems.ok());
    CHECK(static_cast<std::int64_t>(problems->size()) == registry.find(id)->expected_rows());
    std::set<std::string> ids;
    for (const Problem& problem : *problems) {
      CHECK_FALSE(problem.problem.empty());
      CHECK_FALSE(problem.answer.empty());
      CHECK(problem.meta.contains("subject"));
      ids.insert(problem.id);
    }
    CHECK(ids.size() == problems->size());
  }
}

TEST_CASE("aime-sample answers are integers from 0 to 999", "[datasets][samples]") {
  auto problems = load_dataset("aime-sample", {});
  REQUIRE(problems.ok());
  REQUIRE(problems->size() == 10);
  for (const Problem& problem : *problems) {
    auto value = parse_int(problem.answer);
    INFO(problem.id << " answer " << problem.answer);
    REQUIRE(value.has_value());
    CHECK(*value >= 0);
    CHECK(*value <= 999);
  }
}

TEST_CASE("math-sample covers the hard answer forms", "[datasets][samples]") {
  auto problems = load_dataset("math-sample", {});
  REQUIRE(problems.ok());
  std::string answers;
  for (const Problem& problem : *problems) answers += problem.answer + "\n";
  for (const char* form : {"\\frac", "\\sqrt", "\\pi", "\\infty", "\\cup", "pmatrix", "\\text{", "^\\circ", "(3, 2)",
                           "\\$", "_6", "i\n", "y = "}) {
    INFO(form);
    CHECK(answers.find(form) != std::string::npos);
  }
}

TEST_CASE("an unknown dataset name gives a did-you-mean and the known ids", "[datasets][registry]") {
  auto result = load_dataset("math5000", {});
  REQUIRE_FALSE(result.ok());
  CHECK(result.status().code() == StatusCode::kNotFound);
  CHECK(result.status().message().find("did you mean 'math500'?") != std::string::npos);
  CHECK(result.status().message().find("known datasets: ") != std::string::npos);
}

TEST_CASE("registry validation names the dataset and the bad key", "[datasets][registry]") {
  const std::string good_source = R"("source": {"kind": "hf_file", "repo": "a/b", "parts": [{"path": "x.jsonl"}]})";
  auto ok = Registry::parse(
      one_dataset(R"({"id": "x", "description": "d", "license": "l", "fields": {"problem": "q"}, )" + good_source + "}"), "r.json");
  REQUIRE(ok.ok());
  CHECK(ok->find("x")->fields.id.empty());

  auto typo = Registry::parse(
      one_dataset(R"({"id": "x", "description": "d", "license": "l", "feilds": {}, )" + good_source + "}"), "r.json");
  REQUIRE_FALSE(typo.ok());
  CHECK(typo.status().message() ==
        "r.json: datasets[0] (x): unknown key \"feilds\" (did you mean \"fields\"?)");

  auto bad_sha = Registry::parse(one_dataset(
      R"({"id": "x", "description": "d", "license": "l", "fields": {"problem": "q"},
          "source": {"kind": "hf_file", "repo": "a/b", "parts": [{"path": "x.jsonl", "sha256": "abc"}]}})"), "r.json");
  REQUIRE_FALSE(bad_sha.ok());
  CHECK(bad_sha.status().message().find("parts[0]: \"sha256\" must be 64 hex digits") != std::string::npos);

  auto bad_kind = Registry::parse(one_dataset(
      R"({"id": "x", "description": "d", "license": "l", "fields": {"problem": "q"},
          "source": {"kind": "ftp", "repo": "a/b", "parts": [{"path": "x"}]}})"), "r.json");
  REQUIRE_FALSE(bad_kind.ok());
  CHECK(bad_kind.status().message().find("unknown source kind \"ftp\"") != std::string::npos);

  auto escape = Registry::parse(one_dataset(
      R"({"id": "x", "description": "d", "license": "l", "fields": {"problem": "q"},
          "source": {"kind": "hf_file", "repo": "a/b", "parts": [{"path": "../../etc/passwd"}]}})"), "r.json");
  CHECK_FALSE(escape.ok());

  auto no_split = Registry::parse(one_dataset(
      R"({"id": "x", "description": "d", "license": "l", "fields": {"problem": "q"},
          "source": {"kind": "hf_rows", "repo": "a/b", "parts": [{"config": "default"}]}})"), "r.json");
  REQUIRE_FALSE(no_split.ok());
  CHECK(no_split.status().message().find("missing \"split\"") != std::string::npos);

  auto twice = Registry::parse(R"({"format": 1, "datasets": [)" +
                                   std::string(R"({"id": "x", "description": "d", "license": "l", "fields": {"problem": "q"}, )") +
                                   good_source + "}, " +
                                   R"({"id": "x", "description": "d", "license": "l", "fields": {"problem": "q"}, )" +
                                   good_source + "}]}",
                               "r.json");
  REQUIRE_FALSE(twice.ok());
  CHECK(twice.status().message() == "r.json: dataset id \"x\" appears twice");

  CHECK_FALSE(Registry::parse("{not json", "r.json").ok());
  CHECK_FALSE(Registry::parse(R"({"format": "1", "datasets": []})", "r.json").ok());
}

}  // namespace reval::datasets
