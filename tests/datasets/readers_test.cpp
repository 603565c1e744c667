#include <catch2/catch.hpp>

#include <string>

#include "common/files.h"
#include "common/strings.h"
#include "datasets/field_mapping.h"
#include "datasets/gzip.h"
#include "datasets/load.h"
#include "datasets/readers.h"
#include "tests/support/test_support.h"

namespace reval::datasets {
namespace {

std::string fixture(const std::string& name) { return test::source_dir() + "/tests/data/datasets/" + name; }

Result<std::vector<Problem>> load_fixture(const std::string& name, LoadOptions options = {},
                                          LoadReport* report = nullptr) {
  return load_dataset(fixture(name), options, report);
}

void check_good_rows(const std::vector<Problem>& problems) {
  REQUIRE(problems.size() == 3);
  CHECK(problems[0].id == "1");
  CHECK(problems[0].problem == "What is $1+1$?");
  CHECK(problems[0].answer == "2");
  CHECK(problems[0].meta["subject"] == "Arithmetic");
  CHECK(problems[0].meta["level"] == 1);
  CHECK_FALSE(problems[0].meta.contains("id"));
  CHECK(problems[1].id == "two");
  CHECK(problems[1].answer == "\\frac{2}{3}");
  CHECK(problems[2].answer == "0.5");
  CHECK(problems[2].meta["tags"] == nlohmann::json::array({"easy"}));
}

}  // namespace

TEST_CASE("jsonl, json array and gzipped jsonl files load to the same problems", "[datasets][loaders]") {
  for (const char* name : {"good.jsonl", "good.json", "good.jsonl.gz"}) {
    INFO(name);
    LoadReport report;
    auto problems = load_fixture(name, {}, &report);
    REQUIRE(problems.ok());
    check_good_rows(*problems);
    CHECK(report.n_rows == 3);
    CHECK(report.source == fixture(name));
  }
}

TEST_CASE("windows line endings and a byte order mark are accepted", "[datasets][loaders]") {
  auto crlf = load_fixture("crlf.jsonl");
  REQUIRE(crlf.ok());
  CHECK(crlf->at(0).id == "1");
  std::vector<Problem> out;
  ParseOptions options;
  options.label = "bom.jsonl";
  REQUIRE(parse_problems("\xEF\xBB\xBF{\"id\":\"x\",\"problem\":\"p\",\"answer\":\"a\"}\n", options, &out, nullptr).ok());
  CHECK(out.at(0).id == "x");
}

TEST_CASE("a malformed jsonl line is an error naming the file and the line", "[datasets][loaders]") {
  auto result = load_fixture("malformed.jsonl");
  REQUIRE_FALSE(result.ok());
  CHECK(result.status().code() == StatusCode::kInvalidInput);
  CHECK(result.status().message().find("malformed.jsonl:3: malformed JSON") != std::string::npos);
}

TEST_CASE("skip_bad_rows skips malformed lines and counts them", "[datasets][loaders]") {
  LoadOptions options;
  options.skip_bad_rows = true;
  LoadReport report;
  auto result = load_fixture("malformed.jsonl", options, &report);
  REQUIRE(result.ok());
  CHECK(result->size() == 3);
  CHECK(result->at(2).id == "d");
  CHECK(report.n_rows == 3);
  CHECK(report.n_skipped == 1);
  CHECK(report.first_skip_reason.find("malformed.jsonl:3") != std::string::npos);
}

TEST_CASE("a missing field names the field, the line and the fields the row has", "[datasets][loaders]") {
  auto result = load_fixture("missing_field.jsonl");
  REQUIRE_FALSE(result.ok());
  const std::string& message = result.status().message();
  CHECK(message.find("missing_field.jsonl:2") != std::string::npos);
  CHECK(message.find("missing field \"answer\"") != std::string::npos);
  CHECK(message.find("final") != std::string::npos);
}

TEST_CASE("a missing field in a json array names the row number", "[datasets][loaders]") {
  std::vector<Problem> out;
  ParseOptions options;
  options.label = "rows.json";
  Status status = parse_problems(R"([{"id":1,"problem":"p","answer":"a"},{"id":2,"problem":"q"}])", options, &out, nullptr);
  REQUIRE_FALSE(status.ok());
  CHECK(status.message().find("rows.json: row 2: missing field \"answer\"") != std::string::npos);
}

TEST_CASE("field overrides map other field names and integer values become strings", "[datasets][loaders]") {
  LoadOptions options;
  auto overrides = parse_field_overrides("id=qid, problem=question,answer=final");
  REQUIRE(overrides.ok());
  options.fields = *overrides;
  auto result = load_fixture("renamed_fields.jsonl", options);
  REQUIRE(result.ok());
  REQUIRE(result->size() == 2);
  CHECK(result->at(0).id == "101");
  CHECK(result->at(0).answer == "1024");
  CHECK(result->at(1).problem == "What is $\\sqrt{49}$?");
  CHECK(result->at(1).meta == nlohmann::json({{"source", "made up"}}));
}

TEST_CASE("an empty id mapping numbers the rows", "[datasets][loaders]") {
  LoadOptions options;
  options.fields = {{"id", ""}, {"problem", "question"}, {"answer", "final"}};
  auto result = load_fixture("renamed_fields.jsonl", options);
  REQUIRE(result.ok());
  CHECK(result->at(0).id == "1");
  CHECK(result->at(1).id == "2");
  CHECK(result->at(0).meta.contains("qid"));
}

TEST_CASE("duplicate ids are an error naming both places", "[datasets][loaders]") {
  auto result = load_fixture("duplicate_ids.jsonl");
  REQUIRE_FALSE(result.ok());
  CHECK(result.status().message().find("duplicate_ids.jsonl:3: duplicate id \"a\" (first seen at") != std::string::npos);
  CHECK(result.status().message().find("duplicate_ids.jsonl:1") != std::string::npos);
}

TEST_CASE("field override syntax errors are usage errors with hints", "[datasets][fields]") {
  CHECK(parse_field_overrides("problem").status().code() == StatusCode::kUsage);
  auto typo = parse_field_overrides("problme=question");
  REQUIRE_FALSE(typo.ok());
  CHECK(typo.status().message().find("did you mean \"problem\"") != std::string::npos);
  CHECK_FALSE(parse_field_overrides("answer=a,answer=b").ok());
  CHECK_FALSE(parse_field_overrides("problem=").ok());
  auto empty = parse_field_overrides("");
  REQUIRE(empty.ok());
  CHECK(empty->empty());
}

TEST_CASE("row values of the wrong type or null are reported by field", "[datasets][fields]") {
  FieldMapping mapping;
  auto boolean = row_to_problem(nlohmann::json::parse(R"({"id":"a","problem":"p","answer":true})"), mapping, "");
  REQUIRE_FALSE(boolean.ok());
  CHECK(boolean.status().message() == "field \"answer\" is boolean; expected a string or a number");
  auto null_answer = row_to_problem(nlohmann::json::parse(R"({"id":"a","problem":"p","answer":null})"), mapping, "");
  REQUIRE_FALSE(null_answer.ok());
  CHECK(null_answer.status().message() == "field \"answer\" is null");
  auto empty_problem = row_to_problem(nlohmann::json::parse(R"({"id":"a","problem":"  ","answer":"1"})"), mapping, "");
  CHECK_FALSE(empty_problem.ok());
  auto not_object = row_to_problem(nlohmann::json::parse("[1,2]"), mapping, "");
  REQUIRE_FALSE(not_object.ok());
  CHECK(not_object.status().message() == "row is array, expected a JSON object");
  auto big = row_to_problem(nlohmann::json::parse(R"({"id":18446744073709551615,"problem":"p","answer":-7})"), mapping, "");
  REQUIRE(big.ok());
  CHECK(big->id == "18446744073709551615");
  CHECK(big->answer == "-7");
}

TEST_CASE("a json file that is not an array of rows is rejected", "[datasets][loaders]") {
  std::vector<Problem> out;
  ParseOptions options;
  options.label = "x.json";
  CHECK_FALSE(parse_problems("[1, 2", options, &out, nullptr).ok());
  Status scalar_rows = parse_problems("[1, 2]", options, &out, nullptr);
  REQUIRE_FALSE(scalar_rows.ok());
  CHECK(scalar_rows.message() == "x.json: row 1: row is number, expected a JSON object");
}

TEST_CASE("truncated or corrupt gzip data is an error, concatenated members are joined", "[datasets][gzip]") {
  auto compressed = read_file(fixture("good.jsonl.gz"));
  REQUIRE(compressed.ok());
  auto plain = read_file(fixture("good.jsonl"));
  REQUIRE(plain.ok());
  REQUIRE(looks_gzipped(*compressed));
  auto whole = gunzip(*compressed, "good.jsonl.gz");
  REQUIRE(whole.ok());
  CHECK(*whole == *plain);

  auto truncated = gunzip(compressed->substr(0, compressed->size() / 2), "cut.gz");
  REQUIRE_FALSE(truncated.ok());
  CHECK(truncated.status().message().find("cut.gz: truncated gzip data") != std::string::npos);

  std::string corrupt = *compressed;
  for (std::size_t i = 12; i < 40 && i < corrupt.size(); ++i) corrupt[i] = static_cast<char>(corrupt[i] ^ 0x5a);
  auto bad = gunzip(corrupt, "bad.gz");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message().find("bad.gz:") == 0);

  auto twice = gunzip(*compressed + *compressed, "two.gz");
  REQUIRE(twice.ok());
  CHECK(*twice == *plain + *plain);

  auto limited = gunzip(*compressed, "big.gz", 10);
  REQUIRE_FALSE(limited.ok());
  CHECK(limited.status().code() == StatusCode::kResourceExhausted);
}

TEST_CASE("an empty dataset file or one whose rows are all bad is an error", "[datasets][loaders]") {
  test::TempDir dir;
  test::write_text_file(dir.file("empty.jsonl"), "\n\n");
  auto empty = load_dataset(dir.file("empty.jsonl"), {});
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.status().message() == dir.file("empty.jsonl") + ": no rows");
  test::write_text_file(dir.file("bad.jsonl"), "{oops\n");
  LoadOptions skip;
  skip.skip_bad_rows = true;
  auto all_bad = load_dataset(dir.file("bad.jsonl"), skip);
  REQUIRE_FALSE(all_bad.ok());
  CHECK(contains(all_bad.status().message(), "every row was bad (1 skipped; first: "));
}

TEST_CASE("a path that does not exist is a not-found error naming it", "[datasets][loaders]") {
  auto result = load_dataset("no/such/file.jsonl", {});
  REQUIRE_FALSE(result.ok());
  CHECK(result.status().code() == StatusCode::kNotFound);
  CHECK(result.status().message().find("no/such/file.jsonl") != std::string::npos);
}

}  // namespace reval::datasets
