#include <catch2/catch.hpp>

#include "harness/backends/builtin_backend.h"

namespace reval::harness {

TEST_CASE("reasoning is split at the closing think tag", "[harness][builtin]") {
  Completion c;
  split_reasoning("Let me add 2 and 2.\n</think>\n\nThe answer is \\boxed{4}.", true, c);
  CHECK(c.reasoning == "Let me add 2 and 2.");
  CHECK(c.text == "The answer is \\boxed{4}.");
  CHECK_FALSE(c.reasoning_open);
}

TEST_CASE("thinking that never closes is all reasoning and marked open", "[harness][builtin]") {
  Completion c;
  split_reasoning("Hmm, first consider", true, c);
  CHECK(c.reasoning == "Hmm, first consider");
  CHECK(c.text.empty());
  CHECK(c.reasoning_open);
  Completion own;
  split_reasoning("<think>\nstarted here", false, own);
  CHECK(own.reasoning == "started here");
  CHECK(own.reasoning_open);
}

TEST_CASE("text without thinking is all answer", "[harness][builtin]") {
  Completion c;
  split_reasoning("42", false, c);
  CHECK(c.text == "42");
  CHECK(c.reasoning.empty());
  CHECK_FALSE(c.reasoning_open);
}

}  // namespace reval::harness
