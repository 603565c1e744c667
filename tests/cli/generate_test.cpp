#include <catch2/catch.hpp>

#include <string>

#include "tests/support/test_support.h"

namespace reval::test {

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
