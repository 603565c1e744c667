// The property report_render_fuzz checks (tests/fuzz/), shared with the unit test that replays its corpus.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace reval::test {

// Builds an in-memory run whose strings come from `data`, renders HTML, Markdown and JSON, and returns
// "" when the HTML holds exactly the template's scripts and no foreign element, else what went wrong.
std::string check_report_render(const std::uint8_t* data, std::size_t size);

}  // namespace reval::test
