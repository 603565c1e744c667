// SHA-256 (FIPS 180-4): an incremental hasher plus helpers for strings and files, so downloads and
// model files can be checksummed without OpenSSL. Not thread-safe per instance; use one per thread.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace reval {

class Sha256 {
 public:
  Sha256() { reset(); }

  void reset();
  void update(const void* data, std::size_t n_bytes);
  void update(std::string_view text) { update(text.data(), text.size()); }
  // The 32-byte digest; the hasher must be reset() before it is used again.
  std::array<std::uint8_t, 32> finish();
  // finish() as 64 lower-case hex digits.
  std::string finish_hex();

 private:
  void process_block(const std::uint8_t* block);

  std::array<std::uint32_t, 8> state_{};
  std::array<std::uint8_t, 64> buffer_{};
  std::size_t n_buffered_ = 0;
  std::uint64_t n_total_bytes_ = 0;
};

// Hex digest of a byte string.
std::string sha256_hex(std::string_view data);

// Hex digest of a file's contents, read in chunks; errors name the path.
Result<std::string> sha256_file_hex(const std::string& path);

}  // namespace reval
