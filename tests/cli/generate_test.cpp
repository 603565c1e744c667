#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/test_support.h"

namespace reval::test {
namespace {

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

}  // namespace

TEST_CASE("generate greedily continues stories260K exactly like llama.cpp", "[integration][conformance]") {
  if (shared_data_dir().empty()) {
    skip("../shared/data is not available");
    return;
  }
  const std::string model = shared_data_dir() + "/gguf/stories260K.gguf";
  // llama.cpp's greedy continuation of this prompt (see shared/data/gguf/README.md).
  const std::string expected = ", there was a little girl named Lily. She loved to play";
  for (const char* threads : {"1", "2"}) {
    const CommandResult r = run_reval({"generate", "--model", model, "--prompt", "Once upon a time", "-n", "16",
                                       "--temperature", "0", "--threads", threads});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out == expected + "\n");
  }
}

TEST_CASE("generate with the same seed gives the same text on any thread count", "[integration][conformance]") {
  if (shared_data_dir().empty()) {
    skip("../shared/data is not available");
    return;
  }
  const std::string model = shared_data_dir() + "/gguf/stories260K.gguf";
  const auto sample = [&](const char* seed, const char* threads) {
    const CommandResult r = run_reval({"generate", "--model", model, "--prompt", "Once upon a time", "-n", "48",
                                       "--temperature", "1.0", "--seed", seed, "--threads", threads});
    REQUIRE(r.exit_code == 0);
    return r.out;
  };
  CHECK(sample("5", "1") == sample("5", "2"));
  CHECK(sample("5", "1") != sample("6", "1"));
}

TEST_CASE("generate names the file when the model cannot be opened", "[integration]") {
  TempDir dir;
  write_text_file(dir.file("bad.gguf"), "GGUF but not really");
  const CommandResult r = run_reval({"generate", "--model", dir.file("bad.gguf"), "--prompt", "hi"});
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("bad.gguf") != std::string::npos);
  const CommandResult missing = run_reval({"generate", "--prompt", "hi"});
  CHECK(missing.exit_code == 2);
}

}  // namespace reval::test

namespace reval::test {

TEST_CASE("run on the builtin engine completes a suite and is the same on 1 and 2 threads", "[integration][conformance]") {
  if (shared_data_dir().empty()) {
    skip("../shared/data is not available");
    return;
  }
  const std::string model = shared_data_dir() + "/gguf/stories260K.gguf";
  TempDir dir;
  const auto run = [&](const std::string& out, const char* threads) {
    // stories260K has no chat template: ChatML's markers are then plain text to its vocab, which is fine.
    const CommandResult r = run_reval({"run", "--suite", "math-sample", "--model", model, "--chat-template", "chatml",
                                       "--out", out, "--offline", "--samples", "3", "--max-tokens", "12", "--limit",
                                       "2", "--temperature", "0.8", "--threads", threads},
                                      "", {}, 300);
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    std::vector<std::string> texts;
    for (const std::string& line : split_lines(read_text_file(out + "/samples.jsonl"))) {
      const auto pos = line.find("\"reasoning\"");
      texts.push_back(line.substr(line.find("\"problem_id\""), 40) + line.substr(pos, line.find("\"request_hash\"") - pos));
    }
    std::sort(texts.begin(), texts.end());
    return texts;
  };
  const auto one = run(dir.file("t1"), "1");
  REQUIRE(one.size() == 6);
  CHECK(one == run(dir.file("t2"), "2"));
  // The run records which model file it used: its sha256 and tensor-type mix.
  const auto run_json = nlohmann::json::parse(read_text_file(dir.file("t1") + "/run.json"));
  const CommandResult digest = run_command("sha256sum", {model});
  REQUIRE(digest.exit_code == 0);
  CHECK(run_json["model"]["file_sha256"] == digest.out.substr(0, 64));
  CHECK(run_json["model"]["quantization"].is_object());
  CHECK_FALSE(run_json["model"]["quantization"].empty());
  // The engine reports how full its batches were: 2 problems x 3 samples share the decode passes.
  const auto& stats = run_json.at("engine_stats");
  CHECK(stats.at("max_sequences").get<int>() == 64);
  CHECK(stats.at("decode_tokens").get<std::int64_t>() > 0);
  CHECK(stats.at("prefill_tokens").get<std::int64_t>() > 0);
  CHECK(stats.at("mean_batch_sequences").get<double>() > 1.0);
  CHECK(stats.at("mean_batch_sequences").get<double>() <= 6.0);
  CHECK(stats.at("batch_occupancy").get<double>() ==
        Approx(stats.at("mean_batch_sequences").get<double>() / 64.0));
  CHECK(stats.at("decode_tok_s").get<double>() > 0.0);
}

TEST_CASE("run on the builtin engine prints its batch occupancy", "[integration][conformance]") {
  if (shared_data_dir().empty()) {
    skip("../shared/data is not available");
    return;
  }
  TempDir dir;
  const CommandResult r =
      run_reval({"run", "--suite", "math-sample", "--model", shared_data_dir() + "/gguf/stories260K.gguf",
                 "--chat-template", "chatml", "--out", dir.file("occ"), "--offline", "--samples", "4",
                 "--max-tokens", "8", "--limit", "1", "--max-sequences", "4", "--threads", "1"},
                "", {}, 300);
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("sequences per decode pass (occupancy") != std::string::npos);
  const auto run_json = nlohmann::json::parse(read_text_file(dir.file("occ") + "/run.json"));
  CHECK(run_json.at("engine_stats").at("max_sequences").get<int>() == 4);
}

}  // namespace reval::test
