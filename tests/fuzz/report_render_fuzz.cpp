// libFuzzer target: model output must never become markup in the HTML report. The property lives in
// tests/reports/report_render_check.cpp; tests/reports replays tests/fuzz/corpus/report_render.
#include <cstdio>
#include <cstdlib>

#include "tests/reports/report_render_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string failure = reval::test::check_report_render(data, size);
  if (!failure.empty()) {
    std::fprintf(stderr, "report_render_fuzz: %s\n", failure.c_str());
    std::abort();
  }
  return 0;
}
