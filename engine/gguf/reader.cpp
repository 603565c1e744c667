#include "engine/gguf/reader.h"

#include <bit>
#include <cinttypes>
#include <cstring>
#include <limits>
#include <unordered_set>

#include "common/check.h"
#include "engine/gguf/keys.h"

namespace reval::gguf {

std::string_view value_type_name(ValueType type) {
  switch (type) {
    case ValueType::kU8: return "u8";
    case ValueType::kI8: return "i8";
    case ValueType::kU16: return "u16";
    case ValueType::kI16: return "i16";
    case ValueType::kU32: return "u32";
    case ValueType::kI32: return "i32";
    case ValueType::kF32: return "f32";
    case ValueType::kBool: return "bool";
    case ValueType::kString: return "string";
    case ValueType::kArray: return "array";
    case ValueType::kU64: return "u64";
    case ValueType::kI64: return "i64";
    case ValueType::kF64: return "f64";
  }
  return "?";
}

std::size_t value_type_size(ValueType type) {
  switch (type) {
    case ValueType::kU8:
    case ValueType::kI8:
    case ValueType::kBool: return 1;
    case ValueType::kU16:
    case ValueType::kI16: return 2;
    case ValueType::kU32:
    case ValueType::kI32:
    case ValueType::kF32: return 4;
    case ValueType::kU64:
    case ValueType::kI64:
    case ValueType::kF64: return 8;
    case ValueType::kString:
    case ValueType::kArray: return 0;
  }
  return 0;
}

namespace {

bool is_valid_value_type(std::uint32_t id) { return id <= static_cast<std::uint32_t>(ValueType::kF64); }

// Reads an unsigned little-endian integer of `n` bytes (the host is little-endian: x86-64/aarch64).
std::uint64_t load_le(const std::uint8_t* p, std::size_t n) {
  std::uint64_t v = 0;
  std::memcpy(&v, p, n);
  return v;
}

// Sign-extends the low `n_bytes` of `bits`.
std::int64_t sign_extend(std::uint64_t bits, std::size_t n_bytes) {
  if (n_bytes >= 8) return static_cast<std::int64_t>(bits);
  const unsigned shift = static_cast<unsigned>(64 - 8 * n_bytes);
  return static_cast<std::int64_t>(bits << shift) >> shift;
}

bool is_signed(ValueType t) {
  return t == ValueType::kI8 || t == ValueType::kI16 || t == ValueType::kI32 || t == ValueType::kI64;
}

std::string quoted(std::string_view s) {
  std::string out = "'";
  out.append(s.substr(0, 200));
  if (s.size() > 200) out += "...";
  out += "'";
  return out;
}

}  // namespace

// ---- GgufValue -------------------------------------------------------------------------------

bool GgufValue::is_integer() const {
  switch (type_) {
    case ValueType::kU8:
    case ValueType::kI8:
    case ValueType::kU16:
    case ValueType::kI16:
    case ValueType::kU32:
    case ValueType::kI32:
    case ValueType::kU64:
    case ValueType::kI64: return true;
    default: return false;
  }
}

std::int64_t GgufValue::as_i64() const {
  REVAL_CHECK(is_integer() || type_ == ValueType::kBool);
  if (is_signed(type_)) return sign_extend(bits_, value_type_size(type_));
  return static_cast<std::int64_t>(bits_);
}

std::uint64_t GgufValue::as_u64() const {
  REVAL_CHECK(is_integer() || type_ == ValueType::kBool);
  return is_signed(type_) ? static_cast<std::uint64_t>(as_i64()) : bits_;
}

double GgufValue::as_f64() const {
  if (type_ == ValueType::kF32) {
    return static_cast<double>(std::bit_cast<float>(static_cast<std::uint32_t>(bits_)));
  }
  if (type_ == ValueType::kF64) return std::bit_cast<double>(bits_);
  REVAL_CHECK(is_integer());
  return is_signed(type_) ? static_cast<double>(as_i64()) : static_cast<double>(bits_);
}

bool GgufValue::as_bool() const {
  REVAL_CHECK(type_ == ValueType::kBool);
  return bits_ != 0;
}

std::string_view GgufValue::as_string() const {
  REVAL_CHECK(type_ == ValueType::kString);
  return string_;
}

GgufValue GgufValue::element(std::size_t i) const {
  REVAL_CHECK(type_ == ValueType::kArray && raw_ != nullptr && i < count_);
  const std::size_t size = value_type_size(element_type_);
  GgufValue v;
  v.type_ = element_type_;
  v.bits_ = load_le(raw_ + i * size, size);
  return v;
}

std::string GgufValue::to_display_string() const {
  switch (type_) {
    case ValueType::kString: {
      std::string s(string_.substr(0, 60));
      for (char& c : s) {
        if (c == '\n') c = ' ';
      }
      return "\"" + s + (string_.size() > 60 ? "...\"" : "\"");
    }
    case ValueType::kArray:
      return "[" + std::to_string(count_) + " x " + std::string(value_type_name(element_type_)) + "]";
    case ValueType::kBool: return bits_ ? "true" : "false";
    case ValueType::kF32:
    case ValueType::kF64: {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%g", as_f64());
      return buf;
    }
    default:
      return is_signed(type_) ? std::to_string(as_i64()) : std::to_string(bits_);
  }
}

// ---- parsing ---------------------------------------------------------------------------------

// Walks the bytes once with a bounds-checked cursor and fills a GgufFile.
class GgufParser {
 public:
  GgufParser(GgufFile& file) : file_(file), data_(file.bytes_.data()), size_(file.bytes_.size()) {}

  Status parse() {
    if (size_ < 24) {
      return error("truncated header (file is " + std::to_string(size_) + " bytes, a GGUF header needs 24)");
    }
    const std::uint64_t magic = load_le(data_, 4);
    if (magic != kGgufMagic) {
      char buf[96];
      std::snprintf(buf, sizeof buf, "bad magic 0x%08" PRIx64 " (not a GGUF file; expected \"GGUF\")", magic);
      return error(buf);
    }
    pos_ = 4;
    const std::uint64_t version = read_unchecked(4);
    if (version != 2 && version != 3) {
      return error("unsupported GGUF version " + std::to_string(version) + " (reval reads versions 2 and 3)");
    }
    file_.version_ = static_cast<std::uint32_t>(version);
    const std::uint64_t n_tensors = read_unchecked(8);
    const std::uint64_t n_kv = read_unchecked(8);
    REVAL_RETURN_IF_ERROR(parse_metadata(n_kv));
    REVAL_RETURN_IF_ERROR(read_alignment());
    REVAL_RETURN_IF_ERROR(parse_tensor_infos(n_tensors));
    return place_tensors();
  }

 private:
  Status error(const std::string& message) const {
    return invalid_input_error(file_.name_ + ": " + message);
  }
  std::uint64_t remaining() const { return size_ - pos_; }
  std::uint64_t read_unchecked(std::size_t n) {
    const std::uint64_t v = load_le(data_ + pos_, n);
    pos_ += n;
    return v;
  }
  // Reads an n-byte integer; `what` names the field for the error.
  Result<std::uint64_t> read_int(std::size_t n, const std::string& what) {
    if (remaining() < n) {
      return error(what + ": truncated at offset " + std::to_string(pos_) + " (file size " +
                   std::to_string(size_) + ")");
    }
    return read_unchecked(n);
  }
  Result<std::string_view> read_string(const std::string& what) {
    REVAL_ASSIGN_OR_RETURN(const std::uint64_t length, read_int(8, what + ": string length"));
    if (length > remaining()) {
      return error(what + ": string length " + std::to_string(length) + " runs past end of file (at offset " +
                   std::to_string(pos_) + ", file size " + std::to_string(size_) + ")");
    }
    std::string_view s(reinterpret_cast<const char*>(data_ + pos_), static_cast<std::size_t>(length));
    pos_ += length;
    return s;
  }

  Status parse_metadata(std::uint64_t n_kv) {
    // Each entry takes at least 8 (key length) + 4 (type) + 1 bytes; bound before reserving.
    if (n_kv > remaining() / 13) {
      return error("metadata count " + std::to_string(n_kv) + " is larger than the file allows");
    }
    file_.metadata_.reserve(static_cast<std::size_t>(n_kv));
    std::unordered_set<std::string_view> seen;
    for (std::uint64_t i = 0; i < n_kv; ++i) {
      const std::string entry = "metadata entry " + std::to_string(i) + " of " + std::to_string(n_kv);
      REVAL_ASSIGN_OR_RETURN(const std::string_view key, read_string(entry + ": key"));
      const std::string what = "key " + quoted(key);
      if (!seen.insert(key).second) return error(what + ": duplicate key");
      REVAL_ASSIGN_OR_RETURN(const std::uint64_t type_id, read_int(4, what + ": value type"));
      GgufKeyValue kv;
      kv.key = key;
      REVAL_RETURN_IF_ERROR(parse_value(type_id, what, 0, kv.value));
      file_.metadata_.push_back(std::move(kv));
    }
    return Status::ok_status();
  }

  Status parse_value(std::uint64_t type_id, const std::string& what, int depth, GgufValue& out) {
    if (!is_valid_value_type(static_cast<std::uint32_t>(type_id)) || type_id > 0xffffffffu) {
      return error(what + ": unknown value type " + std::to_string(type_id));
    }
    out.type_ = static_cast<ValueType>(type_id);
    if (out.type_ == ValueType::kString) {
      REVAL_ASSIGN_OR_RETURN(out.string_, read_string(what));
      return Status::ok_status();
    }
    if (out.type_ == ValueType::kArray) return parse_array(what, depth, out);
    const std::size_t size = value_type_size(out.type_);
    REVAL_ASSIGN_OR_RETURN(out.bits_, read_int(size, what + ": value"));
    if (out.type_ == ValueType::kBool && out.bits_ > 1) {
      return error(what + ": bool value " + std::to_string(out.bits_) + " is neither 0 nor 1");
    }
    return Status::ok_status();
  }

  Status parse_array(const std::string& what, int depth, GgufValue& out) {
    if (depth >= kMaxArrayDepth) {
      return error(what + ": arrays nested deeper than " + std::to_string(kMaxArrayDepth));
    }
    REVAL_ASSIGN_OR_RETURN(const std::uint64_t element_id, read_int(4, what + ": array element type"));
    if (element_id > 0xffffffffu || !is_valid_value_type(static_cast<std::uint32_t>(element_id))) {
      return error(what + ": unknown array element type " + std::to_string(element_id));
    }
    out.element_type_ = static_cast<ValueType>(element_id);
    REVAL_ASSIGN_OR_RETURN(const std::uint64_t count, read_int(8, what + ": array length"));
    const std::size_t element_size = value_type_size(out.element_type_);
    // Smallest encoding of one element: its fixed size, 8 bytes for a string, 12 for an array header.
    const std::size_t min_size =
        element_size > 0 ? element_size : (out.element_type_ == ValueType::kString ? 8 : 12);
    if (count > remaining() / min_size) {
      return error(what + ": array of " + std::to_string(count) + " " +
                   std::string(value_type_name(out.element_type_)) + " runs past end of file (at offset " +
                   std::to_string(pos_) + ", file size " + std::to_string(size_) + ")");
    }
    out.count_ = static_cast<std::size_t>(count);
    if (element_size > 0) {
      out.raw_ = data_ + pos_;
      pos_ += count * element_size;
      return Status::ok_status();
    }
    if (out.element_type_ == ValueType::kString) {
      out.strings_.reserve(out.count_);
      for (std::uint64_t i = 0; i < count; ++i) {
        REVAL_ASSIGN_OR_RETURN(const std::string_view s, read_string(what + "[" + std::to_string(i) + "]"));
        out.strings_.push_back(s);
      }
      return Status::ok_status();
    }
    out.arrays_.resize(out.count_);
    for (std::uint64_t i = 0; i < count; ++i) {
      REVAL_RETURN_IF_ERROR(parse_value(static_cast<std::uint64_t>(ValueType::kArray),
                                        what + "[" + std::to_string(i) + "]", depth + 1, out.arrays_[i]));
    }
    return Status::ok_status();
  }

  Status read_alignment() {
    const GgufValue* value = file_.find(keys::kGeneralAlignment);
    if (value == nullptr) return Status::ok_status();
    const std::string what = "key " + quoted(keys::kGeneralAlignment);
    if (value->type() != ValueType::kU32) {
      return error(what + ": expected u32, got " + std::string(value_type_name(value->type())));
    }
    const std::uint64_t alignment = value->as_u64();
    if (alignment == 0 || (alignment & (alignment - 1)) != 0) {
      return error(what + ": alignment " + std::to_string(alignment) + " is not a power of two");
    }
    file_.alignment_ = static_cast<std::uint32_t>(alignment);
    return Status::ok_status();
  }

  Status parse_tensor_infos(std::uint64_t n_tensors) {
    // Each info takes at least 8 (name length) + 4 (n_dims) + 4 (type) + 8 (offset) bytes.
    if (n_tensors > remaining() / 24) {
      return error("tensor count " + std::to_string(n_tensors) + " is larger than the file allows");
    }
    file_.tensors_.reserve(static_cast<std::size_t>(n_tensors));
    std::unordered_set<std::string_view> seen;
    for (std::uint64_t i = 0; i < n_tensors; ++i) {
      const std::string entry = "tensor info " + std::to_string(i) + " of " + std::to_string(n_tensors);
      GgufTensorInfo info;
      REVAL_ASSIGN_OR_RETURN(info.name, read_string(entry + ": name"));
      const std::string what = "tensor " + quoted(info.name);
      if (!seen.insert(info.name).second) return error(what + ": duplicate tensor name");
      REVAL_RETURN_IF_ERROR(parse_tensor_shape(what, info));
      file_.tensors_.push_back(info);
    }
    return Status::ok_status();
  }

  Status parse_tensor_shape(const std::string& what, GgufTensorInfo& info) {
    REVAL_ASSIGN_OR_RETURN(const std::uint64_t n_dims, read_int(4, what + ": n_dims"));
    if (n_dims > static_cast<std::uint64_t>(kMaxDims)) {
      return error(what + ": " + std::to_string(n_dims) + " dimensions (at most " + std::to_string(kMaxDims) +
                   ")");
    }
    info.n_dims = static_cast<int>(n_dims);
    std::uint64_t n_elements = 1;
    bool overflow = false;
    std::string shape;
    for (int d = 0; d < info.n_dims; ++d) {
      REVAL_ASSIGN_OR_RETURN(info.ne[d], read_int(8, what + ": ne[" + std::to_string(d) + "]"));
      shape += (d ? ", " : "") + std::to_string(info.ne[d]);
      if (info.ne[d] > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) overflow = true;
      if (__builtin_mul_overflow(n_elements, info.ne[d], &n_elements)) overflow = true;
    }
    if (overflow || n_elements > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return error(what + ": element count overflows (ne = [" + shape + "])");
    }
    info.n_elements = n_elements;
    REVAL_ASSIGN_OR_RETURN(const std::uint64_t type_id, read_int(4, what + ": type"));
    const auto type_info = tensor_type_info(static_cast<std::uint32_t>(type_id));
    if (type_id > 0xffffffffu || !type_info) {
      return error(what + ": unknown tensor type " + std::to_string(type_id));
    }
    info.type = type_info->type;
    if (info.ne[0] % type_info->block_size != 0) {
      return error(what + ": row length " + std::to_string(info.ne[0]) + " is not a multiple of the " +
                   std::string(type_info->name) + " block size " + std::to_string(type_info->block_size));
    }
    // n_elements / block_size * block_bytes cannot overflow: block_bytes <= 8 * block_size... except
    // for types whose bytes per element exceed 8, which none are; checked anyway.
    if (__builtin_mul_overflow(n_elements / type_info->block_size, std::uint64_t{type_info->block_bytes},
                               &info.n_bytes)) {
      return error(what + ": byte size overflows (ne = [" + shape + "])");
    }
    REVAL_ASSIGN_OR_RETURN(info.offset, read_int(8, what + ": offset"));
    if (info.offset % file_.alignment_ != 0) {
      return error(what + ": offset " + std::to_string(info.offset) + " is not a multiple of the alignment " +
                   std::to_string(file_.alignment_));
    }
    return Status::ok_status();
  }

  Status place_tensors() {
    const std::uint64_t alignment = file_.alignment_;
    const std::uint64_t data_offset = (pos_ + alignment - 1) / alignment * alignment;
    file_.data_offset_ = data_offset;
    for (GgufTensorInfo& info : file_.tensors_) {
      std::uint64_t begin = 0;
      std::uint64_t end = 0;
      const bool overflow = __builtin_add_overflow(data_offset, info.offset, &begin) ||
                            __builtin_add_overflow(begin, info.n_bytes, &end);
      if (overflow || end > size_) {
        return error("tensor " + quoted(info.name) + ": data outside file (offset " + std::to_string(info.offset) +
                     ", size " + std::to_string(info.n_bytes) + ", data section starts at " +
                     std::to_string(data_offset) + ", file size " + std::to_string(size_) + ")");
      }
      info.data = data_ + begin;
    }
    return Status::ok_status();
  }

  GgufFile& file_;
  const std::uint8_t* data_;
  std::uint64_t size_;
  std::uint64_t pos_ = 0;
};

// ---- GgufFile --------------------------------------------------------------------------------

Result<GgufFile> GgufFile::open(const std::string& path) {
  REVAL_ASSIGN_OR_RETURN(MappedFile mapped, MappedFile::open(path));
  GgufFile file;
  file.name_ = path;
  file.mapping_ = std::make_unique<MappedFile>(std::move(mapped));
  file.bytes_ = std::span<const std::uint8_t>(file.mapping_->data(), file.mapping_->size());
  REVAL_RETURN_IF_ERROR(GgufParser(file).parse());
  return file;
}

Result<GgufFile> GgufFile::parse(std::span<const std::uint8_t> bytes, std::string name) {
  GgufFile file;
  file.name_ = std::move(name);
  file.bytes_ = bytes;
  REVAL_RETURN_IF_ERROR(GgufParser(file).parse());
  return file;
}

const GgufValue* GgufFile::find(std::string_view key) const {
  for (const GgufKeyValue& kv : metadata_) {
    if (kv.key == key) return &kv.value;
  }
  return nullptr;
}

const GgufTensorInfo* GgufFile::find_tensor(std::string_view name) const {
  for (const GgufTensorInfo& info : tensors_) {
    if (info.name == name) return &info;
  }
  return nullptr;
}

}  // namespace reval::gguf
