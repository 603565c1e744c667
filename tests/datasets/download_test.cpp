#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "common/sha256.h"
#include "common/strings.h"
#include "datasets/cache.h"
#include "datasets/download.h"
#include "datasets/load.h"
#include "datasets/registry.h"
#include "tests/datasets/fake_hf_server.h"
#include "tests/support/test_support.h"

namespace reval::datasets {
namespace {

namespace fs = std::filesystem;

// Three good rows, as served by the fake server.
const char* const kRows =
    "{\"id\": \"r1\", \"problem\": \"One?\", \"answer\": \"1\"}\n"
    "{\"id\": \"r2\", \"problem\": \"Two?\", \"answer\": \"2\"}\n"
    "{\"id\": \"r3\", \"problem\": \"Three?\", \"answer\": \"3\"}\n";

// A test fixture: a folder served by a fresh fake server, and an empty cache.
struct DownloadFixture {
  test::TempDir dir;
  std::string root = dir.file("served");
  std::string cache = dir.file("cache");
  std::string log = dir.file("requests.log");

  DownloadFixture() { fs::create_directories(root + "/org/set"); }

  void serve(const std::string& rel, const std::string& contents) {
    fs::create_directories(fs::path(root + "/org/set/" + rel).parent_path());
    test::write_text_file(root + "/org/set/" + rel, contents);
  }

  FetchOptions options(const test::FakeHfServer& server) const {
    FetchOptions fetch;
    fetch.cache_dir = cache;
    fetch.hf_endpoint = server.url();
    fetch.rows_endpoint = server.url();
    fetch.progress_out = nullptr;
    fetch.http.retry_delay_s = 0.01;
    return fetch;
  }

  std::string requests() const {
    std::error_code ec;
    return fs::exists(log, ec) ? test::read_text_file(log) : "";
  }

  // Every file under the cache (data, checksum records, temp files), relative to it.
  std::vector<std::string> cache_files() const {
    std::vector<std::string> files;
    std::error_code ec;
    if (!fs::exists(cache, ec)) return files;
    for (const auto& entry : fs::recursive_directory_iterator(cache)) {
      if (entry.is_regular_file()) files.push_back(fs::relative(entry.path(), cache).string());
    }
    return files;
  }
};

DatasetSpec make_spec(const std::string& source_json, const std::string& fields = R"({"problem": "problem"})") {
  const std::string text = R"({"format": 1, "datasets": [{"id": "testset", "description": "d", "license": "l",
      "fields": )" + fields + R"(, "source": )" + source_json + "}]}";
  auto registry = Registry::parse(text, "test registry");
  REQUIRE(registry.ok());
  return registry->datasets().at(0);
}

std::string file_source(const std::string& path, const std::string& extra = "") {
  return R"({"kind": "hf_file", "repo": "org/set", "parts": [{"path": ")" + path + "\"" + extra + "}]}";
}

}  // namespace

TEST_CASE("a file download lands in the cache with its checksum and is reused", "[datasets][download]") {
  DownloadFixture fx;
  fx.serve("data/test.jsonl", kRows);
  test::FakeHfServer server(fx.root, fx.log);
  REQUIRE(server.started());
  const DatasetSpec spec =
      make_spec(file_source("data/test.jsonl", R"(, "rows": 3, "sha256": ")" + sha256_hex(kRows) + "\""));

  // A temp file left by an interrupted fetch of a process that no longer exists is cleaned up.
  const std::string stale = fx.cache + "/datasets/testset/data--test.jsonl.tmp-4194304";
  fs::create_directories(fx.cache + "/datasets/testset");
  test::write_text_file(stale, "{\"id\": \"half");

  FetchReport report;
  Status status = fetch_dataset(spec, fx.options(server), &report);
  REQUIRE(status.ok());
  CHECK_FALSE(fs::exists(stale));
  REQUIRE(report.parts.size() == 1);
  CHECK(report.parts[0].downloaded);
  CHECK(report.parts[0].checksum_pinned);
  CHECK(report.parts[0].n_rows == 3);
  CHECK(report.parts[0].url == server.url() + "/datasets/org/set/resolve/main/data/test.jsonl");
  const std::string cached = fx.cache + "/datasets/testset/data--test.jsonl";
  CHECK(test::read_text_file(cached) == kRows);
  auto recorded = read_recorded_checksum(cached);
  REQUIRE(recorded.ok());
  CHECK(*recorded == sha256_hex(kRows));

  FetchReport again;
  REQUIRE(fetch_dataset(spec, fx.options(server), &again).ok());
  CHECK_FALSE(again.parts.at(0).downloaded);
  CHECK(contains(fx.requests(), "data/test.jsonl"));
  CHECK(split(trim(fx.requests()), '\n').size() == 1);  // the second fetch did not download

  LoadOptions load;
  load.cache_dir = fx.cache;
  load.offline = true;
  // load_dataset goes through the default registry, so check the cached file through the loader instead.
  auto problems = load_dataset(cached, load);
  REQUIRE(problems.ok());
  CHECK(problems->size() == 3);
}

TEST_CASE("a checksum mismatch deletes the download and says expected and got", "[datasets][download]") {
  DownloadFixture fx;
  fx.serve("test.jsonl", kRows);
  test::FakeHfServer server(fx.root, fx.log);
  REQUIRE(server.started());
  const std::string wrong(64, '0');
  const DatasetSpec spec = make_spec(file_source("test.jsonl", R"(, "sha256": ")" + wrong + "\""));
  Status status = fetch_dataset(spec, fx.options(server));
  REQUIRE_FALSE(status.ok());
  CHECK(status.code() == StatusCode::kInvalidInput);
  CHECK(contains(status.message(), "checksum mismatch for " + server.url()));
  CHECK(contains(status.message(), "expected sha256 " + wrong + ", got " + sha256_hex(kRows)));
  CHECK(fx.cache_files().empty());
}

TEST_CASE("an http 404 names the url and the status and leaves nothing in the cache", "[datasets][download]") {
  DownloadFixture fx;
  test::FakeHfServer server(fx.root, fx.log);
  REQUIRE(server.started());
  const DatasetSpec spec = make_spec(file_source("missing.jsonl"));
  Status status = fetch_dataset(spec, fx.options(server));
  REQUIRE_FALSE(status.ok());
  CHECK(status.code() == StatusCode::kNetwork);
  CHECK(contains(status.message(),
                 "GET " + server.url() + "/datasets/org/set/resolve/main/missing.jsonl: HTTP 404 (Not Found): Entry not found"));
  CHECK(fx.cache_files().empty());
}

TEST_CASE("a server killed mid-transfer leaves nothing corrupt in the cache", "[datasets][download]") {
  DownloadFixture fx;
  std::string big;
  for (int i = 0; i < 2000; ++i) {
    big += "{\"id\": \"r" + std::to_string(i) + "\", \"problem\": \"Row " + std::to_string(i) + "\", \"answer\": \"1\"}\n";
  }
  fx.serve("die-midway.jsonl", big);
  test::FakeHfServer server(fx.root, fx.log);
  REQUIRE(server.started());
  const DatasetSpec spec = make_spec(file_source("die-midway.jsonl"));
  Status status = fetch_dataset(spec, fx.options(server));
  REQUIRE_FALSE(status.ok());
  CHECK(status.code() == StatusCode::kNetwork);
  CHECK(contains(status.message(), "die-midway.jsonl"));
  CHECK(contains(status.message(), "closed before the whole response arrived"));
  CHECK(server.wait_for_exit(10));  // the server process really died mid-transfer
  CHECK(fx.cache_files().empty());
}

TEST_CASE("a server that answers 503 once is retried", "[datasets][download]") {
  DownloadFixture fx;
  fx.serve("flaky.jsonl", kRows);
  test::FakeHfServer server(fx.root, fx.log);
  REQUIRE(server.started());
  REQUIRE(fetch_dataset(make_spec(file_source("flaky.jsonl")), fx.options(server)).ok());
  CHECK(split(trim(fx.requests()), '\n').size() == 2);
}

TEST_CASE("a file whose row count differs from the registry is rejected", "[datasets][download]") {
  DownloadFixture fx;
  fx.serve("test.jsonl", kRows);
  test::FakeHfServer server(fx.root, fx.log);
  REQUIRE(server.started());
  Status status = fetch_dataset(make_spec(file_source("test.jsonl", R"(, "rows": 4)")), fx.options(server));
  REQUIRE_FALSE(status.ok());
  CHECK(contains(status.message(), "expected 4 rows, got 3"));
  CHECK(fx.cache_files().empty());
}

TEST_CASE("a download whose rows do not parse with the field mapping is rejected", "[datasets][download]") {
  DownloadFixture fx;
  fx.serve("test.jsonl", kRows);
  test::FakeHfServer server(fx.root, fx.log);
  REQUIRE(server.started());
  Status status = fetch_dataset(make_spec(file_source("test.jsonl"), R"({"problem": "question"})"), fx.options(server));
  REQUIRE_FALSE(status.ok());
  CHECK(contains(status.message(), "missing field \"question\""));
  CHECK(fx.cache_files().empty());
}

TEST_CASE("the rows api is paged and written to the cache as jsonl", "[datasets][download]") {
  DownloadFixture fx;
  std::string rows;
  for (int i = 0; i < 250; ++i) {
    rows += "{\"instance_id\": \"i" + std::to_string(i) + "\", \"problem_statement\": \"Fix bug " + std::to_string(i) +
            "\", \"repo\": \"org/repo\"}\n";
  }
  fx.serve("default-test.rows.jsonl", rows);
  test::FakeHfServer server(fx.root, fx.log);
  REQUIRE(server.started());
  const DatasetSpec spec = make_spec(
      R"({"kind": "hf_rows", "repo": "org/set", "parts": [{"config": "default", "split": "test", "rows": 250}]})",
      R"({"id": "instance_id", "problem": "problem_statement", "answer": null})");
  FetchReport report;
  Status status = fetch_dataset(spec, fx.options(server), &report);
  REQUIRE(status.ok());
  CHECK(report.parts.at(0).n_rows == 250);
  const std::string log = fx.requests();
  CHECK(contains(log, "/rows?dataset=org%2Fset&config=default&split=test&offset=0&length=100"));
  CHECK(contains(log, "offset=100&length=100"));
  CHECK(contains(log, "offset=200&length=100"));
  CHECK(split(trim(log), '\n').size() == 3);
  const std::string cached = fx.cache + "/datasets/testset/default-test.jsonl";
  const std::string text = test::read_text_file(cached);
  CHECK(split(trim(text), '\n').size() == 250);
  CHECK(text.rfind("{\"instance_id\":\"i0\",\"problem_statement\":\"Fix bug 0\",\"repo\":\"org/repo\"}\n", 0) == 0);
}

TEST_CASE("a truncated cell from the rows api is an error", "[datasets][download]") {
  DownloadFixture fx;
  fx.serve("default-test.rows.jsonl", "{\"problem\": \"cut\", \"__truncate__\": true}\n");
  test::FakeHfServer server(fx.root, fx.log);
  REQUIRE(server.started());
  const DatasetSpec spec =
      make_spec(R"({"kind": "hf_rows", "repo": "org/set", "parts": [{"config": "default", "split": "test"}]})");
  Status status = fetch_dataset(spec, fx.options(server));
  REQUIRE_FALSE(status.ok());
  CHECK(contains(status.message(), "truncated cells [\"problem\"]"));
  CHECK(contains(fx.requests(), "length=1\n"));  // it tried a page of one row first
  CHECK(fx.cache_files().empty());
}

TEST_CASE("a rows api page with a cut cell is fetched again in smaller pages", "[datasets][download]") {
  DownloadFixture fx;
  fx.serve("default-test.rows.jsonl",
           "{\"problem\": \"a\"}\n{\"problem\": \"b\", \"__big__\": true}\n{\"problem\": \"c\"}\n{\"problem\": \"d\"}\n");
  test::FakeHfServer server(fx.root, fx.log);
  REQUIRE(server.started());
  const DatasetSpec spec = make_spec(
      R"({"kind": "hf_rows", "repo": "org/set", "page_size": 4, "parts": [{"config": "default", "split": "test", "rows": 4}]})",
      R"({"id": null, "problem": "problem"})");
  FetchReport report;
  REQUIRE(fetch_dataset(spec, fx.options(server), &report).ok());
  CHECK(report.parts.at(0).n_rows == 4);
  CHECK(test::read_text_file(fx.cache + "/datasets/testset/default-test.jsonl") ==
        "{\"problem\":\"a\"}\n{\"problem\":\"b\"}\n{\"problem\":\"c\"}\n{\"problem\":\"d\"}\n");
  CHECK(contains(fx.requests(), "offset=0&length=4"));
  CHECK(contains(fx.requests(), "offset=1&length=1"));
}

TEST_CASE("offline fetching never touches the network", "[datasets][download]") {
  DownloadFixture fx;
  fx.serve("test.jsonl", kRows);
  test::FakeHfServer server(fx.root, fx.log);
  REQUIRE(server.started());
  const DatasetSpec spec = make_spec(file_source("test.jsonl"));
  FetchOptions offline = fx.options(server);
  offline.offline = true;
  Status missing = fetch_dataset(spec, offline);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.code() == StatusCode::kNotFound);
  CHECK(contains(missing.message(), "--offline"));
  CHECK(fx.requests().empty());

  REQUIRE(fetch_dataset(spec, fx.options(server)).ok());
  FetchReport report;
  REQUIRE(fetch_dataset(spec, offline, &report).ok());
  CHECK_FALSE(report.parts.at(0).downloaded);
  CHECK(split(trim(fx.requests()), '\n').size() == 1);
}

TEST_CASE("a cached file changed after download is a mismatch and is downloaded again", "[datasets][download]") {
  DownloadFixture fx;
  fx.serve("test.jsonl", kRows);
  test::FakeHfServer server(fx.root, fx.log);
  REQUIRE(server.started());
  const DatasetSpec spec = make_spec(file_source("test.jsonl"));
  REQUIRE(fetch_dataset(spec, fx.options(server)).ok());
  const std::string cached = part_cache_path(fx.cache, spec, spec.source.parts[0]);
  test::write_text_file(cached, std::string(kRows) + "{\"id\": \"extra\", \"problem\": \"x\", \"answer\": \"y\"}\n");

  auto check = check_cached_part(fx.cache, spec, spec.source.parts[0]);
  REQUIRE(check.ok());
  CHECK(check->state == CacheState::kMismatch);
  CHECK(check->expected == sha256_hex(kRows));
  CHECK(check->expected_from == "fetch record");

  FetchOptions offline = fx.options(server);
  offline.offline = true;
  Status stale = fetch_dataset(spec, offline);
  REQUIRE_FALSE(stale.ok());
  CHECK(contains(stale.message(), "expected " + sha256_hex(kRows)));

  REQUIRE(fetch_dataset(spec, fx.options(server)).ok());
  CHECK(test::read_text_file(cached) == kRows);
}

TEST_CASE("a file placed in the cache by hand is checked and its checksum recorded", "[datasets][download]") {
  DownloadFixture fx;
  const DatasetSpec spec = make_spec(file_source("test.jsonl", R"(, "rows": 3)"));
  const std::string cached = part_cache_path(fx.cache, spec, spec.source.parts[0]);
  fs::create_directories(fs::path(cached).parent_path());
  test::write_text_file(cached, kRows);
  FetchOptions offline;
  offline.cache_dir = fx.cache;
  offline.offline = true;
  offline.progress_out = nullptr;
  REQUIRE(fetch_dataset(spec, offline).ok());
  auto recorded = read_recorded_checksum(cached);
  REQUIRE(recorded.ok());
  CHECK(*recorded == sha256_hex(kRows));
}

}  // namespace reval::datasets

namespace reval::datasets {

TEST_CASE("a bad file placed in the cache is an error offline and replaced online", "[datasets][download]") {
  DownloadFixture fx;
  fx.serve("test.jsonl", kRows);
  test::FakeHfServer server(fx.root, fx.log);
  REQUIRE(server.started());
  const DatasetSpec spec = make_spec(file_source("test.jsonl", R"(, "rows": 3)"));
  const std::string cached = part_cache_path(fx.cache, spec, spec.source.parts[0]);
  fs::create_directories(fs::path(cached).parent_path());
  test::write_text_file(cached, "{\"id\": \"only\", \"problem\": \"one row\", \"answer\": \"1\"}\n");

  FetchOptions offline = fx.options(server);
  offline.offline = true;
  Status status = fetch_dataset(spec, offline);
  REQUIRE_FALSE(status.ok());
  CHECK(contains(status.message(), "expected 3 rows, got 1"));
  CHECK(fx.requests().empty());

  FetchReport report;
  REQUIRE(fetch_dataset(spec, fx.options(server), &report).ok());
  CHECK(report.parts.at(0).downloaded);
  CHECK(test::read_text_file(cached) == kRows);
}

}  // namespace reval::datasets
