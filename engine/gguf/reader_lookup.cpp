// GgufFile's typed metadata lookups: one place that decides which stored types satisfy which getter.
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "engine/gguf/reader.h"

namespace reval::gguf {

Result<const GgufValue*> GgufFile::require(std::string_view key) const {
  const GgufValue* value = find(key);
  if (value == nullptr) return not_found_error(name_ + ": missing key '" + std::string(key) + "'");
  return value;
}

Status GgufFile::type_error(std::string_view key, std::string_view expected, const GgufValue& value) const {
  std::string actual(value_type_name(value.type()));
  if (value.type() == ValueType::kArray) actual += " of " + std::string(value_type_name(value.element_type()));
  return invalid_input_error(name_ + ": key '" + std::string(key) + "': expected " + std::string(expected) +
                             ", got " + actual);
}

namespace {

// Converts an integer value to T when it fits; nullopt otherwise.
template <typename T>
std::optional<T> integer_as(const GgufValue& value) {
  if (!value.is_integer()) return std::nullopt;
  const bool negative = value.type() == ValueType::kI8 || value.type() == ValueType::kI16 ||
                                value.type() == ValueType::kI32 || value.type() == ValueType::kI64
                            ? value.as_i64() < 0
                            : false;
  if (negative) {
    const std::int64_t v = value.as_i64();
    if constexpr (std::is_signed_v<T>) {
      if (v >= static_cast<std::int64_t>(std::numeric_limits<T>::min())) return static_cast<T>(v);
    }
    return std::nullopt;
  }
  const std::uint64_t v = value.as_u64();
  if (v > static_cast<std::uint64_t>(std::numeric_limits<T>::max())) return std::nullopt;
  return static_cast<T>(v);
}

// Converts any numeric value to T (integers must fit; floats convert to float types only).
template <typename T>
std::optional<T> number_as(const GgufValue& value) {
  if constexpr (std::is_floating_point_v<T>) {
    if (value.is_float() || value.is_integer()) return static_cast<T>(value.as_f64());
    return std::nullopt;
  } else {
    return integer_as<T>(value);
  }
}

}  // namespace

Result<std::string_view> GgufFile::get_string(std::string_view key) const {
  REVAL_ASSIGN_OR_RETURN(const GgufValue* value, require(key));
  if (value->type() != ValueType::kString) return type_error(key, "string", *value);
  return value->as_string();
}

Result<std::uint32_t> GgufFile::get_u32(std::string_view key) const {
  REVAL_ASSIGN_OR_RETURN(const GgufValue* value, require(key));
  auto v = integer_as<std::uint32_t>(*value);
  if (!v) return type_error(key, "an integer in u32 range", *value);
  return *v;
}

Result<std::int32_t> GgufFile::get_i32(std::string_view key) const {
  REVAL_ASSIGN_OR_RETURN(const GgufValue* value, require(key));
  auto v = integer_as<std::int32_t>(*value);
  if (!v) return type_error(key, "an integer in i32 range", *value);
  return *v;
}

Result<std::uint64_t> GgufFile::get_u64(std::string_view key) const {
  REVAL_ASSIGN_OR_RETURN(const GgufValue* value, require(key));
  auto v = integer_as<std::uint64_t>(*value);
  if (!v) return type_error(key, "a non-negative integer", *value);
  return *v;
}

Result<float> GgufFile::get_f32(std::string_view key) const {
  REVAL_ASSIGN_OR_RETURN(const GgufValue* value, require(key));
  if (!value->is_float() && !value->is_integer()) return type_error(key, "a number", *value);
  return static_cast<float>(value->as_f64());
}

Result<bool> GgufFile::get_bool(std::string_view key) const {
  REVAL_ASSIGN_OR_RETURN(const GgufValue* value, require(key));
  if (value->type() != ValueType::kBool) return type_error(key, "bool", *value);
  return value->as_bool();
}

Result<std::uint32_t> GgufFile::get_u32_or(std::string_view key, std::uint32_t fallback) const {
  if (find(key) == nullptr) return fallback;
  return get_u32(key);
}

Result<float> GgufFile::get_f32_or(std::string_view key, float fallback) const {
  if (find(key) == nullptr) return fallback;
  return get_f32(key);
}

Result<bool> GgufFile::get_bool_or(std::string_view key, bool fallback) const {
  if (find(key) == nullptr) return fallback;
  return get_bool(key);
}

Result<std::vector<std::string_view>> GgufFile::get_string_array(std::string_view key) const {
  REVAL_ASSIGN_OR_RETURN(const GgufValue* value, require(key));
  if (value->type() != ValueType::kArray || value->element_type() != ValueType::kString) {
    return type_error(key, "array of string", *value);
  }
  return value->strings();
}

template <typename T>
Result<std::vector<T>> GgufFile::get_array(std::string_view key) const {
  REVAL_ASSIGN_OR_RETURN(const GgufValue* value, require(key));
  const ValueType element = value->element_type();
  if (value->type() != ValueType::kArray || value_type_size(element) == 0 || element == ValueType::kBool) {
    return type_error(key, "array of numbers", *value);
  }
  std::vector<T> out;
  out.reserve(value->size());
  for (std::size_t i = 0; i < value->size(); ++i) {
    auto v = number_as<T>(value->element(i));
    if (!v) {
      return invalid_input_error(name_ + ": key '" + std::string(key) + "'[" + std::to_string(i) +
                                 "]: value " + value->element(i).to_display_string() + " out of range");
    }
    out.push_back(*v);
  }
  return out;
}

template Result<std::vector<std::int32_t>> GgufFile::get_array(std::string_view) const;
template Result<std::vector<std::uint32_t>> GgufFile::get_array(std::string_view) const;
template Result<std::vector<std::int64_t>> GgufFile::get_array(std::string_view) const;
template Result<std::vector<std::uint64_t>> GgufFile::get_array(std::string_view) const;
template Result<std::vector<float>> GgufFile::get_array(std::string_view) const;
template Result<std::vector<double>> GgufFile::get_array(std::string_view) const;
template Result<std::vector<std::uint8_t>> GgufFile::get_array(std::string_view) const;
template Result<std::vector<std::int8_t>> GgufFile::get_array(std::string_view) const;

}  // namespace reval::gguf
