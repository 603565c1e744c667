// Replays the fuzz corpus (seeds and any crashers found) through the reader in ordinary builds,
// so a fixed crash stays fixed even where libFuzzer is not built.
#include <catch2/catch.hpp>

#include <filesystem>

#include "common/files.h"
#include "engine/gguf/reader.h"
#include "tests/support/test_support.h"

namespace reval::gguf {

TEST_CASE("every file in the reader's fuzz corpus parses or fails cleanly", "[engine][gguf]") {
  const std::string dir = test::source_dir() + "/tests/fuzz/corpus/gguf_reader";
  int n_files = 0;
  int n_valid = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    auto contents = read_file(entry.path().string());
    REQUIRE(contents.ok());
    std::vector<std::uint8_t> bytes(contents->begin(), contents->end());
    auto file = GgufFile::parse(bytes, entry.path().filename().string());
    ++n_files;
    if (!file.ok()) {
      CHECK_FALSE(file.status().message().empty());
      continue;
    }
    ++n_valid;
    for (const GgufTensorInfo& t : file->tensors()) {
      CHECK(t.data + t.n_bytes <= bytes.data() + bytes.size());
    }
  }
  CHECK(n_files >= 3);
  CHECK(n_valid >= 3);
}

}  // namespace reval::gguf
