// `reval run`, `reval grade`, `reval compare` driven end to end against the scripted server.
#include <signal.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <thread>

#include "harness/sample_record.h"
#include "tests/harness/scripted_server.h"
#include "tests/support/test_support.h"

namespace reval {
namespace {

using nlohmann::json;
using test::run_reval;

// A dataset of `n` problems "Problem pN" with answers 10+N, and a suite running it with the integer grader.
std::string write_suite(const test::TempDir& dir, int n_problems, int n_samples) {
  std::string rows;
  for (int i = 1; i <= n_problems; ++i) {
    rows += json{{"id", "p" + std::to_string(i)}, {"problem", "Problem p" + std::to_string(i) + "."},
                 {"answer", std::to_string(10 + i)}}
                .dump() +
            "\n";
  }
  test::write_text_file(dir.file("problems.jsonl"), rows);
  const json suite = {{"name", "scripted"},
                      {"dataset", "./problems.jsonl"},
                      {"grader", "integer"},
                      {"prompt", {{"system", nullptr}, {"user", "{problem}\nPut the answer in \\boxed{}."}}},
                      {"sampling", {{"temperature", 0.6}, {"top_p", 0.95}, {"max_tokens", 1000}, {"samples", n_samples}}},
                      {"metrics", {"pass@1", "cons@" + std::to_string(n_samples), "pass@" + std::to_string(n_samples)}}};
  test::write_text_file(dir.file("suite.json"), suite.dump(2));
  return dir.file("suite.json");
}

json answer(int problem, bool correct = true) {
  return {{"answer", std::to_string(correct ? 10 + problem : 999)}, {"echo_seed", true}, {"reasoning", "thinking"}};
}

std::vector<std::string> run_args(const std::string& suite, const test::ScriptedServer& server, const std::string& out) {
  return {"run", "--suite", suite, "--api", server.base_url(), "--model", "scripted-model", "--out", out,
          "--concurrency", "8", "--timeout", "2", "--max-retries", "4"};
}

std::vector<std::string> with(std::vector<std::string> args, std::initializer_list<std::string> more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

json read_json(const std::string& path) { return json::parse(test::read_text_file(path)); }

std::set<std::string> sample_keys(const std::string& run) {
  std::set<std::string> keys;
  const auto samples = harness::read_samples(run + "/samples.jsonl");
  REQUIRE(samples.ok());
  for (const auto& c : samples->samples) {
    keys.insert(c.problem_id + "#" + std::to_string(c.sample) + " " + std::to_string(c.seed) + " " + c.text + " " +
                c.request_hash);
  }
  return keys;
}

std::size_t count_lines(const std::string& path) {
  const std::string text = test::read_text_file(path);
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

}  // namespace

TEST_CASE("reval run stores every sample once and scores what the script implies", "[harness][run][integration]") {
  test::TempDir dir;
  const std::string suite = write_suite(dir, 6, 3);
  const json script = {
      {"require_key", "sk-secret-4242"},
      {"rules", json::array({
                    {{"match", "p1."}, {"responses", {answer(1)}}},
                    {{"match", "p2."}, {"responses", {answer(2, false)}}},
                    {{"match", "p3."}, {"responses", {{{"status", 429}, {"retry_after", 1}}, answer(3)}}},
                    {{"match", "p4."}, {"responses", {{{"status", 500}}, {{"malformed", true}}, answer(4)}}},
                    {{"match", "p5."}, {"responses", {{{"reset", true}}, {{"stall", 4}}, answer(5)}}},
                    {{"match", "p6."}, {"responses", {answer(6, false), answer(6)}}},  // never retried: wrong stays
                })}};
  test::ScriptedServer server(dir.path(), script);
  const std::string out = dir.file("run");
  const auto result = run_reval(with(run_args(suite, server, out), {"--api-key-env", "TEST_KEY"}), "",
                                {"TEST_KEY=sk-secret-4242"});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  CHECK(result.out.find("pass@1") != std::string::npos);

  CHECK(count_lines(out + "/samples.jsonl") == 18);
  const auto samples = harness::read_samples(out + "/samples.jsonl");
  REQUIRE(samples.ok());
  CHECK(samples->samples.size() == 18);
  CHECK(samples->n_superseded == 0);
  for (const auto& c : samples->samples) CHECK(c.finish_reason == "stop");
  CHECK(count_lines(out + "/grades.jsonl") == 18);

  const json summary = read_json(out + "/summary.json");
  CHECK(summary["n_problems"] == 6);
  CHECK(summary["n_samples"] == 18);
  CHECK(summary["errors"] == 0);
  CHECK(summary["metrics"]["pass@1"]["value"].get<double>() == Approx(4.0 / 6));
  CHECK(summary["metrics"]["cons@3"]["value"].get<double>() == Approx(4.0 / 6));
  for (const json& row : summary["per_problem"]) {
    const bool wrong = row["problem_id"] == "p2" || row["problem_id"] == "p6";
    CHECK(row["correct"] == (wrong ? 0 : 3));
  }

  // Retry-After: the retry of each p3 sample came at least a second after its 429.
  std::map<std::string, std::vector<double>> p3_times;
  for (const json& request : server.requests()) {
    if (request["key"].get<std::string>().find("p3.") != std::string::npos) {
      p3_times[std::to_string(request["seed"].get<long long>())].push_back(request["t"].get<double>());
    }
  }
  REQUIRE(p3_times.size() == 3);
  for (const auto& [seed, times] : p3_times) {
    REQUIRE(times.size() == 2);
    CHECK(times[1] - times[0] >= 0.95);
  }

  // The key never reaches the run folder.
  for (const auto& entry : std::filesystem::directory_iterator(out)) {
    INFO(entry.path());
    CHECK(test::read_text_file(entry.path()).find("sk-secret-4242") == std::string::npos);
  }
  const json run = read_json(out + "/run.json");
  CHECK(run["model"]["backend"] == "api");
  CHECK(run["model"]["name"] == "scripted-model");
  CHECK(run["sampling"]["samples"] == 3);
  CHECK_FALSE(run["finished"].is_null());
}

TEST_CASE("reval run --stream survives streams cut in the middle", "[harness][run][integration]") {
  test::TempDir dir;
  const std::string suite = write_suite(dir, 2, 2);
  json cut = answer(1);
  cut["stream_cut"] = true;
  const json script = {{"rules", json::array({{{"match", "p1."}, {"responses", {cut, answer(1)}}},
                                              {{"match", "p2."}, {"responses", {answer(2)}}}})}};
  test::ScriptedServer server(dir.path(), script);
  const auto result = run_reval(with(run_args(suite, server, dir.file("run")), {"--stream"}));
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  const json summary = read_json(dir.file("run") + "/summary.json");
  CHECK(summary["metrics"]["pass@1"]["value"] == 1.0);
  CHECK(count_lines(dir.file("run") + "/samples.jsonl") == 4);
}

TEST_CASE("a 401 stops reval run with exit 4 and one line naming the variable", "[harness][run][integration]") {
  test::TempDir dir;
  const std::string suite = write_suite(dir, 3, 2);
  test::ScriptedServer server(dir.path(), {{"require_key", "sk-right"}});
  const auto result = run_reval(with(run_args(suite, server, dir.file("run")), {"--api-key-env", "TEST_KEY"}),
                                "", {"TEST_KEY=sk-wrong-777"});
  CHECK(result.exit_code == 4);
  CHECK(result.err.find("reval run: error: 401 from " + server.base_url() + ": check $TEST_KEY") != std::string::npos);
  CHECK(result.err.find("sk-wrong-777") == std::string::npos);
  CHECK(result.out.find("sk-wrong-777") == std::string::npos);
}

TEST_CASE("kill -9 during a run, then rerunning, equals an uninterrupted run", "[harness][run][integration][slow]") {
  test::TempDir dir;
  const std::string suite = write_suite(dir, 10, 8);
  json script = {{"delay_s", 0.04}, {"rules", json::array()}};
  for (int i = 1; i <= 10; ++i) {
    script["rules"].push_back({{"match", "p" + std::to_string(i) + "."}, {"responses", {answer(i, i % 3 != 0)}}});
  }
  test::ScriptedServer server(dir.path(), script);
  const std::string killed = dir.file("killed");
  {
    test::BackgroundProcess reval(test::reval_binary(), run_args(suite, server, killed), {}, dir.path());
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      if (std::filesystem::exists(killed + "/samples.jsonl") && count_lines(killed + "/samples.jsonl") >= 20) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    reval.kill_hard();
  }
  const std::size_t n_before = count_lines(killed + "/samples.jsonl");
  CHECK(n_before >= 20);
  CHECK(n_before < 80);
  const auto resumed = run_reval(run_args(suite, server, killed));
  INFO(resumed.err);
  REQUIRE(resumed.exit_code == 0);
  const auto whole = run_reval(run_args(suite, server, dir.file("whole")));
  REQUIRE(whole.exit_code == 0);
  CHECK(count_lines(killed + "/samples.jsonl") == 80);  // nothing duplicated
  CHECK(sample_keys(killed) == sample_keys(dir.file("whole")));
  CHECK(read_json(killed + "/summary.json")["metrics"] == read_json(dir.file("whole") + "/summary.json")["metrics"]);
}

TEST_CASE("Ctrl-C stops sending, keeps what arrived, and the rerun finishes the run", "[harness][run][integration][slow]") {
  test::TempDir dir;
  const std::string suite = write_suite(dir, 8, 8);
  test::ScriptedServer server(dir.path(), {{"delay_s", 0.05}, {"default", {answer(1)}}});
  const std::string out = dir.file("run");
  test::BackgroundProcess reval(test::reval_binary(), run_args(suite, server, out), {}, dir.path());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    if (std::filesystem::exists(out + "/samples.jsonl") && count_lines(out + "/samples.jsonl") >= 10) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  reval.signal(SIGINT);
  CHECK(reval.wait() == 130);
  const std::size_t n_stored = count_lines(out + "/samples.jsonl");
  CHECK(n_stored < 64);
  CHECK(server.requests().size() == n_stored);  // everything sent was waited for and stored
  CHECK(std::filesystem::exists(out + "/summary.json"));
  CHECK(read_json(out + "/run.json")["finished"].is_null());
  const auto rerun = run_reval(run_args(suite, server, out));
  REQUIRE(rerun.exit_code == 0);
  CHECK(count_lines(out + "/samples.jsonl") == 64);
  CHECK(server.requests().size() == 64);
}

TEST_CASE("a run folder with other settings is refused unless --force-new", "[harness][run][integration]") {
  test::TempDir dir;
  const std::string suite = write_suite(dir, 2, 1);
  test::ScriptedServer server(dir.path(), {{"default", {answer(1)}}});
  const std::string out = dir.file("run");
  REQUIRE(run_reval(run_args(suite, server, out)).exit_code == 0);
  const auto again = run_reval(run_args(suite, server, out));
  CHECK(again.exit_code == 0);
  CHECK(server.requests().size() == 2);  // resumed: nothing left to send
  auto hotter = run_args(suite, server, out);
  hotter.insert(hotter.end(), {"--temperature", "0.9"});
  const auto refused = run_reval(hotter);
  CHECK(refused.exit_code == 3);
  CHECK(refused.err.find("sampling.temperature: 0.6 before, 0.9 now") != std::string::npos);
  hotter.push_back("--force-new");
  CHECK(run_reval(hotter).exit_code == 0);
  CHECK(server.requests().size() == 4);
}

TEST_CASE("--cache answers identical requests without the server", "[harness][run][integration]") {
  test::TempDir dir;
  const std::string suite = write_suite(dir, 3, 2);
  test::ScriptedServer server(dir.path(), {{"default", {answer(1)}}});
  auto first = run_args(suite, server, dir.file("a"));
  first.insert(first.end(), {"--cache", dir.file("cache")});
  REQUIRE(run_reval(first).exit_code == 0);
  auto second = run_args(suite, server, dir.file("b"));
  second.insert(second.end(), {"--cache", dir.file("cache")});
  REQUIRE(run_reval(second).exit_code == 0);
  CHECK(server.requests().size() == 6);
  CHECK(sample_keys(dir.file("a")) == sample_keys(dir.file("b")));
}

TEST_CASE("reval grade re-grades a run and reval compare pairs two runs", "[harness][run][integration]") {
  test::TempDir dir;
  const std::string suite = write_suite(dir, 4, 2);
  json script_a = {{"rules", json::array()}};
  for (int i = 1; i <= 4; ++i) script_a["rules"].push_back({{"match", "p" + std::to_string(i) + "."}, {"responses", {answer(i, i <= 2)}}});
  {
    test::TempDir server_dir;
    test::ScriptedServer server(server_dir.path(), script_a);
    REQUIRE(run_reval(run_args(suite, server, dir.file("a"))).exit_code == 0);
  }
  {
    test::TempDir server_dir;
    test::ScriptedServer server(server_dir.path(), {{"default", {{{"content", "\\boxed{13}"}}}}});
    REQUIRE(run_reval(run_args(suite, server, dir.file("b"))).exit_code == 0);  // right on p3 only
  }
  std::filesystem::remove(dir.file("a") + "/summary.json");
  const auto missing = run_reval({"compare", dir.file("a"), dir.file("b")});
  CHECK(missing.exit_code == 3);  // not found: run 'reval grade'
  CHECK(missing.err.find("reval grade") != std::string::npos);
  const auto graded = run_reval({"grade", dir.file("a")});
  REQUIRE(graded.exit_code == 0);
  CHECK(read_json(dir.file("a") + "/summary.json")["metrics"]["pass@1"]["value"] == 0.5);
  const auto compared = run_reval({"compare", dir.file("a"), dir.file("b")});
  INFO(compared.err);
  REQUIRE(compared.exit_code == 0);
  CHECK(compared.out.find("problems compared: 4") != std::string::npos);
  CHECK(compared.out.find("delta (B - A): -25.0 points") != std::string::npos);
  CHECK(compared.out.find("B better 1, A better 2, ties 1") != std::string::npos);
}

TEST_CASE("reval run explains a missing backend and an unknown suite", "[harness][run][integration]") {
  const auto no_backend = run_reval({"run", "--suite", "aime24"});
  CHECK(no_backend.exit_code == 2);
  CHECK(no_backend.err.find("--api BASE_URL") != std::string::npos);
  const auto unknown = run_reval({"run", "--suite", "aime42", "--api", "http://127.0.0.1:1/v1", "--model", "m"});
  CHECK(unknown.exit_code == 3);
  CHECK(unknown.err.find("did you mean 'aime24'?") != std::string::npos);
}

}  // namespace reval

namespace reval {

TEST_CASE("raising -n continues a run with the next samples and --limit takes the first problems",
          "[harness][run][integration]") {
  test::TempDir dir;
  const std::string suite = write_suite(dir, 5, 4);
  test::ScriptedServer server(dir.path(), {{"default", {answer(1)}}});
  const std::string out = dir.file("run");
  REQUIRE(run_reval(with(run_args(suite, server, out), {"-n", "1", "--limit", "3"})).exit_code == 0);
  CHECK(server.requests().size() == 3);
  REQUIRE(run_reval(with(run_args(suite, server, out), {"-n", "2"})).exit_code == 0);
  CHECK(server.requests().size() == 10);
  CHECK(count_lines(out + "/samples.jsonl") == 10);
  const json summary = read_json(out + "/summary.json");
  CHECK(summary["k"] == 2);
  CHECK(summary["n_samples"] == 10);
  CHECK(summary["metrics"].contains("cons@2"));
}

}  // namespace reval
