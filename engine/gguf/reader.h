// GgufFile: a validated, read-only view of a GGUF file (v2/v3) mapped into memory.
//
// File layout (all integers little-endian; GGUF v3 as specified in ggml's docs/gguf.md):
//   header      u32 magic "GGUF" (bytes 47 47 55 46), u32 version, u64 n_tensors, u64 n_kv
//   metadata    n_kv x { string key, u32 value_type, value }
//   tensor info n_tensors x { string name, u32 n_dims (<= 4), u64 ne[n_dims], u32 ggml_type,
//                             u64 offset (relative to the data section, a multiple of the alignment) }
//   padding     to `general.alignment` (u32, power of two, default 32)
//   data        tensor bytes; a tensor of type T with ne[0..3] takes ne[0]/block(T)*bytes(T)*ne[1]*ne[2]*ne[3]
// string = u64 length + bytes (not NUL-terminated). value_type: 0 u8, 1 i8, 2 u16, 3 i16, 4 u32, 5 i32,
// 6 f32, 7 bool (one byte, 0 or 1), 8 string, 9 array (u32 element type, u64 count, elements; arrays
// may nest), 10 u64, 11 i64, 12 f64. ne[0] is the innermost (contiguous) dimension: a matrix with
// ne = {cols, rows} stores `rows` rows of `cols` elements.
//
// open() checks every length, count, offset and size against the file before anything is read, so
// a truncated, corrupt or unsupported file yields one error naming the key or tensor
// ("model.gguf: tensor 'blk.3.attn_q.weight': data outside file (...)"); it never reads out of bounds.
// A GgufFile is immutable after open() and safe to share across threads; every string_view and data
// pointer it hands out lives as long as the GgufFile (moving it keeps them valid).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/files.h"
#include "common/result.h"
#include "engine/gguf/tensor_type.h"

namespace reval::gguf {

inline constexpr std::uint32_t kGgufMagic = 0x46554747;  // "GGUF" read as little-endian u32
inline constexpr std::uint32_t kGgufVersion = 3;
inline constexpr std::uint32_t kDefaultAlignment = 32;
inline constexpr int kMaxDims = 4;
// Bound on array nesting, so a hostile file cannot recurse the reader off the stack.
inline constexpr int kMaxArrayDepth = 8;

enum class ValueType : std::uint32_t {
  kU8 = 0,
  kI8 = 1,
  kU16 = 2,
  kI16 = 3,
  kU32 = 4,
  kI32 = 5,
  kF32 = 6,
  kBool = 7,
  kString = 8,
  kArray = 9,
  kU64 = 10,
  kI64 = 11,
  kF64 = 12,
};

std::string_view value_type_name(ValueType type);
// Bytes of one element of a fixed-size type; 0 for string and array.
std::size_t value_type_size(ValueType type);

// One metadata value. Scalars are decoded; strings are views into the file; arrays of numbers keep
// a pointer to their (possibly unaligned) bytes and are decoded on request.
class GgufValue {
 public:
  ValueType type() const { return type_; }
  bool is_integer() const;
  bool is_float() const { return type_ == ValueType::kF32 || type_ == ValueType::kF64; }

  // Scalar accessors; preconditions: the matching is_*() / type() (checked).
  std::int64_t as_i64() const;   // any integer type except a u64 above INT64_MAX; bool as 0/1
  std::uint64_t as_u64() const;  // any non-negative integer
  double as_f64() const;         // f32, f64 or any integer
  bool as_bool() const;
  std::string_view as_string() const;

  // Arrays.
  ValueType element_type() const { return element_type_; }  // precondition: type() == kArray
  std::size_t size() const { return count_; }                 // number of array elements
  // Element i of an array of numbers (any numeric element type), as a scalar GgufValue.
  GgufValue element(std::size_t i) const;
  const std::vector<std::string_view>& strings() const { return strings_; }  // array of strings
  const std::vector<GgufValue>& arrays() const { return arrays_; }             // array of arrays

  // A short rendering for `model info` ("[151936 x string]", "1e-06", "\"qwen2\"").
  std::string to_display_string() const;

 private:
  friend class GgufParser;
  ValueType type_ = ValueType::kU8;
  ValueType element_type_ = ValueType::kU8;
  std::uint64_t bits_ = 0;  // scalar payload, zero-extended (integers) or the raw IEEE bits (floats)
  std::string_view string_;
  const std::uint8_t* raw_ = nullptr;  // array of numbers: first element in the file
  std::size_t count_ = 0;
  std::vector<std::string_view> strings_;
  std::vector<GgufValue> arrays_;
};

struct GgufKeyValue {
  std::string_view key;
  GgufValue value;
};

struct GgufTensorInfo {
  std::string_view name;
  TensorType type = TensorType::kF32;
  int n_dims = 0;
  std::array<std::uint64_t, kMaxDims> ne = {1, 1, 1, 1};  // unused trailing dims are 1
  std::uint64_t offset = 0;   // from the start of the data section
  std::uint64_t n_elements = 0;
  std::uint64_t n_bytes = 0;
  const std::uint8_t* data = nullptr;  // inside the mapping; aligned to the file's alignment

  std::uint64_t n_rows() const { return ne[1] * ne[2] * ne[3]; }
  std::uint64_t row_bytes() const { return n_rows() == 0 ? 0 : n_bytes / n_rows(); }
};

class GgufFile {
 public:
  // Maps and validates `path`. Errors start with the path.
  static Result<GgufFile> open(const std::string& path);
  // Validates bytes held by the caller (tests, fuzzing); they must outlive the GgufFile.
  // `name` prefixes error messages.
  static Result<GgufFile> parse(std::span<const std::uint8_t> bytes, std::string name);

  GgufFile(GgufFile&&) noexcept = default;
  GgufFile& operator=(GgufFile&&) noexcept = default;

  const std::string& name() const { return name_; }
  std::uint32_t version() const { return version_; }
  std::uint32_t alignment() const { return alignment_; }
  std::uint64_t data_offset() const { return data_offset_; }
  std::uint64_t file_size() const { return bytes_.size(); }
  std::span<const std::uint8_t> bytes() const { return bytes_; }
  // MappedFile::release_pages for a range of bytes(); nothing for parse()d files.
  void release_pages(const std::uint8_t* begin, std::size_t len) const {
    if (mapping_ != nullptr) mapping_->release_pages(begin, len);
  }

  // Metadata in file order, and lookup by key (nullptr when absent).
  const std::vector<GgufKeyValue>& metadata() const { return metadata_; }
  const GgufValue* find(std::string_view key) const;

  // Typed lookups. Absent key: kNotFound naming the key. Wrong type or out-of-range value:
  // kInvalidInput naming the key, the expected and the actual type. Integer getters accept any
  // integer type whose value fits; float getters accept f32, f64 and integers.
  Result<std::string_view> get_string(std::string_view key) const;
  Result<std::uint32_t> get_u32(std::string_view key) const;
  Result<std::int32_t> get_i32(std::string_view key) const;
  Result<std::uint64_t> get_u64(std::string_view key) const;
  Result<float> get_f32(std::string_view key) const;
  Result<bool> get_bool(std::string_view key) const;
  // The same with a fallback when the key is absent (a present key of the wrong type is still an error).
  Result<std::uint32_t> get_u32_or(std::string_view key, std::uint32_t fallback) const;
  Result<float> get_f32_or(std::string_view key, float fallback) const;
  Result<bool> get_bool_or(std::string_view key, bool fallback) const;

  // Arrays: strings as views into the file; numbers converted to T (an element that does not fit
  // T, or a non-numeric array, is an error naming the key and the index).
  Result<std::vector<std::string_view>> get_string_array(std::string_view key) const;
  template <typename T>
  Result<std::vector<T>> get_array(std::string_view key) const;

  // Tensors in file order, and lookup by name (nullptr when absent).
  const std::vector<GgufTensorInfo>& tensors() const { return tensors_; }
  const GgufTensorInfo* find_tensor(std::string_view name) const;

 private:
  friend class GgufParser;
  GgufFile() = default;
  Result<const GgufValue*> require(std::string_view key) const;
  Status type_error(std::string_view key, std::string_view expected, const GgufValue& value) const;

  std::string name_;
  std::unique_ptr<MappedFile> mapping_;  // null for parse(); stable address keeps views valid
  std::span<const std::uint8_t> bytes_;
  std::uint32_t version_ = 0;
  std::uint32_t alignment_ = kDefaultAlignment;
  std::uint64_t data_offset_ = 0;
  std::vector<GgufKeyValue> metadata_;
  std::vector<GgufTensorInfo> tensors_;
};

// Explicit instantiations live in reader.cpp.
extern template Result<std::vector<std::int32_t>> GgufFile::get_array(std::string_view) const;
extern template Result<std::vector<std::uint32_t>> GgufFile::get_array(std::string_view) const;
extern template Result<std::vector<std::int64_t>> GgufFile::get_array(std::string_view) const;
extern template Result<std::vector<std::uint64_t>> GgufFile::get_array(std::string_view) const;
extern template Result<std::vector<float>> GgufFile::get_array(std::string_view) const;
extern template Result<std::vector<double>> GgufFile::get_array(std::string_view) const;
extern template Result<std::vector<std::uint8_t>> GgufFile::get_array(std::string_view) const;
extern template Result<std::vector<std::int8_t>> GgufFile::get_array(std::string_view) const;

}  // namespace reval::gguf
