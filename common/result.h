// Result<T>: a value or a non-ok Status (std::expected is not in the Debian 12 toolchain).
#pragma once

#include <optional>
#include <type_traits>
#include <utility>

#include "common/check.h"
#include "common/status.h"

namespace reval {

template <typename T>
class [[nodiscard]] Result {
 public:
  // Implicit so functions can `return value;` or `return some_error(...);`.
  Result(T value) : value_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Status status) : status_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    REVAL_CHECK(!status_.ok() && "Result constructed from an ok Status without a value");
  }

  bool ok() const { return value_.has_value(); }
  // The error; an ok Result returns an ok Status.
  const Status& status() const { return status_; }

  // Precondition: ok(). Checked: calling value() on an error is a programmer error.
  T& value() & {
    REVAL_CHECK(ok());
    return *value_;
  }
  const T& value() const& {
    REVAL_CHECK(ok());
    return *value_;
  }
  T&& value() && {
    REVAL_CHECK(ok());
    return std::move(*value_);
  }
  T value_or(T fallback) const& { return ok() ? *value_ : std::move(fallback); }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace reval
