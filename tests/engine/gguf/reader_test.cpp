#include <catch2/catch.hpp>

#include <cstring>

#include "engine/gguf/keys.h"
#include "engine/gguf/reader.h"
#include "engine/gguf/writer.h"
#include "tests/support/test_support.h"

namespace reval::gguf {
namespace {

std::span<const std::uint8_t> as_bytes(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

std::vector<std::uint8_t> float_bytes(const std::vector<float>& v) {
  std::vector<std::uint8_t> out(v.size() * 4);
  std::memcpy(out.data(), v.data(), out.size());
  return out;
}

GgufWriter sample_writer() {
  GgufWriter w;
  w.set(keys::kGeneralArchitecture, MetaValue::str("qwen2"));
  w.set("t.u8", MetaValue::u8(200));
  w.set("t.i8", MetaValue::i8(-5));
  w.set("t.u16", MetaValue::u16(60000));
  w.set("t.i16", MetaValue::i16(-30000));
  w.set("t.u32", MetaValue::u32(4000000000u));
  w.set("t.i32", MetaValue::i32(-7));
  w.set("t.u64", MetaValue::u64(1ull << 40));
  w.set("t.i64", MetaValue::i64(-(1ll << 40)));
  w.set("t.f32", MetaValue::f32(1e-6f));
  w.set("t.f64", MetaValue::f64(0.125));
  w.set("t.bool", MetaValue::boolean(true));
  w.set("t.strings", MetaValue::string_array({"a", "", "héllo"}));
  const std::vector<float> scores = {0.5f, -1.0f, 3.0f};
  w.set("t.scores", MetaValue::f32_array(scores));
  const std::vector<std::int32_t> ids = {1, -2, 3};
  w.set("t.ids", MetaValue::i32_array(ids));
  w.set("t.nested", MetaValue::array_of_arrays({MetaValue::string_array({"x", "y"}),
                                                MetaValue::array_of_arrays({MetaValue::i32_array(ids)})}));
  w.add_tensor("a.weight", TensorType::kF32, {4, 2}, float_bytes({1, 2, 3, 4, 5, 6, 7, 8}));
  w.add_tensor("b.weight", TensorType::kQ8_0, {32}, std::vector<std::uint8_t>(34, 7));
  return w;
}

}  // namespace

TEST_CASE("a file written by the writer reads back with every value type", "[engine][gguf]") {
  auto text = sample_writer().write_to_string();
  REQUIRE(text.ok());
  auto file = GgufFile::parse(as_bytes(*text), "mem.gguf");
  REQUIRE(file.ok());
  CHECK(file->version() == 3);
  CHECK(file->alignment() == 32);
  CHECK(file->data_offset() % 32 == 0);
  CHECK(*file->get_string(keys::kGeneralArchitecture) == "qwen2");
  CHECK(*file->get_u32("t.u8") == 200);
  CHECK(*file->get_i32("t.i8") == -5);
  CHECK(*file->get_u32("t.u16") == 60000);
  CHECK(*file->get_i32("t.i16") == -30000);
  CHECK(*file->get_u32("t.u32") == 4000000000u);
  CHECK(*file->get_i32("t.i32") == -7);
  CHECK(*file->get_u64("t.u64") == (1ull << 40));
  CHECK(file->find("t.i64")->as_i64() == -(1ll << 40));
  CHECK(*file->get_f32("t.f32") == 1e-6f);
  CHECK(*file->get_f32("t.f64") == 0.125f);
  CHECK(*file->get_bool("t.bool"));
  auto strings = file->get_string_array("t.strings");
  REQUIRE(strings.ok());
  CHECK(*strings == std::vector<std::string_view>{"a", "", "héllo"});
  CHECK(*file->get_array<float>("t.scores") == std::vector<float>{0.5f, -1.0f, 3.0f});
  CHECK(*file->get_array<std::int32_t>("t.ids") == std::vector<std::int32_t>{1, -2, 3});
  const GgufValue* nested = file->find("t.nested");
  REQUIRE(nested != nullptr);
  REQUIRE(nested->arrays().size() == 2);
  CHECK(nested->arrays()[0].strings()[1] == "y");
  CHECK(nested->arrays()[1].arrays()[0].element(1).as_i64() == -2);

  REQUIRE(file->tensors().size() == 2);
  const GgufTensorInfo* a = file->find_tensor("a.weight");
  REQUIRE(a != nullptr);
  CHECK(a->type == TensorType::kF32);
  CHECK(a->n_dims == 2);
  CHECK(a->ne[0] == 4);
  CHECK(a->ne[1] == 2);
  CHECK(a->n_rows() == 2);
  CHECK(a->n_bytes == 32);
  float values[8];
  std::memcpy(values, a->data, 32);
  CHECK(values[5] == 6.0f);
  const GgufTensorInfo* b = file->find_tensor("b.weight");
  REQUIRE(b != nullptr);
  CHECK(b->n_bytes == 34);
  CHECK(b->offset % 32 == 0);
  CHECK(b->data[33] == 7);
  CHECK(file->find_tensor("missing") == nullptr);
}

TEST_CASE("typed lookups name the key on a missing key or a wrong type", "[engine][gguf]") {
  auto text = sample_writer().write_to_string();
  REQUIRE(text.ok());
  auto file = GgufFile::parse(as_bytes(*text), "mem.gguf");
  REQUIRE(file.ok());
  auto missing = file->get_u32("qwen2.block_count");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().code() == StatusCode::kNotFound);
  CHECK(missing.status().message() == "mem.gguf: missing key 'qwen2.block_count'");
  auto wrong = file->get_u32(keys::kGeneralArchitecture);
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.status().message() == "mem.gguf: key 'general.architecture': expected an integer in u32 range, got string");
  auto negative = file->get_u32("t.i32");
  REQUIRE_FALSE(negative.ok());
  CHECK(negative.status().message().find("t.i32") != std::string::npos);
  auto not_strings = file->get_string_array("t.scores");
  REQUIRE_FALSE(not_strings.ok());
  CHECK(not_strings.status().message().find("got array of f32") != std::string::npos);
  CHECK(*file->get_u32_or("absent", 42) == 42);
  CHECK_FALSE(file->get_u32_or(keys::kGeneralArchitecture, 42).ok());
}

TEST_CASE("a custom alignment is written and honoured", "[engine][gguf]") {
  GgufWriter w;
  w.set_alignment(64);
  w.add_tensor("x", TensorType::kF32, {3}, float_bytes({1, 2, 3}));
  w.add_tensor("y", TensorType::kF32, {1}, float_bytes({9}));
  auto text = w.write_to_string();
  REQUIRE(text.ok());
  auto file = GgufFile::parse(as_bytes(*text), "mem.gguf");
  REQUIRE(file.ok());
  CHECK(file->alignment() == 64);
  CHECK(file->data_offset() % 64 == 0);
  CHECK(file->find_tensor("y")->offset == 64);
}

TEST_CASE("streamed tensors are written row chunk by row chunk", "[engine][gguf]") {
  test::TempDir dir;
  GgufWriter w;
  w.add_tensor("big", TensorType::kF32, {8, 3},
               [](std::uint64_t row, std::uint64_t n_rows, std::span<std::uint8_t> out) -> Status {
                 REQUIRE(out.size() == n_rows * 32);
                 for (std::uint64_t r = 0; r < n_rows; ++r) {
                   for (int c = 0; c < 8; ++c) {
                     const float v = static_cast<float>((row + r) * 10 + static_cast<std::uint64_t>(c));
                     std::memcpy(out.data() + r * 32 + static_cast<std::size_t>(c) * 4, &v, 4);
                   }
                 }
                 return Status::ok_status();
               });
  const std::string path = dir.file("s.gguf");
  REQUIRE(w.write(path).ok());
  auto file = GgufFile::open(path);
  REQUIRE(file.ok());
  const GgufTensorInfo* t = file->find_tensor("big");
  REQUIRE(t != nullptr);
  float v = 0;
  std::memcpy(&v, t->data + (2 * 8 + 5) * 4, 4);
  CHECK(v == 25.0f);
}

TEST_CASE("the writer rejects a tensor whose bytes do not match its shape", "[engine][gguf]") {
  GgufWriter w;
  w.add_tensor("short", TensorType::kF32, {4}, std::vector<std::uint8_t>(12));
  auto text = w.write_to_string();
  REQUIRE_FALSE(text.ok());
  CHECK(text.status().message() == "tensor 'short': has 12 bytes, its shape needs 16");
}

TEST_CASE("values copied from a file write back identically", "[engine][gguf]") {
  auto text = sample_writer().write_to_string();
  REQUIRE(text.ok());
  auto file = GgufFile::parse(as_bytes(*text), "mem.gguf");
  REQUIRE(file.ok());
  GgufWriter copy;
  for (const GgufKeyValue& kv : file->metadata()) copy.set(kv.key, MetaValue::copy_of(kv.value));
  for (const GgufTensorInfo& t : file->tensors()) {
    copy.add_tensor(t.name, t.type, std::vector<std::uint64_t>(t.ne.begin(), t.ne.begin() + t.n_dims),
                    std::vector<std::uint8_t>(t.data, t.data + t.n_bytes));
  }
  auto again = copy.write_to_string();
  REQUIRE(again.ok());
  CHECK(*again == *text);
}

}  // namespace reval::gguf
