// Leveled logging to stderr. The level comes from REVAL_LOG (error|warn|info|debug|trace)
// and the CLI's -v/-q; thread-safe (one line is written atomically).
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace reval {

enum class LogLevel { kError = 0, kWarn = 1, kInfo = 2, kDebug = 3, kTrace = 4 };

// Parses "error", "warn", "info", "debug", "trace" (case-insensitive); false when unknown.
bool parse_log_level(std::string_view text, LogLevel* level);

void set_log_level(LogLevel level);
LogLevel log_level();
bool log_enabled(LogLevel level);

// Applies REVAL_LOG when set and valid; returns false (and leaves the level) when it is set but invalid.
bool init_log_level_from_env();

// Redirects log output (default stderr); for tests.
void set_log_sink(std::FILE* sink);

void log_message(LogLevel level, std::string_view message);

}  // namespace reval

#define REVAL_LOG_AT_(level, message)                                   \
  do {                                                                  \
    if (::reval::log_enabled(level)) ::reval::log_message(level, message); \
  } while (0)
#define REVAL_LOG_ERROR(message) REVAL_LOG_AT_(::reval::LogLevel::kError, message)
#define REVAL_LOG_WARN(message) REVAL_LOG_AT_(::reval::LogLevel::kWarn, message)
#define REVAL_LOG_INFO(message) REVAL_LOG_AT_(::reval::LogLevel::kInfo, message)
#define REVAL_LOG_DEBUG(message) REVAL_LOG_AT_(::reval::LogLevel::kDebug, message)
#define REVAL_LOG_TRACE(message) REVAL_LOG_AT_(::reval::LogLevel::kTrace, message)
