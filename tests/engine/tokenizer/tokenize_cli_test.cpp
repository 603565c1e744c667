// `reval model tokenize`, driven through the real binary.
#include <catch2/catch.hpp>

#include "tests/support/test_support.h"

namespace reval {

TEST_CASE("reval model tokenize prints the ids llama.cpp gives", "[engine][tokenizer][integration][conformance]") {
  if (test::shared_data_dir().empty()) {
    test::skip("../shared/data is absent");
    return;
  }
  const std::string qwen2 = test::shared_data_dir() + "/gguf/ggml-vocab-qwen2.gguf";
  auto plain = test::run_reval({"model", "tokenize", qwen2, "Hello world"});
  INFO(plain.err);
  CHECK(plain.exit_code == 0);
  CHECK(plain.out == "9707 1879\n");  // llama.cpp's expected ids (ggml-vocab-qwen2.gguf.out)

  auto special = test::run_reval({"model", "tokenize", qwen2, "<|im_start|>user", "--parse-special"});
  CHECK(special.exit_code == 0);
  CHECK(special.out == "151644 872\n");

  const std::string llama = test::shared_data_dir() + "/gguf/ggml-vocab-llama-bpe.gguf";
  auto with_bos = test::run_reval({"model", "tokenize", llama, "Hello", "--add-special"});
  CHECK(with_bos.exit_code == 0);
  CHECK(with_bos.out == "128000 9906\n");

  auto pieces = test::run_reval({"model", "tokenize", qwen2, "a\nb", "--pieces"});
  CHECK(pieces.exit_code == 0);
  CHECK(pieces.out == "64 \"a\"\n198 \"\\u000a\"\n65 \"b\"\n");
}

TEST_CASE("reval model tokenize reports a missing or non-GGUF file in one line", "[engine][tokenizer][integration]") {
  test::TempDir dir;
  auto missing = test::run_reval({"model", "tokenize", dir.file("nope.gguf"), "x"});
  CHECK(missing.exit_code == 3);
  CHECK(missing.err.find("nope.gguf") != std::string::npos);
  CHECK(std::count(missing.err.begin(), missing.err.end(), '\n') == 1);
  test::write_text_file(dir.file("bad.gguf"), "this is not a gguf file");
  auto bad = test::run_reval({"model", "tokenize", dir.file("bad.gguf"), "x"});
  CHECK(bad.exit_code == 3);
  CHECK(bad.err.find("bad.gguf") != std::string::npos);
  auto usage = test::run_reval({"model", "tokenize", dir.file("bad.gguf")});
  CHECK(usage.exit_code == 2);
}

}  // namespace reval
