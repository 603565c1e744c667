// GgufWriter: builds a GGUF v3 file (layout: see engine/gguf/reader.h) from metadata and tensors.
// Tensor bytes are either owned by the writer or produced on demand in row chunks, so multi-GB
// models are written without holding them in memory. Not thread-safe; one writer per file.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "engine/gguf/reader.h"
#include "engine/gguf/tensor_type.h"

namespace reval::gguf {

// A metadata value to write. Build with the static constructors.
struct MetaValue {
  ValueType type = ValueType::kU8;
  ValueType element_type = ValueType::kU8;  // arrays
  std::uint64_t bits = 0;                   // scalars: integer bits or IEEE bits
  std::string string;
  std::vector<std::string> strings;         // array of strings
  std::vector<std::uint8_t> raw;            // array of fixed-size elements, little-endian bytes
  std::uint64_t count = 0;                  // array length
  std::vector<MetaValue> arrays;            // array of arrays

  static MetaValue u8(std::uint8_t v);
  static MetaValue i8(std::int8_t v);
  static MetaValue u16(std::uint16_t v);
  static MetaValue i16(std::int16_t v);
  static MetaValue u32(std::uint32_t v);
  static MetaValue i32(std::int32_t v);
  static MetaValue u64(std::uint64_t v);
  static MetaValue i64(std::int64_t v);
  static MetaValue f32(float v);
  static MetaValue f64(double v);
  static MetaValue boolean(bool v);
  static MetaValue str(std::string_view v);
  static MetaValue string_array(std::vector<std::string> v);
  static MetaValue f32_array(std::span<const float> v);
  static MetaValue i32_array(std::span<const std::int32_t> v);
  // An array of fixed-size elements from raw little-endian bytes (bytes.size() == count * size).
  static MetaValue numeric_array(ValueType element, std::span<const std::uint8_t> bytes);
  static MetaValue array_of_arrays(std::vector<MetaValue> v);
  // A deep copy of a value read from a file.
  static MetaValue copy_of(const GgufValue& v);
};

// Produces rows [row_begin, row_begin + n_rows) of a tensor into `out` (exactly their bytes).
using TensorRowSource =
    std::function<Status(std::uint64_t row_begin, std::uint64_t n_rows, std::span<std::uint8_t> out)>;

class GgufWriter {
 public:
  // Must be a power of two; written as general.alignment when not the default.
  void set_alignment(std::uint32_t alignment);

  // Adds or replaces a metadata entry (entries keep the order of first insertion).
  void set(std::string_view key, MetaValue value);
  bool has(std::string_view key) const;

  // Tensors, in file order. `ne` as in GGUF (ne[0] = row length, a multiple of the type's block size).
  // The owned-bytes form requires data.size() == the tensor's byte size (checked in write()).
  void add_tensor(std::string_view name, TensorType type, std::vector<std::uint64_t> ne,
                  std::vector<std::uint8_t> data);
  void add_tensor(std::string_view name, TensorType type, std::vector<std::uint64_t> ne, TensorRowSource source);

  // Writes the file through "path.tmp" + rename. Errors name the path or the tensor.
  Status write(const std::string& path) const;
  // The whole file in memory (tests, small files).
  Result<std::string> write_to_string() const;

 private:
  struct Tensor {
    std::string name;
    TensorType type;
    std::vector<std::uint64_t> ne;
    std::vector<std::uint8_t> data;
    TensorRowSource source;
    std::uint64_t n_bytes = 0;
    std::uint64_t n_rows = 0;
  };
  Status write_to(std::FILE* f, const std::string& where) const;
  Status validate() const;

  std::uint32_t alignment_ = kDefaultAlignment;
  std::vector<std::pair<std::string, MetaValue>> metadata_;
  std::vector<Tensor> tensors_;
};

}  // namespace reval::gguf
