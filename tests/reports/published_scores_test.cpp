#include <catch2/catch.hpp>

#include "reports/published_scores.h"

namespace reval::reports {

TEST_CASE("the built-in registry parses and every score cites a source", "[reports][published]") {
  const PublishedScores& registry = PublishedScores::builtin();
  CHECK(registry.size() >= 20);
  const auto scores = registry.find("DeepSeek-R1-Distill-Qwen-1.5B", "", "aime24");
  REQUIRE(scores.size() == 2);
  for (const PublishedScore& score : scores) {
    CHECK_FALSE(score.source.empty());
    CHECK(score.url.rfind("https://", 0) == 0);
    CHECK(score.value > 0);
    CHECK(score.value < 1);
  }
  CHECK(scores[0].metric == "pass@1");
  CHECK(scores[0].value == Approx(0.289));
}

TEST_CASE("models are matched by API name or by the start of the GGUF file name", "[reports][published]") {
  const PublishedScores& registry = PublishedScores::builtin();
  CHECK(registry.find("deepseek-reasoner", "", "aime24").at(0).model == "DeepSeek-R1");
  // The longest alias wins: a distilled model's file is not taken for DeepSeek-R1.
  CHECK(registry.find("", "/m/DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf", "AIME-2024").at(0).model ==
        "DeepSeek-R1-Distill-Qwen-7B");
  CHECK(registry.find("my-finetune", "/m/llama.gguf", "aime24").empty());
  CHECK(registry.find("deepseek-reasoner", "", "gsm8k").empty());
}

TEST_CASE("a registry with a score citing an unknown source is rejected", "[reports][published]") {
  auto parsed = PublishedScores::parse(
      R"({"sources": {}, "suites": {"aime24": {}}, "models": {"M": {"scores": [{"suite": "aime24", "metric": "pass@1", "value": 10, "source": "nowhere"}]}}})",
      "test.json");
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.status().message().find("source 'nowhere' is not listed") != std::string::npos);
  CHECK_FALSE(PublishedScores::parse("[1,2]", "x.json").ok());
  CHECK_FALSE(PublishedScores::parse(R"({"models": {"M": 3}})", "x.json").ok());
}

}  // namespace reval::reports
