// Renderers of a ReportModel: one self-contained HTML page, Markdown tables, or a JSON summary.
// All are pure functions of the model; text from runs is escaped by each format's rules.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"
#include "reports/report_model.h"

namespace reval::reports {

enum class ReportFormat { kHtml, kMarkdown, kJson };

// "html", "md" (or "markdown"), "json"; a usage error listing the choices otherwise.
Result<ReportFormat> parse_report_format(std::string_view name);

struct HtmlOptions {
  std::string title;             // "" = built from the runs' labels and suites
  std::string generator;         // e.g. "reval 0.1.0", shown in the footer
  // Bytes of sample text (reasoning + answer) the page may embed in all; each sample gets an equal
  // share (at least kMinSampleTextBytes), keeping its start and end. Bounds the file size.
  std::size_t sample_text_budget_bytes = 16u << 20;
};

inline constexpr std::size_t kMinSampleTextBytes = 600;

std::string render_html(const ReportModel& model, const HtmlOptions& options);
std::string render_markdown(const ReportModel& model);
std::string render_json(const ReportModel& model);

}  // namespace reval::reports
