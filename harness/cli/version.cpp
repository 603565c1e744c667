#include "harness/cli/version.h"

namespace reval::cli {
const char* version_string() { return REVAL_VERSION; }
}  // namespace reval::cli
