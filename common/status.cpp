#include "common/status.h"

#include <cstring>

namespace reval {

std::string_view status_code_name(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kUsage: return "usage";
    case StatusCode::kInvalidInput: return "invalid_input";
    case StatusCode::kNotFound: return "not_found";
    case StatusCode::kIoError: return "io_error";
    case StatusCode::kNetwork: return "network";
    case StatusCode::kSandbox: return "sandbox";
    case StatusCode::kResourceExhausted: return "resource_exhausted";
    case StatusCode::kCancelled: return "cancelled";
    case StatusCode::kUnimplemented: return "unimplemented";
    case StatusCode::kInternal: return "internal";
  }
  return "unknown";
}

Status Status::with_context(std::string_view context) const {
  if (ok()) return *this;
  std::string message(context);
  message += ": ";
  message += message_;
  return Status(code_, std::move(message));
}

std::string Status::to_string() const { return ok() ? std::string("ok") : message_; }

Status usage_error(std::string message) { return {StatusCode::kUsage, std::move(message)}; }
Status invalid_input_error(std::string message) { return {StatusCode::kInvalidInput, std::move(message)}; }
Status not_found_error(std::string message) { return {StatusCode::kNotFound, std::move(message)}; }
Status io_error(std::string message) { return {StatusCode::kIoError, std::move(message)}; }
Status network_error(std::string message) { return {StatusCode::kNetwork, std::move(message)}; }
Status sandbox_error(std::string message) { return {StatusCode::kSandbox, std::move(message)}; }
Status resource_exhausted_error(std::string message) {
  return {StatusCode::kResourceExhausted, std::move(message)};
}
Status cancelled_error(std::string message) { return {StatusCode::kCancelled, std::move(message)}; }
Status unimplemented_error(std::string message) { return {StatusCode::kUnimplemented, std::move(message)}; }
Status internal_error(std::string message) { return {StatusCode::kInternal, std::move(message)}; }

Status errno_error(std::string_view what, int errno_value) {
  std::string message(what);
  message += ": ";
  message += std::strerror(errno_value);
  StatusCode code = errno_value == ENOENT ? StatusCode::kNotFound : StatusCode::kIoError;
  return {code, std::move(message)};
}

}  // namespace reval
