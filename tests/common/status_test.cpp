#include <catch2/catch.hpp>

#include "common/result.h"
#include "common/status.h"

namespace reval {
namespace {

Result<int> parse_positive(int x) {
  if (x <= 0) return invalid_input_error("value " + std::to_string(x) + " is not positive");
  return x;
}

Status sum_positive(int a, int b, int* out) {
  REVAL_ASSIGN_OR_RETURN(int x, parse_positive(a));
  REVAL_ASSIGN_OR_RETURN(int y, parse_positive(b));
  *out = x + y;
  return Status::ok_status();
}

}  // namespace

TEST_CASE("context is prepended outermost first", "[common][status]") {
  const Status inner = invalid_input_error("data outside file (offset 1234, size 99)");
  const Status outer = inner.with_context("blk.3.attn_q.weight").with_context("load_model");
  CHECK(outer.message() == "load_model: blk.3.attn_q.weight: data outside file (offset 1234, size 99)");
  CHECK(outer.code() == StatusCode::kInvalidInput);
  CHECK(Status::ok_status().with_context("ignored").ok());
}

TEST_CASE("assign-or-return propagates the first error", "[common][status]") {
  int sum = 0;
  CHECK(sum_positive(2, 3, &sum).ok());
  CHECK(sum == 5);
  const Status failed = sum_positive(2, -1, &sum);
  CHECK_FALSE(failed.ok());
  CHECK(failed.message() == "value -1 is not positive");
}

TEST_CASE("errno errors name the path and map ENOENT to not found", "[common][status]") {
  const Status status = errno_error("open data.jsonl", ENOENT);
  CHECK(status.code() == StatusCode::kNotFound);
  CHECK(status.message() == "open data.jsonl: No such file or directory");
}

}  // namespace reval
