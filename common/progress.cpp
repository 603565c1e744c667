#include "common/progress.h"

#include <unistd.h>

#include <cmath>

#include "common/strings.h"

namespace reval {
namespace {

double steady_seconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

}  // namespace

ProgressReporter::ProgressReporter(std::string label, std::uint64_t total, ProgressOptions options)
    : label_(std::move(label)), total_(total), options_(std::move(options)) {
  if (!options_.clock) options_.clock = steady_seconds;
  if (options_.live < 0) {
    live_ = options_.out != nullptr && isatty(fileno(options_.out)) == 1;
  } else {
    live_ = options_.live == 1;
  }
  start_s_ = now();
}

ProgressReporter::~ProgressReporter() { finish(); }

double ProgressReporter::now() const { return options_.clock(); }

void ProgressReporter::advance(std::uint64_t n) {
  std::lock_guard<std::mutex> lock(mutex_);
  done_ += n;
  maybe_print_locked(false);
}

void ProgressReporter::set_total(std::uint64_t total) {
  std::lock_guard<std::mutex> lock(mutex_);
  total_ = total;
}

void ProgressReporter::set_note(std::string note) {
  std::lock_guard<std::mutex> lock(mutex_);
  note_ = std::move(note);
}

std::uint64_t ProgressReporter::done() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return done_;
}

void ProgressReporter::finish() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (finished_) return;
  maybe_print_locked(true);
  finished_ = true;
  if (live_ && options_.out != nullptr) {
    std::fputc('\n', options_.out);
    std::fflush(options_.out);
  }
}

std::string ProgressReporter::format_line(const std::string& label, std::uint64_t done, std::uint64_t total,
                                          double elapsed_s, const std::string& unit, const std::string& note) {
  std::string line = label;
  line += "  " + std::to_string(done);
  if (total > 0) {
    line += "/" + std::to_string(total);
    char percent[16];
    std::snprintf(percent, sizeof percent, "  %3.0f%%",
                  100.0 * static_cast<double>(done) / static_cast<double>(total));
    line += percent;
  }
  const double rate = elapsed_s > 0 ? static_cast<double>(done) / elapsed_s : 0.0;
  char rate_text[48];
  std::snprintf(rate_text, sizeof rate_text, "  %.1f %s/s", rate, unit.empty() ? "it" : unit.c_str());
  line += rate_text;
  if (total > 0 && done < total) {
    if (rate > 0) {
      line += "  ETA " + format_duration(static_cast<double>(total - done) / rate);
    } else {
      line += "  ETA ?";
    }
  } else if (total > 0) {
    line += "  in " + format_duration(elapsed_s);
  }
  if (!note.empty()) line += "  " + note;
  return line;
}

void ProgressReporter::maybe_print_locked(bool force) {
  if (finished_ || options_.out == nullptr) return;
  const double t = now();
  const double interval = live_ ? 0.1 : options_.plain_interval_s;
  if (!force && t - last_print_s_ < interval) return;
  last_print_s_ = t;
  const std::string line = format_line(label_, done_, total_, t - start_s_, options_.unit, note_);
  if (live_) {
    std::string padded = "\r" + line;
    if (line.size() < last_width_) padded.append(last_width_ - line.size(), ' ');
    last_width_ = line.size();
    std::fputs(padded.c_str(), options_.out);
  } else {
    std::fputs((line + "\n").c_str(), options_.out);
  }
  std::fflush(options_.out);
}

}  // namespace reval
