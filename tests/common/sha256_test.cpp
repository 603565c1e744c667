#include <catch2/catch.hpp>

#include <string>

#include "common/sha256.h"
#include "tests/support/test_support.h"

namespace reval {

// Test vectors from FIPS 180-4's examples (NIST CSRC "SHA256.pdf" and the long-message vector).
TEST_CASE("sha256 matches the NIST test vectors", "[common][sha256]") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(sha256_hex(std::string(1000000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("sha256 gives the same digest however the input is split", "[common][sha256]") {
  std::string data;
  for (int i = 0; i < 1000; ++i) data.push_back(static_cast<char>((i * 37 + 11) & 0xff));
  const std::string whole = sha256_hex(data);
  for (std::size_t chunk : {1u, 3u, 55u, 56u, 63u, 64u, 65u, 127u, 999u}) {
    Sha256 hasher;
    for (std::size_t at = 0; at < data.size(); at += chunk) {
      hasher.update(std::string_view(data).substr(at, chunk));
    }
    INFO("chunk size " << chunk);
    CHECK(hasher.finish_hex() == whole);
  }
}

TEST_CASE("sha256 of a file equals sha256 of its bytes and a missing file names the path", "[common][sha256]") {
  test::TempDir dir;
  const std::string contents = "line one\nline two\n";
  test::write_text_file(dir.file("a.txt"), contents);
  auto digest = sha256_file_hex(dir.file("a.txt"));
  REQUIRE(digest.ok());
  CHECK(*digest == sha256_hex(contents));
  auto missing = sha256_file_hex(dir.file("nope.txt"));
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().message().find("nope.txt") != std::string::npos);
}

}  // namespace reval
