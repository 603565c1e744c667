// SHA-256 (FIPS 180-4) for request hashes, settings hashes and cache keys. Pure, thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace reval::harness {

// Incremental hasher: update() any number of times, then hex_digest() once.
class Sha256 {
 public:
  Sha256();
  void update(std::string_view data);
  // The digest as 64 lower-case hex characters. Finalizes: call once.
  std::string hex_digest();

 private:
  void process_block(const std::uint8_t* block);

  std::array<std::uint32_t, 8> state_;
  std::array<std::uint8_t, 64> buffer_{};
  std::size_t buffer_len_ = 0;
  std::uint64_t total_len_ = 0;
};

// One-shot convenience: sha256_hex("abc") = "ba7816bf...".
std::string sha256_hex(std::string_view data);

}  // namespace reval::harness
