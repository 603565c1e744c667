// Each dequantizer against blocks built by hand from the layouts in engine/kernels/blocks.h: the
// expected values are computed here from logical (scale, quant) pairs, and the bytes are packed by
// code written from the layout description, independently of the kernels' unpackers.
#include <catch2/catch.hpp>

#include <cstring>

#include "engine/kernels/blocks.h"
#include "engine/kernels/ref.h"
#include "tests/engine/kernels/kernel_test_util.h"

namespace reval::kernels {
namespace {

void check_equal(const std::vector<float>& got, const std::vector<float>& want) {
  REQUIRE(got.size() == want.size());
  const std::string mismatch = test::first_mismatch(got.data(), want.data(), got.size(), 0.0f);
  INFO(mismatch);
  CHECK(mismatch.empty());
}

// Packs a 6-bit scale and min per sub-block into the 12 bytes of a Q4_K/Q5_K block.
void pack_k4_scales(const int* sc, const int* mn, std::uint8_t* out) {
  for (int j = 0; j < 4; ++j) {
    out[j] = static_cast<std::uint8_t>(sc[j] | ((sc[j + 4] >> 4) << 6));
    out[j + 4] = static_cast<std::uint8_t>(mn[j] | ((mn[j + 4] >> 4) << 6));
    out[j + 8] = static_cast<std::uint8_t>((sc[j + 4] & 0xF) | ((mn[j + 4] & 0xF) << 4));
  }
}

}  // namespace

TEST_CASE("q4_0 dequantizes (q - 8) * d with weights j and j+16 sharing a byte", "[engine][kernels]") {
  BlockQ4_0 b{};
  b.d = f32_to_fp16(0.5f);
  std::vector<float> want(32);
  for (int j = 0; j < 16; ++j) {
    const int lo = j;
    const int hi = 15 - j;
    b.qs[j] = static_cast<std::uint8_t>(lo | (hi << 4));
    want[j] = (lo - 8) * 0.5f;
    want[j + 16] = (hi - 8) * 0.5f;
  }
  std::vector<float> got(32);
  ref::dequantize_row_q4_0(&b, got.data(), 32);
  check_equal(got, want);
}

TEST_CASE("q4_1 dequantizes q * d + m", "[engine][kernels]") {
  BlockQ4_1 b{};
  b.d = f32_to_fp16(0.25f);
  b.m = f32_to_fp16(-1.0f);
  std::vector<float> want(32);
  for (int j = 0; j < 16; ++j) {
    b.qs[j] = static_cast<std::uint8_t>((j % 16) | (((j * 7) % 16) << 4));
    want[j] = static_cast<float>(j % 16) * 0.25f - 1.0f;
    want[j + 16] = static_cast<float>((j * 7) % 16) * 0.25f - 1.0f;
  }
  std::vector<float> got(32);
  ref::dequantize_row_q4_1(&b, got.data(), 32);
  check_equal(got, want);
}

TEST_CASE("q5_0 and q5_1 take the fifth bit of weight j from bit j of qh", "[engine][kernels]") {
  int q[32];
  for (int j = 0; j < 32; ++j) q[j] = (j * 11 + 3) % 32;
  std::uint32_t qh = 0;
  std::uint8_t qs[16];
  for (int j = 0; j < 16; ++j) {
    qs[j] = static_cast<std::uint8_t>((q[j] & 15) | ((q[j + 16] & 15) << 4));
    qh |= static_cast<std::uint32_t>(q[j] >> 4) << j;
    qh |= static_cast<std::uint32_t>(q[j + 16] >> 4) << (j + 16);
  }
  BlockQ5_0 b0{};
  b0.d = f32_to_fp16(2.0f);
  std::memcpy(b0.qh, &qh, 4);
  std::memcpy(b0.qs, qs, 16);
  BlockQ5_1 b1{};
  b1.d = f32_to_fp16(0.5f);
  b1.m = f32_to_fp16(3.0f);
  std::memcpy(b1.qh, &qh, 4);
  std::memcpy(b1.qs, qs, 16);
  std::vector<float> want0(32);
  std::vector<float> want1(32);
  for (int j = 0; j < 32; ++j) {
    want0[j] = static_cast<float>(q[j] - 16) * 2.0f;
    want1[j] = static_cast<float>(q[j]) * 0.5f + 3.0f;
  }
  std::vector<float> got(32);
  ref::dequantize_row_q5_0(&b0, got.data(), 32);
  check_equal(got, want0);
  ref::dequantize_row_q5_1(&b1, got.data(), 32);
  check_equal(got, want1);
}

TEST_CASE("q8_0 dequantizes qs * d over consecutive blocks", "[engine][kernels]") {
  BlockQ8_0 b[2]{};
  b[0].d = f32_to_fp16(2.0f);
  b[1].d = f32_to_fp16(-0.125f);
  std::vector<float> want(64);
  for (int j = 0; j < 32; ++j) {
    b[0].qs[j] = static_cast<std::int8_t>(j - 16);
    b[1].qs[j] = static_cast<std::int8_t>(127 - 8 * j);
    want[j] = static_cast<float>(j - 16) * 2.0f;
    want[32 + j] = static_cast<float>(127 - 8 * j) * -0.125f;
  }
  std::vector<float> got(64);
  ref::dequantize_row_q8_0(b, got.data(), 64);
  check_equal(got, want);
}

TEST_CASE("q4_K unpacks 6-bit scales and mins, including the high bits of sub-blocks 4-7", "[engine][kernels]") {
  const int sc[8] = {1, 2, 3, 4, 17, 33, 50, 63};
  const int mn[8] = {0, 5, 10, 63, 16, 31, 47, 62};
  BlockQ4_K b{};
  b.d = f32_to_fp16(1.0f);
  b.dmin = f32_to_fp16(0.5f);
  pack_k4_scales(sc, mn, b.scales);
  std::vector<float> want(256);
  for (int sub = 0; sub < 8; ++sub) {
    for (int l = 0; l < 32; ++l) {
      const int q = (l + 3 * sub) % 16;
      // Sub-block 2c lives in the low nibbles of bytes 32c..32c+31, sub-block 2c+1 in the high ones.
      std::uint8_t& byte = b.qs[32 * (sub / 2) + l];
      byte = static_cast<std::uint8_t>(sub % 2 == 0 ? (byte & 0xF0) | q : (byte & 0x0F) | (q << 4));
      want[32 * sub + l] = 1.0f * static_cast<float>(sc[sub] * q) - 0.5f * static_cast<float>(mn[sub]);
    }
  }
  std::vector<float> got(256);
  ref::dequantize_row_q4_K(&b, got.data(), 256);
  check_equal(got, want);
}

TEST_CASE("q5_K adds bit `sub-block` of qh[l] as the fifth bit", "[engine][kernels]") {
  const int sc[8] = {63, 1, 20, 40, 16, 15, 48, 9};
  const int mn[8] = {3, 0, 60, 1, 32, 17, 2, 63};
  BlockQ5_K b{};
  b.d = f32_to_fp16(0.25f);
  b.dmin = f32_to_fp16(2.0f);
  pack_k4_scales(sc, mn, b.scales);
  std::vector<float> want(256);
  for (int sub = 0; sub < 8; ++sub) {
    for (int l = 0; l < 32; ++l) {
      const int q = (l * 5 + sub * 7) % 32;
      std::uint8_t& byte = b.qs[32 * (sub / 2) + l];
      byte = static_cast<std::uint8_t>(sub % 2 == 0 ? (byte & 0xF0) | (q & 15) : (byte & 0x0F) | ((q & 15) << 4));
      b.qh[l] = static_cast<std::uint8_t>(b.qh[l] | ((q >> 4) << sub));
      want[32 * sub + l] = 0.25f * static_cast<float>(sc[sub] * q) - 2.0f * static_cast<float>(mn[sub]);
    }
  }
  std::vector<float> got(256);
  ref::dequantize_row_q5_K(&b, got.data(), 256);
  check_equal(got, want);
}

TEST_CASE("q6_K reassembles 6-bit quants from ql and qh with signed per-16 scales", "[engine][kernels]") {
  BlockQ6_K b{};
  b.d = f32_to_fp16(0.125f);
  for (int g = 0; g < 16; ++g) b.scales[g] = static_cast<std::int8_t>(g % 2 == 0 ? 3 * g + 1 : -5 * g);
  std::vector<float> want(256);
  for (int i = 0; i < 256; ++i) {
    const int q = (i * 13 + 7) % 64;
    const int half = i / 128;
    const int e = i % 128;      // position within the half
    const int group = e / 32;   // which of the 4 interleaved groups
    const int l = e % 32;
    std::uint8_t* ql = b.ql + 64 * half;
    std::uint8_t* qh = b.qh + 32 * half;
    // Groups 0/1 use the low nibbles of ql[l] / ql[l+32], groups 2/3 the high ones; qh[l] holds
    // the top two bits of group g at bits 2g..2g+1.
    std::uint8_t& low = ql[l + (group % 2) * 32];
    low = static_cast<std::uint8_t>(group < 2 ? (low & 0xF0) | (q & 15) : (low & 0x0F) | ((q & 15) << 4));
    qh[l] = static_cast<std::uint8_t>(qh[l] | ((q >> 4) << (2 * group)));
    want[i] = 0.125f * static_cast<float>(b.scales[i / 16]) * static_cast<float>(q - 32);
  }
  std::vector<float> got(256);
  ref::dequantize_row_q6_K(&b, got.data(), 256);
  check_equal(got, want);
}

TEST_CASE("f16 and bf16 rows dequantize element by element", "[engine][kernels]") {
  const std::vector<float> values = {1.0f, -2.5f, 0.0f, 65504.0f, 0.099975586f};
  std::vector<f16_t> h;
  std::vector<bf16_t> bh;
  for (float v : values) {
    h.push_back(f32_to_fp16(v));
    bh.push_back(f32_to_bf16(v));
  }
  std::vector<float> got(values.size());
  ref::dequantize_row_f16(h.data(), got.data(), static_cast<std::int64_t>(values.size()));
  check_equal(got, values);
  ref::dequantize_row_bf16(bh.data(), got.data(), 3);
  CHECK(got[0] == 1.0f);
  CHECK(got[1] == -2.5f);
  CHECK(got[2] == 0.0f);
}

}  // namespace reval::kernels
