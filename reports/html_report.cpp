// The HTML page: fills reports/template/report.html with the sections, stylesheet and script that
// are embedded at build time, and renders sections 1-3 (headline, chart, comparison).
#include <map>
#include <set>

#include "common/check.h"
#include "common/strings.h"
#include "reports/html_escape.h"
#include "reports/internal/embedded_files.h"
#include "reports/internal/format.h"
#include "reports/internal/html_sections.h"
#include "reports/render.h"
#include "reports/svg_charts.h"

namespace reval::reports {
namespace internal {
namespace {

// Replaces each {{NAME}} of the template with values[NAME]. Only the template is scanned, so text in
// the values can never be taken for a placeholder.
std::string fill_template(std::string_view page, const std::map<std::string, std::string>& values) {
  std::string out;
  std::size_t pos = 0;
  while (true) {
    const std::size_t open = page.find("{{", pos);
    if (open == std::string_view::npos) break;
    const std::size_t close = page.find("}}", open);
    REVAL_CHECK(close != std::string_view::npos);
    out.append(page.substr(pos, open - pos));
    auto it = values.find(std::string(page.substr(open + 2, close - open - 2)));
    REVAL_CHECK(it != values.end() && "report.html names an unknown placeholder");
    out += it->second;
    pos = close + 2;
  }
  out.append(page.substr(pos));
  return out;
}

std::string metric_cell(const MetricCell& cell) {
  if (!cell.available) return "<td class=\"num na\" data-metric=\"" + escape_html(cell.name) + "\">—</td>";
  char value[40];
  std::snprintf(value, sizeof value, "%.17g", cell.value);
  std::string html = "<td class=\"num\" data-metric=\"" + escape_html(cell.name) + "\" data-value=\"" + value + "\">" +
                     format_percent(cell.value);
  const std::string interval = format_interval(cell.ci_low, cell.ci_high);
  if (!interval.empty()) html += "<span class=\"ci\">" + interval + "</span>";
  return html + "</td>";
}

std::string published_note(const RunReport& run) {
  if (run.published.empty()) return "";
  std::vector<std::string> parts;
  for (const PublishedScore& score : run.published) {
    parts.push_back(escape_html(score.metric) + " " + format_percent(score.value));
  }
  const PublishedScore& first = run.published.front();
  return "<li><span class=\"ref-marker\">◆</span> <b>" + escape_html(run.label) + "</b>: published for " +
         escape_html(first.model) + " on " + escape_html(first.suite) + ": " + join(parts, ", ") + " — <a href=\"" +
         escape_html(first.url) + "\" rel=\"noreferrer\">" + escape_html(first.source) + "</a> <span class=\"muted\">(" +
         escape_html(first.note) + ")</span></li>";
}

}  // namespace

std::string run_header_cells(const ReportModel& model) {
  std::string html;
  for (std::size_t i = 0; i < model.runs.size(); ++i) {
    html += "<th class=\"num\" data-sort=\"num\"><span class=\"swatch s" +
            std::to_string(i % 8) + "\"></span>" + escape_html(model.runs[i].label) + "</th>";
  }
  return html;
}

std::string headline_section(const ReportModel& model) {
  std::string html = "<section id=\"headline\"><h2>1. Headline</h2><table class=\"data\" id=\"headline-table\"><thead><tr><th>run</th>";
  for (const std::string& metric : model.metric_names) html += "<th class=\"num\">" + escape_html(metric) + " <span class=\"ci\">95% CI</span></th>";
  html += "<th class=\"num\">samples</th><th class=\"num\">truncated</th><th class=\"num\">reasoning tok</th>"
          "<th class=\"num\">answer tok</th><th class=\"num\">errors</th><th class=\"num\">wall time</th>"
          "<th class=\"num\">tok/s</th><th class=\"num\">cost</th></tr></thead><tbody>";
  std::string references;
  for (std::size_t i = 0; i < model.runs.size(); ++i) {
    const RunReport& run = model.runs[i];
    const Headline& h = run.headline;
    html += "<tr data-run=\"" + std::to_string(i) + "\" data-run-id=\"" + escape_html(run.folder.info.run_id) +
            "\"><th scope=\"row\"><span class=\"swatch s" + std::to_string(i % 8) + "\"></span>" + escape_html(run.label) +
            (static_cast<int>(i) == model.baseline ? " <span class=\"badge\">baseline</span>" : "") + "</th>";
    for (const MetricCell& cell : h.metrics) html += metric_cell(cell);
    html += "<td class=\"num\">" + format_count(static_cast<double>(h.n_samples)) + "</td><td class=\"num\">" +
            (h.truncated_fraction ? format_percent(*h.truncated_fraction) : "—") + "</td><td class=\"num\">" +
            format_optional_count(h.mean_reasoning_tokens) + "</td><td class=\"num\">" +
            format_optional_count(h.mean_answer_tokens) + "</td><td class=\"num\">" +
            format_count(static_cast<double>(h.errors)) + "</td><td class=\"num\">" + format_seconds(h.wall_time_s) +
            "</td><td class=\"num\">" + format_optional_count(h.tokens_per_s) + "</td><td class=\"num\">" +
            (h.cost_usd ? format_usd(*h.cost_usd) : "—") + "</td></tr>";
    references += published_note(run);
  }
  html += "</tbody></table>";
  if (!references.empty()) html += "<ul class=\"references\">" + references + "</ul>";
  html += "<p class=\"muted\">Intervals are 95% bootstrap intervals over problems. pass@1 is the mean over each "
          "problem's samples; pass@k the unbiased estimator; cons@k the majority answer's correctness.</p></section>";
  return html;
}

std::string chart_section(const ReportModel& model) {
  BarChartSpec spec;
  std::set<std::string> suites;
  for (const RunReport& run : model.runs) {
    spec.series.push_back(run.label);
    suites.insert(run.folder.info.suite_name);
  }
  const std::string suite_prefix = suites.size() == 1 ? *suites.begin() + " " : "";
  for (std::size_t m = 0; m < model.metric_names.size(); ++m) {
    spec.groups.push_back(suite_prefix + model.metric_names[m]);
    std::vector<std::optional<BarValue>> row;
    for (const RunReport& run : model.runs) {
      const MetricCell& cell = run.headline.metrics[m];
      if (!cell.available) {
        row.push_back(std::nullopt);
        continue;
      }
      BarValue value{cell.value, cell.ci_low, cell.ci_high, std::nullopt, ""};
      for (const PublishedScore& score : run.published) {
        if (score.metric == cell.name) {
          value.reference = score.value;
          value.reference_label = score.model + ", " + score.source;
        }
      }
      row.push_back(value);
    }
    spec.values.push_back(std::move(row));
  }
  spec.width = std::max(360.0, std::min(1100.0, 140.0 + 60.0 * static_cast<double>(spec.groups.size() * spec.series.size())));
  std::string legend;
  for (std::size_t i = 0; i < spec.series.size(); ++i) {
    legend += "<span class=\"legend-item\"><span class=\"swatch s" + std::to_string(i % 8) + "\"></span>" + escape_html(spec.series[i]) + "</span>";
  }
  legend += "<span class=\"legend-item\"><span class=\"ref-marker\">◆</span> published reference</span>";
  return "<section id=\"chart\"><h2>2. Metrics with 95% intervals</h2><div class=\"legend\">" + legend + "</div>" +
         render_bar_chart_svg(spec, layout_bar_chart(spec)) + "</section>";
}

std::string comparison_section(const ReportModel& model) {
  const RunReport& baseline = model.runs[model.baseline];
  std::string html = "<section id=\"comparison\"><h2>3. Paired comparison against the baseline</h2>";
  if (model.comparisons.empty()) {
    return html + "<p class=\"muted\">One run only: nothing to compare.</p></section>";
  }
  html += "<p>Baseline: <b>" + escape_html(baseline.label) + "</b>. Δ is the run's pass@1 minus the baseline's on the "
          "same problems; the interval is a paired bootstrap over problems; p is the exact two-sided sign test on "
          "problems where the two differ.</p><table class=\"data\" id=\"comparison-table\"><thead><tr><th>run</th>"
          "<th class=\"num\">problems</th><th class=\"num\">baseline pass@1</th><th class=\"num\">run pass@1</th>"
          "<th class=\"num\">Δ pass@1</th><th class=\"num\">95% CI of Δ</th><th class=\"num\">sign test p</th>"
          "<th class=\"num\">won</th><th class=\"num\">lost</th><th class=\"num\">tied</th></tr></thead><tbody>";
  for (const Comparison& comparison : model.comparisons) {
    const stats::PairedComparison& c = comparison.paired;
    const bool significant = c.ci_low > 0 || c.ci_high < 0;
    char delta[40];
    std::snprintf(delta, sizeof delta, "%.17g", c.delta);
    html += "<tr><th scope=\"row\"><span class=\"swatch s" + std::to_string(comparison.run % 8) + "\"></span>" +
            escape_html(model.runs[comparison.run].label) + "</th><td class=\"num\">" + std::to_string(c.n_problems) +
            "</td><td class=\"num\">" + format_percent(c.mean_a) + "</td><td class=\"num\">" + format_percent(c.mean_b) +
            "</td><td class=\"num delta" + (significant ? (c.delta > 0 ? " up" : " down") : "") + "\" data-value=\"" +
            delta + "\">" + format_points(c.delta) + "</td><td class=\"num\">" + format_points(c.ci_low) + " … " +
            format_points(c.ci_high) + "</td><td class=\"num\">" + format_p_value(c.sign_test_p) +
            "</td><td class=\"num\">" + std::to_string(c.n_b_better) + "</td><td class=\"num\">" +
            std::to_string(c.n_a_better) + "</td><td class=\"num\">" + std::to_string(c.n_ties) + "</td></tr>";
  }
  return html + "</tbody></table></section>";
}

}  // namespace internal

std::string render_html(const ReportModel& model, const HtmlOptions& options) {
  using namespace internal;
  std::string title = options.title;
  if (title.empty()) {
    std::vector<std::string> labels;
    for (const RunReport& run : model.runs) labels.push_back(run.label);
    title = join(labels, " vs ") + (model.runs[0].folder.info.suite_name.empty() ? "" : " on " + model.runs[0].folder.info.suite_name);
  }
  std::string warnings;
  for (const std::string& warning : model.warnings) warnings += "<li>" + escape_html(warning) + "</li>";
  if (!warnings.empty()) warnings = "<ul class=\"warnings\">" + warnings + "</ul>";
  std::string body = headline_section(model) + chart_section(model) + comparison_section(model) + matrix_section(model) +
                     viewer_section() + distributions_section(model) + swe_section(model) + metadata_section(model);
  const std::map<std::string, std::string> values = {
      {"TITLE", escape_html(title)},
      {"SCOPE", escape_html(model.scope_note)},
      {"SCOPE_CLASS", model.problem_sets_differ ? "scope differ" : "scope"},
      {"WARNINGS", warnings},
      {"CSS", std::string(kReportCss, kReportCss_size)},
      {"JS", std::string(kReportJs, kReportJs_size)},
      {"BODY", body},
      {"DATA", sample_data_blocks(model, options)},
      {"GENERATOR", escape_html(options.generator.empty() ? "reval" : options.generator)},
  };
  return fill_template(std::string_view(kReportHtml, kReportHtml_size), values);
}

Result<ReportFormat> parse_report_format(std::string_view name) {
  if (name == "html") return ReportFormat::kHtml;
  if (name == "md" || name == "markdown") return ReportFormat::kMarkdown;
  if (name == "json") return ReportFormat::kJson;
  return usage_error("--format must be html, md or json (got '" + std::string(name) + "')");
}

}  // namespace reval::reports
