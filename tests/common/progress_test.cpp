#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "common/progress.h"

namespace reval {

TEST_CASE("progress line shows count, percent, rate and ETA", "[common][progress]") {
  const std::string line = ProgressReporter::format_line("math500", 100, 500, 50.0, "req", "");
  CHECK(line == "math500  100/500   20%  2.0 req/s  ETA 3m20s");
  const std::string done = ProgressReporter::format_line("math500", 500, 500, 100.0, "req", "2 errors");
  CHECK(done == "math500  500/500  100%  5.0 req/s  in 1m40s  2 errors");
  const std::string unknown = ProgressReporter::format_line("fetch", 7, 0, 2.0, "", "");
  CHECK(unknown == "fetch  7  3.5 it/s");
}

TEST_CASE("plain progress prints at most once per interval plus a final line", "[common][progress]") {
  char* buffer = nullptr;
  std::size_t size = 0;
  std::FILE* out = open_memstream(&buffer, &size);
  double clock = 0;
  {
    ProgressOptions options;
    options.out = out;
    options.live = 0;
    options.plain_interval_s = 10;
    options.clock = [&clock] { return clock; };
    ProgressReporter progress("suite", 100, options);
    for (int i = 0; i < 100; ++i) {
      clock += 1.0;  // 100 s in total: lines at t=1 (first), 11, 21, ... and the final one
      progress.advance();
    }
  }
  std::fclose(out);
  const std::string text(buffer, size);
  std::free(buffer);
  std::size_t lines = 0;
  for (char c : text) lines += c == '\n' ? 1 : 0;
  CHECK(lines == 11);
  CHECK(text.find("suite  100/100  100%") != std::string::npos);
  CHECK(text.find('\r') == std::string::npos);
}

TEST_CASE("live progress redraws one line in place", "[common][progress]") {
  char* buffer = nullptr;
  std::size_t size = 0;
  std::FILE* out = open_memstream(&buffer, &size);
  double clock = 0;
  {
    ProgressOptions options;
    options.out = out;
    options.live = 1;
    options.clock = [&clock] { return clock; };
    ProgressReporter progress("x", 3, options);
    for (int i = 0; i < 3; ++i) {
      clock += 1.0;
      progress.advance();
    }
  }
  std::fclose(out);
  const std::string text(buffer, size);
  std::free(buffer);
  CHECK(text.find('\r') != std::string::npos);
  CHECK(text.back() == '\n');
  CHECK(std::count(text.begin(), text.end(), '\n') == 1);
}

}  // namespace reval
