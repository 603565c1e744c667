#include <catch2/catch.hpp>

#include <filesystem>

#include "common/files.h"
#include "tests/support/test_support.h"

namespace reval {

TEST_CASE("atomic write replaces the file and leaves no temp file", "[common][files]") {
  test::TempDir dir;
  const std::string path = dir.file("out.json");
  REQUIRE(write_file_atomic(path, "first").ok());
  REQUIRE(write_file_atomic(path, "second").ok());
  auto contents = read_file(path);
  REQUIRE(contents.ok());
  CHECK(*contents == "second");
  std::size_t n_files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    (void)entry;
    ++n_files;
  }
  CHECK(n_files == 1);
}

TEST_CASE("reading a missing file names it", "[common][files]") {
  auto contents = read_file("/nonexistent/reval/file.jsonl");
  REQUIRE_FALSE(contents.ok());
  CHECK(contents.status().code() == StatusCode::kNotFound);
  CHECK(contents.status().message().find("/nonexistent/reval/file.jsonl") != std::string::npos);
}

TEST_CASE("mapped file exposes the bytes and handles empty files", "[common][files]") {
  test::TempDir dir;
  test::write_text_file(dir.file("a.bin"), "GGUF");
  auto mapped = MappedFile::open(dir.file("a.bin"));
  REQUIRE(mapped.ok());
  REQUIRE(mapped->size() == 4);
  CHECK(std::string(reinterpret_cast<const char*>(mapped->data()), 4) == "GGUF");
  test::write_text_file(dir.file("empty.bin"), "");
  auto empty = MappedFile::open(dir.file("empty.bin"));
  REQUIRE(empty.ok());
  CHECK(empty->size() == 0);
  CHECK_FALSE(MappedFile::open(dir.path()).ok());
}

}  // namespace reval
