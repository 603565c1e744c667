// ProgressReporter: a live "label  120/500  24%  3.1/s  ETA 2m03s" line on a TTY (redrawn in
// place at most 10 times a second), periodic plain lines otherwise (CI logs, pipes).
// Thread-safe: advance() may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <mutex>
#include <string>

namespace reval {

struct ProgressOptions {
  std::FILE* out = stderr;
  // nullopt-like tri-state: -1 = detect with isatty(out), 0 = plain lines, 1 = live line.
  int live = -1;
  // Plain mode prints at most one line per interval (plus the final line).
  double plain_interval_s = 10.0;
  // The unit shown in the rate, e.g. "req" → "3.1 req/s"; empty shows "/s".
  std::string unit;
  // Clock in seconds; injectable so tests are deterministic.
  std::function<double()> clock;
};

class ProgressReporter {
 public:
  // total == 0 means unknown: no percentage and no ETA.
  ProgressReporter(std::string label, std::uint64_t total, ProgressOptions options = {});
  ~ProgressReporter();
  ProgressReporter(const ProgressReporter&) = delete;
  ProgressReporter& operator=(const ProgressReporter&) = delete;

  void advance(std::uint64_t n = 1);
  void set_total(std::uint64_t total);
  // Extra text shown at the end of the line (e.g. "3 errors").
  void set_note(std::string note);
  // Prints the final line once; later calls do nothing. Called by the destructor too.
  void finish();

  std::uint64_t done() const;

  // The text of the status line for the given state (no \r, no newline); public for tests.
  static std::string format_line(const std::string& label, std::uint64_t done, std::uint64_t total,
                                 double elapsed_s, const std::string& unit, const std::string& note);

 private:
  void maybe_print_locked(bool force);
  double now() const;

  mutable std::mutex mutex_;
  std::string label_;
  std::uint64_t total_;
  std::uint64_t done_ = 0;
  std::string note_;
  ProgressOptions options_;
  bool live_;
  bool finished_ = false;
  double start_s_;
  double last_print_s_ = -1e9;
  std::size_t last_width_ = 0;
};

}  // namespace reval
