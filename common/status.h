// Status and Result<T>: reval's one error mechanism (no exceptions of our own).
// A Status is either ok or a code plus a message whose context reads outermost first,
// e.g. "load_model: blk.3.attn_q.weight: data outside file (offset 1234, size 99)".
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace reval {

// What kind of failure happened; the CLI maps each to an exit code (see harness/cli/exit_codes.h).
enum class StatusCode {
  kOk,
  kUsage,              // the command line is wrong (unknown option, missing argument)
  kInvalidInput,       // a file, config or dataset is malformed
  kNotFound,           // a named file, dataset, suite or key does not exist
  kIoError,            // the OS refused a read/write
  kNetwork,            // a remote endpoint failed or was unreachable
  kSandbox,            // the sandbox could not be created or enforced
  kResourceExhausted,  // a size, depth or memory bound was hit
  kCancelled,          // the user interrupted
  kUnimplemented,      // a valid request reval does not support (e.g. unknown tensor type)
  kInternal,           // a bug in reval
};

std::string_view status_code_name(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status ok_status() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // Returns a copy whose message is "context: message"; an ok status stays ok.
  Status with_context(std::string_view context) const;

  // "ok" or the message (the code name is not repeated: messages are meant for people).
  std::string to_string() const;

  // Explicitly discards a status where ignoring it is deliberate.
  void ignore() const {}

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

Status usage_error(std::string message);
Status invalid_input_error(std::string message);
Status not_found_error(std::string message);
Status io_error(std::string message);
Status network_error(std::string message);
Status sandbox_error(std::string message);
Status resource_exhausted_error(std::string message);
Status cancelled_error(std::string message);
Status unimplemented_error(std::string message);
Status internal_error(std::string message);

// io_error with strerror(errno_value) appended: "open foo.jsonl: No such file or directory".
Status errno_error(std::string_view what, int errno_value);

}  // namespace reval

// Propagates a non-ok Status from the enclosing function (which returns Status or Result<T>).
#define REVAL_RETURN_IF_ERROR(expr)                \
  do {                                             \
    ::reval::Status reval_status_ = (expr);        \
    if (!reval_status_.ok()) return reval_status_; \
  } while (0)

#define REVAL_CONCAT_INNER_(a, b) a##b
#define REVAL_CONCAT_(a, b) REVAL_CONCAT_INNER_(a, b)

// `REVAL_ASSIGN_OR_RETURN(auto x, make_x());` declares x from a Result, or returns its Status.
#define REVAL_ASSIGN_OR_RETURN(lhs, expr) \
  REVAL_ASSIGN_OR_RETURN_IMPL_(REVAL_CONCAT_(reval_result_, __LINE__), lhs, expr)
#define REVAL_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return tmp.status();                \
  lhs = std::move(tmp).value()
