// REVAL_CHECK: aborts with file:line on a broken invariant. Only for programmer errors,
// never for values read from files, models or the network (those return Status).
#pragma once

namespace reval::internal {
[[noreturn]] void check_failed(const char* expr, const char* file, int line);
}  // namespace reval::internal

#define REVAL_CHECK(cond) \
  ((cond) ? (void)0 : ::reval::internal::check_failed(#cond, __FILE__, __LINE__))
