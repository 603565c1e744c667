// Replays the datasets fuzz corpus (seeds and any crashers found) in ordinary builds, so a fixed
// crash stays fixed where libFuzzer is not built.
#include <catch2/catch.hpp>

#include <filesystem>

#include "common/files.h"
#include "tests/fuzz/datasets_loaders_fuzz_input.h"
#include "tests/support/test_support.h"

namespace reval::datasets {

TEST_CASE("every input in the loaders' fuzz corpus is accepted or rejected cleanly", "[datasets][fuzz]") {
  const std::string dir = test::source_dir() + "/tests/fuzz/corpus/datasets_loaders";
  int n_files = 0;
  int n_accepted = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    auto contents = read_file(entry.path().string());
    REQUIRE(contents.ok());
    const std::vector<std::uint8_t> bytes(contents->begin(), contents->end());
    INFO(entry.path().filename().string());
    ++n_files;
    if (fuzz::run_datasets_loaders_input(bytes.data(), bytes.size())) ++n_accepted;
  }
  CHECK(n_files >= 6);
  CHECK(n_accepted >= 4);  // the good seeds (jsonl, json array, gzip, registry, fields) parse
}

}  // namespace reval::datasets
