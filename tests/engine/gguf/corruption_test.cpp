// Every class of damaged file gives one clear error naming what is wrong (and never reads past the
// buffer: run under the asan preset). The fixture is a tiny file whose field offsets are known:
//   0 magic, 4 version, 8 n_tensors, 16 n_kv = 1,
//   24 key length (1), 32 key "k", 33 value type (8 = string), 37 string length (3), 45 "abc",
//   48 name length (1), 56 name "t", 57 n_dims (2), 61 ne[0] (32), 69 ne[1] (2), 77 type (0 = f32),
//   81 offset (0), 89.. padding, 96 data (256 bytes), file size 352.
#include <catch2/catch.hpp>

#include <cstring>

#include "engine/gguf/reader.h"
#include "engine/gguf/writer.h"

namespace reval::gguf {
namespace {

std::string fixture() {
  GgufWriter w;
  w.set("k", MetaValue::str("abc"));
  w.add_tensor("t", TensorType::kF32, {32, 2}, std::vector<std::uint8_t>(256, 0));
  auto text = w.write_to_string();
  REQUIRE(text.ok());
  REQUIRE(text->size() == 352);
  return *text;
}

void poke_u64(std::string& s, std::size_t at, std::uint64_t v) { std::memcpy(s.data() + at, &v, 8); }
void poke_u32(std::string& s, std::size_t at, std::uint32_t v) { std::memcpy(s.data() + at, &v, 4); }

// The error message of parsing `bytes` (fails the test if parsing succeeds).
std::string parse_error(const std::string& bytes) {
  // Copy into an exactly-sized heap buffer so AddressSanitizer sees any overread.
  std::vector<std::uint8_t> buffer(bytes.begin(), bytes.end());
  auto file = GgufFile::parse(buffer, "bad.gguf");
  REQUIRE_FALSE(file.ok());
  CHECK(file.status().code() == StatusCode::kInvalidInput);
  return file.status().message();
}

}  // namespace

TEST_CASE("the corruption fixture itself is valid", "[engine][gguf]") {
  const std::string s = fixture();
  std::vector<std::uint8_t> buffer(s.begin(), s.end());
  auto file = GgufFile::parse(buffer, "ok.gguf");
  REQUIRE(file.ok());
  CHECK(file->data_offset() == 96);
  CHECK(*file->get_string("k") == "abc");
}

TEST_CASE("a truncated header is reported as such", "[engine][gguf]") {
  CHECK(parse_error(fixture().substr(0, 10)) ==
        "bad.gguf: truncated header (file is 10 bytes, a GGUF header needs 24)");
  CHECK(parse_error("") == "bad.gguf: truncated header (file is 0 bytes, a GGUF header needs 24)");
}

TEST_CASE("a wrong magic says the file is not GGUF", "[engine][gguf]") {
  std::string s = fixture();
  s[0] = 'X';
  CHECK(parse_error(s) == "bad.gguf: bad magic 0x46554758 (not a GGUF file; expected \"GGUF\")");
}

TEST_CASE("an unsupported version is named", "[engine][gguf]") {
  std::string s = fixture();
  poke_u32(s, 4, 1);
  CHECK(parse_error(s) == "bad.gguf: unsupported GGUF version 1 (reval reads versions 2 and 3)");
  poke_u32(s, 4, 4);
  CHECK(parse_error(s) == "bad.gguf: unsupported GGUF version 4 (reval reads versions 2 and 3)");
}

TEST_CASE("a string length past the end of the file names the key", "[engine][gguf]") {
  std::string s = fixture();
  poke_u64(s, 37, 1000);
  CHECK(parse_error(s) ==
        "bad.gguf: key 'k': string length 1000 runs past end of file (at offset 45, file size 352)");
  s = fixture();
  poke_u64(s, 24, ~std::uint64_t{0});
  CHECK(parse_error(s).find("metadata entry 0 of 1: key: string length 18446744073709551615 runs past end of "
                            "file") != std::string::npos);
}

TEST_CASE("tensor data outside the file names the tensor", "[engine][gguf]") {
  std::string s = fixture();
  CHECK(parse_error(s.substr(0, 300)) ==
        "bad.gguf: tensor 't': data outside file (offset 0, size 256, data section starts at 96, file size 300)");
  s = fixture();
  poke_u64(s, 81, 1ull << 62);
  CHECK(parse_error(s).find("tensor 't': data outside file (offset 4611686018427387904") != std::string::npos);
}

TEST_CASE("a misaligned tensor offset is rejected", "[engine][gguf]") {
  std::string s = fixture();
  poke_u64(s, 81, 4);
  CHECK(parse_error(s) == "bad.gguf: tensor 't': offset 4 is not a multiple of the alignment 32");
}

TEST_CASE("an overflowing element count is rejected", "[engine][gguf]") {
  std::string s = fixture();
  poke_u64(s, 61, 1ull << 32);
  poke_u64(s, 69, 1ull << 32);
  CHECK(parse_error(s) == "bad.gguf: tensor 't': element count overflows (ne = [4294967296, 4294967296])");
  s = fixture();
  poke_u64(s, 61, ~std::uint64_t{0});
  CHECK(parse_error(s).find("element count overflows") != std::string::npos);
}

TEST_CASE("unknown types, too many dimensions and bad block multiples are named", "[engine][gguf]") {
  std::string s = fixture();
  poke_u32(s, 33, 99);
  CHECK(parse_error(s) == "bad.gguf: key 'k': unknown value type 99");
  s = fixture();
  poke_u32(s, 77, 4);
  CHECK(parse_error(s) == "bad.gguf: tensor 't': unknown tensor type 4");
  s = fixture();
  poke_u32(s, 57, 5);
  CHECK(parse_error(s) == "bad.gguf: tensor 't': 5 dimensions (at most 4)");
  s = fixture();
  poke_u32(s, 77, static_cast<std::uint32_t>(TensorType::kQ4_K));
  CHECK(parse_error(s) == "bad.gguf: tensor 't': row length 32 is not a multiple of the q4_K block size 256");
}

TEST_CASE("huge counts are rejected before anything is allocated", "[engine][gguf]") {
  std::string s = fixture();
  poke_u64(s, 16, ~std::uint64_t{0});
  CHECK(parse_error(s) == "bad.gguf: metadata count 18446744073709551615 is larger than the file allows");
  s = fixture();
  poke_u64(s, 8, 1ull << 40);
  CHECK(parse_error(s) == "bad.gguf: tensor count 1099511627776 is larger than the file allows");
}

TEST_CASE("a huge array length names the key", "[engine][gguf]") {
  GgufWriter w;
  w.set("arr", MetaValue::string_array({"a", "b"}));
  auto text = w.write_to_string();
  REQUIRE(text.ok());
  std::string s = *text;
  // 24 key length, 32 "arr", 35 type, 39 element type, 43 count.
  poke_u64(s, 43, 1ull << 60);
  CHECK(parse_error(s).find("bad.gguf: key 'arr': array of 1152921504606846976 string runs past end of file") == 0);
}

TEST_CASE("truncation at every byte gives an error, never a crash", "[engine][gguf]") {
  const std::string s = fixture();
  for (std::size_t n = 0; n < 352; ++n) {
    std::vector<std::uint8_t> buffer(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(n));
    auto file = GgufFile::parse(buffer, "bad.gguf");
    INFO("truncated to " << n << " bytes");
    CHECK_FALSE(file.ok());
  }
}

TEST_CASE("duplicate keys and duplicate tensor names are rejected", "[engine][gguf]") {
  GgufWriter w;
  w.set("a", MetaValue::u32(1));
  w.set("b", MetaValue::u32(2));
  auto text = w.write_to_string();
  REQUIRE(text.ok());
  // Key "a" spans 24..40 (length, name, type, value); key "b" has its length at 41 and its byte at 49.
  std::string s2 = *text;
  s2[49] = 'a';
  CHECK(parse_error(s2) == "bad.gguf: key 'a': duplicate key");
}

TEST_CASE("a bad general.alignment is named", "[engine][gguf]") {
  GgufWriter w;
  w.set("general.alignment", MetaValue::u32(48));
  auto text = w.write_to_string();
  REQUIRE(text.ok());
  CHECK(parse_error(*text) == "bad.gguf: key 'general.alignment': alignment 48 is not a power of two");
  GgufWriter w2;
  w2.set("general.alignment", MetaValue::str("x"));
  auto text2 = w2.write_to_string();
  REQUIRE(text2.ok());
  CHECK(parse_error(*text2) == "bad.gguf: key 'general.alignment': expected u32, got string");
}

}  // namespace reval::gguf
