// The sections of the HTML report, each a function returning an HTML fragment. Every string from a run
// passes through escape_html or json_for_script on its way into a fragment.
#pragma once

#include <string>

#include "reports/render.h"
#include "reports/report_model.h"

namespace reval::reports::internal {

std::string headline_section(const ReportModel& model);       // (1)
std::string chart_section(const ReportModel& model);          // (2)
std::string comparison_section(const ReportModel& model);     // (3)
std::string matrix_section(const ReportModel& model);         // (4), rows open the viewer
std::string viewer_section();                                 // (5), filled by the script on demand
std::string sample_data_blocks(const ReportModel& model, const HtmlOptions& options);  // (5) data
std::string distributions_section(const ReportModel& model);  // (6)
std::string metadata_section(const ReportModel& model);       // (7)
std::string swe_section(const ReportModel& model);            // (8), "" unless a run has SWE grades

// "<details>" free helpers used by several sections.
std::string run_header_cells(const ReportModel& model);  // <th> per run, with the run's colour swatch

}  // namespace reval::reports::internal
