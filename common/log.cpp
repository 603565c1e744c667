#include "common/log.h"

#include <atomic>
#include <cstdlib>
#include <mutex>

#include "common/strings.h"

namespace reval {
namespace {

std::atomic<int> g_level{static_cast<int>(LogLevel::kWarn)};
std::atomic<std::FILE*> g_sink{nullptr};
std::mutex g_write_mutex;

std::string_view level_tag(LogLevel level) {
  switch (level) {
    case LogLevel::kError: return "error";
    case LogLevel::kWarn: return "warn";
    case LogLevel::kInfo: return "info";
    case LogLevel::kDebug: return "debug";
    case LogLevel::kTrace: return "trace";
  }
  return "log";
}

}  // namespace

bool parse_log_level(std::string_view text, LogLevel* level) {
  const std::string lower = to_lower(trim(text));
  for (LogLevel candidate : {LogLevel::kError, LogLevel::kWarn, LogLevel::kInfo, LogLevel::kDebug,
                             LogLevel::kTrace}) {
    if (lower == level_tag(candidate)) {
      *level = candidate;
      return true;
    }
  }
  if (lower == "warning") {
    *level = LogLevel::kWarn;
    return true;
  }
  return false;
}

void set_log_level(LogLevel level) { g_level.store(static_cast<int>(level)); }
LogLevel log_level() { return static_cast<LogLevel>(g_level.load()); }
bool log_enabled(LogLevel level) { return static_cast<int>(level) <= g_level.load(); }

bool init_log_level_from_env() {
  const char* env = std::getenv("REVAL_LOG");
  if (env == nullptr || *env == '\0') return true;
  LogLevel level;
  if (!parse_log_level(env, &level)) return false;
  set_log_level(level);
  return true;
}

void set_log_sink(std::FILE* sink) { g_sink.store(sink); }

void log_message(LogLevel level, std::string_view message) {
  std::FILE* sink = g_sink.load();
  if (sink == nullptr) sink = stderr;
  std::string line = "reval: ";
  line += level_tag(level);
  line += ": ";
  line += message;
  line += '\n';
  std::lock_guard<std::mutex> lock(g_write_mutex);
  std::fwrite(line.data(), 1, line.size(), sink);
  std::fflush(sink);
}

}  // namespace reval
