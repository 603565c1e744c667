// The data tables under graders/swe/data/, embedded into the library at build time
// (graders/swe/CMakeLists.txt generates embedded_data.cpp from the JSON files).
#pragma once

#include <string_view>

namespace reval::graders::swe {

std::string_view embedded_run_specs_json();    // data/run_specs.json
std::string_view embedded_log_parsers_json();  // data/log_parsers.json

}  // namespace reval::graders::swe
