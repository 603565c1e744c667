#include "harness/cli/exit_codes.h"

namespace reval::cli {

ExitCode exit_code_for(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk: return ExitCode::kOk;
    case StatusCode::kUsage: return ExitCode::kUsage;
    case StatusCode::kInvalidInput:
    case StatusCode::kNotFound:
    case StatusCode::kIoError:
    case StatusCode::kResourceExhausted:
    case StatusCode::kUnimplemented: return ExitCode::kBadInput;
    case StatusCode::kNetwork: return ExitCode::kBackend;
    case StatusCode::kSandbox: return ExitCode::kSandbox;
    case StatusCode::kCancelled: return ExitCode::kInterrupted;
    case StatusCode::kInternal: return ExitCode::kInternal;
  }
  return ExitCode::kInternal;
}

}  // namespace reval::cli
