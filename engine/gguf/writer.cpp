#include "engine/gguf/writer.h"

#include <unistd.h>

#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "common/check.h"
#include "engine/gguf/keys.h"

namespace reval::gguf {

namespace {

MetaValue scalar(ValueType type, std::uint64_t bits) {
  MetaValue v;
  v.type = type;
  v.bits = bits;
  return v;
}

// Rows per chunk when streaming a tensor through a TensorRowSource: about 16 MiB at a time.
constexpr std::uint64_t kChunkBytes = 16u << 20;

class Sink {
 public:
  Sink(std::FILE* f) : f_(f) {}
  void bytes(const void* p, std::size_t n) {
    if (ok_ && n > 0 && std::fwrite(p, 1, n, f_) != n) ok_ = false;
    written_ += n;
  }
  void u32(std::uint32_t v) { bytes(&v, 4); }
  void u64(std::uint64_t v) { bytes(&v, 8); }
  void str(std::string_view s) {
    u64(s.size());
    bytes(s.data(), s.size());
  }
  void pad_to(std::uint64_t alignment) {
    static const std::uint8_t zeros[256] = {};
    while (written_ % alignment != 0) {
      const std::uint64_t n = std::min<std::uint64_t>(alignment - written_ % alignment, sizeof zeros);
      bytes(zeros, static_cast<std::size_t>(n));
    }
  }
  void value(const MetaValue& v) {
    switch (v.type) {
      case ValueType::kString: str(v.string); return;
      case ValueType::kArray:
        u32(static_cast<std::uint32_t>(v.element_type));
        u64(v.count);
        if (v.element_type == ValueType::kString) {
          for (const std::string& s : v.strings) str(s);
        } else if (v.element_type == ValueType::kArray) {
          for (const MetaValue& a : v.arrays) value(a);
        } else {
          bytes(v.raw.data(), v.raw.size());
        }
        return;
      default: bytes(&v.bits, value_type_size(v.type)); return;
    }
  }
  bool ok() const { return ok_; }
  std::uint64_t written() const { return written_; }

 private:
  std::FILE* f_;
  bool ok_ = true;
  std::uint64_t written_ = 0;
};

}  // namespace

MetaValue MetaValue::u8(std::uint8_t v) { return scalar(ValueType::kU8, v); }
MetaValue MetaValue::i8(std::int8_t v) { return scalar(ValueType::kI8, static_cast<std::uint8_t>(v)); }
MetaValue MetaValue::u16(std::uint16_t v) { return scalar(ValueType::kU16, v); }
MetaValue MetaValue::i16(std::int16_t v) { return scalar(ValueType::kI16, static_cast<std::uint16_t>(v)); }
MetaValue MetaValue::u32(std::uint32_t v) { return scalar(ValueType::kU32, v); }
MetaValue MetaValue::i32(std::int32_t v) { return scalar(ValueType::kI32, static_cast<std::uint32_t>(v)); }
MetaValue MetaValue::u64(std::uint64_t v) { return scalar(ValueType::kU64, v); }
MetaValue MetaValue::i64(std::int64_t v) { return scalar(ValueType::kI64, static_cast<std::uint64_t>(v)); }
MetaValue MetaValue::f32(float v) { return scalar(ValueType::kF32, std::bit_cast<std::uint32_t>(v)); }
MetaValue MetaValue::f64(double v) { return scalar(ValueType::kF64, std::bit_cast<std::uint64_t>(v)); }
MetaValue MetaValue::boolean(bool v) { return scalar(ValueType::kBool, v ? 1 : 0); }

MetaValue MetaValue::str(std::string_view v) {
  MetaValue m;
  m.type = ValueType::kString;
  m.string = std::string(v);
  return m;
}

MetaValue MetaValue::string_array(std::vector<std::string> v) {
  MetaValue m;
  m.type = ValueType::kArray;
  m.element_type = ValueType::kString;
  m.count = v.size();
  m.strings = std::move(v);
  return m;
}

MetaValue MetaValue::numeric_array(ValueType element, std::span<const std::uint8_t> bytes) {
  const std::size_t size = value_type_size(element);
  REVAL_CHECK(size > 0 && bytes.size() % size == 0);
  MetaValue m;
  m.type = ValueType::kArray;
  m.element_type = element;
  m.count = bytes.size() / size;
  m.raw.assign(bytes.begin(), bytes.end());
  return m;
}

MetaValue MetaValue::f32_array(std::span<const float> v) {
  return numeric_array(ValueType::kF32,
                       std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(v.data()), v.size() * 4));
}

MetaValue MetaValue::i32_array(std::span<const std::int32_t> v) {
  return numeric_array(ValueType::kI32,
                       std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(v.data()), v.size() * 4));
}

MetaValue MetaValue::array_of_arrays(std::vector<MetaValue> v) {
  MetaValue m;
  m.type = ValueType::kArray;
  m.element_type = ValueType::kArray;
  m.count = v.size();
  m.arrays = std::move(v);
  return m;
}

MetaValue MetaValue::copy_of(const GgufValue& v) {
  switch (v.type()) {
    case ValueType::kString: return str(v.as_string());
    case ValueType::kArray: {
      if (v.element_type() == ValueType::kString) {
        return string_array(std::vector<std::string>(v.strings().begin(), v.strings().end()));
      }
      if (v.element_type() == ValueType::kArray) {
        std::vector<MetaValue> arrays;
        for (const GgufValue& a : v.arrays()) arrays.push_back(copy_of(a));
        return array_of_arrays(std::move(arrays));
      }
      const std::size_t size = value_type_size(v.element_type());
      std::vector<std::uint8_t> raw(v.size() * size);
      for (std::size_t i = 0; i < v.size(); ++i) {
        const GgufValue e = v.element(i);
        const std::uint64_t bits =
            e.is_integer() || e.type() == ValueType::kBool
                ? e.as_u64()
                : (e.type() == ValueType::kF32 ? std::bit_cast<std::uint32_t>(static_cast<float>(e.as_f64()))
                                               : std::bit_cast<std::uint64_t>(e.as_f64()));
        std::memcpy(raw.data() + i * size, &bits, size);
      }
      return numeric_array(v.element_type(), raw);
    }
    case ValueType::kF32: return f32(static_cast<float>(v.as_f64()));
    case ValueType::kF64: return f64(v.as_f64());
    case ValueType::kBool: return boolean(v.as_bool());
    default: return scalar(v.type(), v.as_u64() & (value_type_size(v.type()) == 8
                                                        ? ~std::uint64_t{0}
                                                        : ((std::uint64_t{1} << (8 * value_type_size(v.type()))) - 1)));
  }
}

void GgufWriter::set_alignment(std::uint32_t alignment) {
  REVAL_CHECK(alignment != 0 && (alignment & (alignment - 1)) == 0);
  alignment_ = alignment;
  if (alignment != kDefaultAlignment) set(keys::kGeneralAlignment, MetaValue::u32(alignment));
}

void GgufWriter::set(std::string_view key, MetaValue value) {
  for (auto& [k, v] : metadata_) {
    if (k == key) {
      v = std::move(value);
      return;
    }
  }
  metadata_.emplace_back(std::string(key), std::move(value));
}

bool GgufWriter::has(std::string_view key) const {
  for (const auto& kv : metadata_) {
    if (kv.first == key) return true;
  }
  return false;
}

void GgufWriter::add_tensor(std::string_view name, TensorType type, std::vector<std::uint64_t> ne,
                            std::vector<std::uint8_t> data) {
  Tensor t{std::string(name), type, std::move(ne), std::move(data), nullptr, 0, 0};
  tensors_.push_back(std::move(t));
}

void GgufWriter::add_tensor(std::string_view name, TensorType type, std::vector<std::uint64_t> ne,
                            TensorRowSource source) {
  Tensor t{std::string(name), type, std::move(ne), {}, std::move(source), 0, 0};
  tensors_.push_back(std::move(t));
}

Status GgufWriter::validate() const {
  for (const Tensor& t : tensors_) {
    const std::string what = "tensor '" + t.name + "'";
    if (t.ne.empty() || t.ne.size() > static_cast<std::size_t>(kMaxDims)) {
      return invalid_input_error(what + ": needs 1 to 4 dimensions");
    }
    const TensorTypeInfo info = tensor_type_info(t.type);
    if (t.ne[0] % info.block_size != 0) {
      return invalid_input_error(what + ": row length " + std::to_string(t.ne[0]) + " is not a multiple of " +
                                 std::to_string(info.block_size));
    }
    if (!t.source) {
      std::uint64_t n = 1;
      for (std::uint64_t d : t.ne) n *= d;
      const std::uint64_t n_bytes = n / info.block_size * info.block_bytes;
      if (t.data.size() != n_bytes) {
        return invalid_input_error(what + ": has " + std::to_string(t.data.size()) + " bytes, its shape needs " +
                                   std::to_string(n_bytes));
      }
    }
  }
  return Status::ok_status();
}

Status GgufWriter::write_to(std::FILE* f, const std::string& where) const {
  REVAL_RETURN_IF_ERROR(validate());
  Sink sink(f);
  sink.u32(kGgufMagic);
  sink.u32(kGgufVersion);
  sink.u64(tensors_.size());
  sink.u64(metadata_.size());
  for (const auto& [key, value] : metadata_) {
    sink.str(key);
    sink.u32(static_cast<std::uint32_t>(value.type));
    sink.value(value);
  }
  std::uint64_t offset = 0;
  for (const Tensor& t : tensors_) {
    sink.str(t.name);
    sink.u32(static_cast<std::uint32_t>(t.ne.size()));
    for (std::uint64_t d : t.ne) sink.u64(d);
    sink.u32(static_cast<std::uint32_t>(t.type));
    sink.u64(offset);
    std::uint64_t n = 1;
    for (std::uint64_t d : t.ne) n *= d;
    const TensorTypeInfo info = tensor_type_info(t.type);
    offset += (n / info.block_size * info.block_bytes + alignment_ - 1) / alignment_ * alignment_;
  }
  sink.pad_to(alignment_);
  std::vector<std::uint8_t> buffer;
  for (const Tensor& t : tensors_) {
    if (!t.source) {
      sink.bytes(t.data.data(), t.data.size());
    } else {
      const std::uint64_t row_bytes = tensor_row_bytes(t.type, t.ne[0]);
      std::uint64_t n_rows = 1;
      for (std::size_t d = 1; d < t.ne.size(); ++d) n_rows *= t.ne[d];
      const std::uint64_t chunk_rows = std::max<std::uint64_t>(1, kChunkBytes / std::max<std::uint64_t>(row_bytes, 1));
      for (std::uint64_t row = 0; row < n_rows; row += chunk_rows) {
        const std::uint64_t rows = std::min(chunk_rows, n_rows - row);
        buffer.assign(static_cast<std::size_t>(rows * row_bytes), 0);
        Status st = t.source(row, rows, buffer);
        if (!st.ok()) return st.with_context("tensor '" + t.name + "'");
        sink.bytes(buffer.data(), buffer.size());
      }
    }
    sink.pad_to(alignment_);
    if (!sink.ok()) break;
  }
  if (!sink.ok() || std::fflush(f) != 0) return errno_error("write " + where, errno);
  return Status::ok_status();
}

Status GgufWriter::write(const std::string& path) const {
  const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) return errno_error("open " + tmp, errno);
  Status st = write_to(f, tmp);
  if (std::fclose(f) != 0 && st.ok()) st = errno_error("close " + tmp, errno);
  if (st.ok() && std::rename(tmp.c_str(), path.c_str()) != 0) st = errno_error("rename to " + path, errno);
  if (!st.ok()) std::remove(tmp.c_str());
  return st;
}

Result<std::string> GgufWriter::write_to_string() const {
  char* buf = nullptr;
  std::size_t size = 0;
  std::FILE* f = open_memstream(&buf, &size);
  if (f == nullptr) return errno_error("open_memstream", errno);
  Status st = write_to(f, "memory");
  std::fclose(f);
  std::string out(buf, size);
  std::free(buf);
  if (!st.ok()) return st;
  return out;
}

}  // namespace reval::gguf
