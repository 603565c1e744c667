#include <catch2/catch.hpp>
#include <filesystem>

#include "tests/reports/report_render_check.h"
#include "tests/support/test_support.h"

namespace reval {

TEST_CASE("every input in the report_render fuzz corpus renders with model output inert", "[reports][fuzz]") {
  const std::filesystem::path corpus = test::source_dir() + "/tests/fuzz/corpus/report_render";
  int n_inputs = 0;
  for (const auto& entry : std::filesystem::directory_iterator(corpus)) {
    const std::string bytes = test::read_text_file(entry.path().string());
    INFO(entry.path().filename().string());
    CHECK(test::check_report_render(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()) == "");
    ++n_inputs;
  }
  CHECK(n_inputs >= 2);
}

}  // namespace reval
