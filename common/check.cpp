#include "common/check.h"

#include <cstdio>
#include <cstdlib>

namespace reval::internal {

void check_failed(const char* expr, const char* file, int line) {
  std::fprintf(stderr, "reval: internal error: check failed: %s at %s:%d\n", expr, file, line);
  std::fflush(stderr);
  std::abort();
}

}  // namespace reval::internal
