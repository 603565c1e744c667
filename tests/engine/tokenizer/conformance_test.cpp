// Golden-file tests against llama.cpp: ../shared/data/gguf/ggml-vocab-*.gguf with the .inp/.out
// vectors of llama.cpp's test-tokenizer-0 (inputs separated by "\n__ggml_vocab_test__\n"; one line of
// expected ids per input, tokenized without BOS/EOS and without parsing control tokens), plus our own
// random stress strings (tests/data/tokenizer/random_inputs.json, scripts/tokenizer_diff_inputs.py) with
// the ids llama.cpp v0.4.0 gave for them (random_llamacpp_<vocab>.out, scripts/tokenizer_diff_vectors.mjs).
#include <catch2/catch.hpp>

#include <filesystem>
#include <sstream>

#include <nlohmann/json.hpp>

#include "engine/gguf/reader.h"
#include "engine/tokenizer/tokenizer.h"
#include "tests/support/test_support.h"

namespace reval::tokenizer {
namespace {

struct GoldenCase {
  std::string text;
  std::vector<TokenId> ids;
};

std::vector<GoldenCase> read_golden_cases(const std::string& gguf_path) {
  const std::string inputs = test::read_text_file(gguf_path + ".inp");
  const std::string outputs = test::read_text_file(gguf_path + ".out");
  const std::string separator = "\n__ggml_vocab_test__\n";
  std::vector<std::string> texts;
  for (std::size_t pos = 0; pos < inputs.size();) {
    const std::size_t next = inputs.find(separator, pos);
    if (next == std::string::npos) {
      texts.push_back(inputs.substr(pos));
      break;
    }
    texts.push_back(inputs.substr(pos, next - pos));
    pos = next + separator.size();
  }
  std::vector<GoldenCase> cases;
  std::istringstream lines(outputs);
  std::string line;
  for (std::size_t i = 0; std::getline(lines, line); ++i) {
    REQUIRE(i < texts.size());
    GoldenCase c{texts[i], {}};
    std::istringstream ids(line);
    for (long id; ids >> id;) c.ids.push_back(static_cast<TokenId>(id));
    cases.push_back(std::move(c));
  }
  REQUIRE(cases.size() == texts.size());
  return cases;
}

// Checks every vector of one vocab; also that decoding the expected ids gives the input back.
void check_vocab(const std::string& vocab_name) {
  if (test::shared_data_dir().empty()) {
    test::skip("../shared/data is absent");
    return;
  }
  const std::string path = test::shared_data_dir() + "/gguf/ggml-vocab-" + vocab_name + ".gguf";
  auto file = gguf::GgufFile::open(path);
  REQUIRE(file.ok());
  auto tokenizer = Tokenizer::from_gguf(*file);
  INFO(tokenizer.status().to_string());
  REQUIRE(tokenizer.ok());
  const auto cases = read_golden_cases(path);
  REQUIRE(!cases.empty());
  std::size_t n_identical = 0;
  for (const GoldenCase& c : cases) {
    INFO("input: '" << c.text << "'");
    const std::vector<TokenId> ids = tokenizer->encode(c.text);
    CHECK(ids == c.ids);
    n_identical += ids == c.ids ? 1 : 0;
    CHECK(tokenizer->decode(ids, DecodeOptions{.render_special = false, .strip_dummy_prefix = true}) == c.text);
  }
  std::printf("conformance %s: %zu/%zu identical\n", vocab_name.c_str(), n_identical, cases.size());

  const std::string data = test::source_dir() + "/tests/data/tokenizer/";
  const auto inputs = nlohmann::json::parse(test::read_text_file(data + "random_inputs.json"));
  std::istringstream expected(test::read_text_file(data + "random_llamacpp_" + vocab_name + ".out"));
  std::size_t n_random = 0;
  std::size_t n_random_identical = 0;
  std::string line;
  for (const auto& input : inputs) {
    REQUIRE(std::getline(expected, line));
    const std::string text = input.get<std::string>();
    std::vector<TokenId> want;
    std::istringstream ids(line);
    for (long id; ids >> id;) want.push_back(static_cast<TokenId>(id));
    INFO("random input: '" << text << "'");
    const std::vector<TokenId> got = tokenizer->encode(text);
    CHECK(got == want);
    ++n_random;
    n_random_identical += got == want ? 1 : 0;
  }
  std::printf("conformance %s random: %zu/%zu identical\n", vocab_name.c_str(), n_random_identical, n_random);
}

}  // namespace

TEST_CASE("qwen2 vocab tokenizes the llama.cpp test vectors identically", "[engine][tokenizer][conformance]") {
  check_vocab("qwen2");
}

TEST_CASE("qwen35 vocab tokenizes the llama.cpp test vectors identically", "[engine][tokenizer][conformance]") {
  check_vocab("qwen35");
}

TEST_CASE("llama-bpe vocab tokenizes the llama.cpp test vectors identically", "[engine][tokenizer][conformance]") {
  check_vocab("llama-bpe");
}

TEST_CASE("gpt-2 vocab tokenizes the llama.cpp test vectors identically", "[engine][tokenizer][conformance]") {
  check_vocab("gpt-2");
}

TEST_CASE("deepseek-llm vocab tokenizes the llama.cpp test vectors identically", "[engine][tokenizer][conformance]") {
  check_vocab("deepseek-llm");
}

TEST_CASE("deepseek-coder vocab tokenizes the llama.cpp test vectors identically",
          "[engine][tokenizer][conformance]") {
  check_vocab("deepseek-coder");
}

TEST_CASE("llama-spm vocab tokenizes the llama.cpp test vectors identically", "[engine][tokenizer][conformance]") {
  check_vocab("llama-spm");
}

}  // namespace reval::tokenizer
