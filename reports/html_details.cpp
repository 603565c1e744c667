// Sections 6 and 7 of the HTML report: response length distributions and run metadata.
#include <algorithm>
#include <cstdio>

#include "common/strings.h"
#include "reports/html_escape.h"
#include "reports/internal/format.h"
#include "reports/internal/html_sections.h"
#include "reports/svg_charts.h"

namespace reval::reports::internal {
namespace {

std::string optional_text(const std::optional<double>& value) {
  if (!value) return "—";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", *value);
  return buffer;
}

std::string optional_text(const std::optional<std::int64_t>& value) { return value ? std::to_string(*value) : "—"; }

std::string text_or_dash(const std::string& text) { return text.empty() ? "—" : escape_html(text); }

std::string quantization_mix(const ModelInfo& model) {
  if (model.quantization.empty()) return "—";
  std::vector<std::pair<std::string, std::int64_t>> types(model.quantization.begin(), model.quantization.end());
  std::sort(types.begin(), types.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  std::vector<std::string> parts;
  for (const auto& [type, count] : types) parts.push_back(escape_html(type) + " ×" + std::to_string(count));
  return join(parts, ", ");
}

}  // namespace

std::string distributions_section(const ReportModel& model) {
  double max_tokens = 0;
  for (const RunReport& run : model.runs) {
    for (double v : run.tokens_correct) max_tokens = std::max(max_tokens, v);
    for (double v : run.tokens_wrong) max_tokens = std::max(max_tokens, v);
  }
  std::string html =
      "<section id=\"lengths\"><h2>6. Response length, correct vs wrong</h2><p class=\"legend\"><span class=\"legend-item\">"
      "<span class=\"swatch correct\"></span>correct</span><span class=\"legend-item\"><span class=\"swatch wrong\"></span>"
      "wrong</span> <span class=\"muted\">completion tokens per sample; the same bins for every run</span></p><div class=\"hists\">";
  for (const RunReport& run : model.runs) {
    HistogramSpec spec;
    spec.correct = run.tokens_correct;
    spec.wrong = run.tokens_wrong;
    spec.max_value = max_tokens;
    const std::string title = run.label + ": " + std::to_string(run.tokens_correct.size()) + " correct, " +
                              std::to_string(run.tokens_wrong.size()) + " wrong";
    html += "<figure>" + render_histogram_svg(spec, layout_histogram(spec), title) + "<figcaption>" + escape_html(title) +
            "</figcaption></figure>";
  }
  return html + "</div></section>";
}

std::string metadata_section(const ReportModel& model) {
  std::string html = "<section id=\"metadata\"><h2>7. Runs</h2><div class=\"scroll\"><table class=\"data meta\"><thead><tr><th></th>" +
                     run_header_cells(model) + "</tr></thead><tbody>";
  const auto row = [&](const std::string& name, auto cell) {
    html += "<tr><th scope=\"row\">" + name + "</th>";
    for (const RunReport& run : model.runs) html += "<td>" + cell(run.folder) + "</td>";
    html += "</tr>";
  };
  row("run id", [](const RunFolder& r) { return text_or_dash(r.info.run_id); });
  row("folder", [](const RunFolder& r) { return "<code>" + escape_html(r.path) + "</code>"; });
  row("suite", [](const RunFolder& r) {
    return text_or_dash(r.info.suite_name) + " <span class=\"muted\">(dataset " + text_or_dash(r.info.dataset) +
           ", grader " + text_or_dash(r.info.grader) + ")</span>";
  });
  row("backend", [](const RunFolder& r) { return text_or_dash(r.info.model.backend); });
  row("model", [](const RunFolder& r) { return text_or_dash(r.info.model.name); });
  row("API endpoint", [](const RunFolder& r) { return text_or_dash(r.info.model.base_url); });
  row("model file", [](const RunFolder& r) { return text_or_dash(r.info.model.file); });
  row("file sha256", [](const RunFolder& r) { return "<code class=\"hash\">" + text_or_dash(r.info.model.file_sha256) + "</code>"; });
  row("quantization", [](const RunFolder& r) { return quantization_mix(r.info.model); });
  row("price / Mtok", [](const RunFolder& r) {
    const ModelInfo& m = r.info.model;
    return m.price_input_per_mtok ? "$" + optional_text(m.price_input_per_mtok) + " in, $" + optional_text(m.price_output_per_mtok) + " out"
                                  : std::string("—");
  });
  row("sampling", [](const RunFolder& r) {
    const SamplingInfo& s = r.info.sampling;
    return "T=" + optional_text(s.temperature) + ", top_p=" + optional_text(s.top_p) + ", max_tokens=" +
           optional_text(s.max_tokens) + ", samples=" + optional_text(s.samples);
  });
  row("seed", [](const RunFolder& r) { return optional_text(r.info.sampling.seed); });
  row("metrics", [](const RunFolder& r) { return escape_html(join(r.info.metrics, ", ")); });
  row("started", [](const RunFolder& r) { return text_or_dash(r.info.started); });
  row("finished", [](const RunFolder& r) { return text_or_dash(r.info.finished); });
  row("reval version", [](const RunFolder& r) { return text_or_dash(r.info.reval_version); });
  row("machine", [](const RunFolder& r) {
    return text_or_dash(r.info.machine_host) + "<br>" + text_or_dash(r.info.machine_cpu) +
           (r.info.machine_threads ? ", " + std::to_string(*r.info.machine_threads) + " threads" : "");
  });
  row("settings hash", [](const RunFolder& r) { return "<code class=\"hash\">" + text_or_dash(r.info.settings_hash) + "</code>"; });
  row("problems in run", [](const RunFolder& r) { return std::to_string(r.problems.size()); });
  return html + "</tbody></table></div></section>";
}

}  // namespace reval::reports::internal
