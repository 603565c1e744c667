// Files embedded into the binary at build time by cmake/RevalEmbedFiles.cmake (reports/CMakeLists.txt):
// the HTML report template, its stylesheet and script, and the published score registry.
#pragma once

#include <cstddef>

namespace reval::reports::internal {

extern const char kReportHtml[];
extern const std::size_t kReportHtml_size;
extern const char kReportCss[];
extern const std::size_t kReportCss_size;
extern const char kReportJs[];
extern const std::size_t kReportJs_size;
extern const char kPublishedScoresJson[];
extern const std::size_t kPublishedScoresJson_size;

}  // namespace reval::reports::internal
