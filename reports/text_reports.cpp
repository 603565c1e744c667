// The Markdown (headline and comparison tables, for PRs and terminals) and JSON (machine-readable
// summary) renderings of a ReportModel.
#include <cstdio>

#include <nlohmann/json.hpp>

#include "common/strings.h"
#include "reports/internal/format.h"
#include "reports/render.h"

namespace reval::reports {
namespace {

using nlohmann::ordered_json;
using namespace internal;

// Markdown table cells: a '|' would split the cell and a newline would end the row.
std::string md_cell(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

ordered_json optional_json(const std::optional<double>& v) { return v ? ordered_json(*v) : ordered_json(nullptr); }

}  // namespace

std::string render_markdown(const ReportModel& model) {
  std::string md = "## reval report\n\n" + md_cell(model.scope_note) + "\n\n| run |";
  std::string rule = "| --- |";
  for (const std::string& metric : model.metric_names) {
    md += " " + md_cell(metric) + " (95% CI) |";
    rule += " ---: |";
  }
  md += " samples | truncated | errors | mean tokens (reasoning / answer) |\n" + rule + " ---: | ---: | ---: | ---: |\n";
  for (std::size_t i = 0; i < model.runs.size(); ++i) {
    const RunReport& run = model.runs[i];
    const Headline& h = run.headline;
    md += "| " + md_cell(run.label) + (static_cast<int>(i) == model.baseline ? " (baseline)" : "") + " |";
    for (const MetricCell& cell : h.metrics) {
      if (!cell.available) {
        md += " — |";
        continue;
      }
      const std::string interval = format_interval(cell.ci_low, cell.ci_high);
      md += " " + format_percent(cell.value) + (interval.empty() ? "" : " (" + interval + ")") + " |";
    }
    md += " " + format_count(static_cast<double>(h.n_samples)) + " | " +
          (h.truncated_fraction ? format_percent(*h.truncated_fraction) : "—") + " | " +
          format_count(static_cast<double>(h.errors)) + " | " + format_optional_count(h.mean_reasoning_tokens) + " / " +
          format_optional_count(h.mean_answer_tokens) + " |\n";
  }
  std::string references;
  for (const RunReport& run : model.runs) {
    if (run.published.empty()) continue;
    std::vector<std::string> scores;
    for (const PublishedScore& score : run.published) scores.push_back(score.metric + " " + format_percent(score.value));
    const PublishedScore& first = run.published.front();
    references += "- " + md_cell(run.label) + ": " + join(scores, ", ") + " published for " + first.model + " on " +
                  first.suite + " ([" + first.source + "](" + first.url + "))\n";
  }
  if (!references.empty()) md += "\nPublished reference scores:\n\n" + references;
  if (!model.comparisons.empty()) {
    md += "\n### Paired comparison against " + md_cell(model.runs[model.baseline].label) +
          "\n\n| run | problems | Δ pass@1 | 95% CI | sign test p | won | lost | tied |\n"
          "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n";
    for (const Comparison& comparison : model.comparisons) {
      const stats::PairedComparison& c = comparison.paired;
      md += "| " + md_cell(model.runs[comparison.run].label) + " | " + std::to_string(c.n_problems) + " | " +
            format_points(c.delta) + " | " + format_points(c.ci_low) + " … " + format_points(c.ci_high) + " | " +
            format_p_value(c.sign_test_p) + " | " + std::to_string(c.n_b_better) + " | " + std::to_string(c.n_a_better) +
            " | " + std::to_string(c.n_ties) + " |\n";
    }
  }
  std::string swe_rows;
  for (const RunReport& run : model.runs) {
    if (!run.has_swe) continue;
    swe_rows += "| " + md_cell(run.label) + " | " +
                (run.folder.info.retrieval.empty() ? "—" : md_cell(run.folder.info.retrieval)) + " |";
    for (const char* outcome : {"resolved", "unresolved", "patch_failed", "error", "empty_patch"}) {
      const auto found = run.swe_outcomes.find(outcome);
      swe_rows += " " + std::to_string(found == run.swe_outcomes.end() ? 0 : found->second) + " |";
    }
    swe_rows += "\n";
  }
  if (!swe_rows.empty()) {
    md += "\n### SWE outcomes (graded samples)\n\n| run | retrieval | resolved | unresolved | patch failed | error | empty |\n"
          "| --- | --- | ---: | ---: | ---: | ---: | ---: |\n" + swe_rows;
  }
  for (const std::string& warning : model.warnings) md += "\n> warning: " + md_cell(warning) + "\n";
  return md;
}

std::string render_json(const ReportModel& model) {
  ordered_json root;
  root["format_version"] = 1;
  root["scope"] = {{"n_problems", model.problem_ids.size()},
                   {"problem_sets_differ", model.problem_sets_differ},
                   {"note", model.scope_note},
                   {"problem_ids", model.problem_ids}};
  root["baseline"] = model.runs[model.baseline].folder.info.run_id;
  ordered_json runs = ordered_json::array();
  for (const RunReport& run : model.runs) {
    const Headline& h = run.headline;
    ordered_json metrics = ordered_json::object();
    for (const MetricCell& cell : h.metrics) {
      if (!cell.available) {
        metrics[cell.name] = nullptr;
        continue;
      }
      ordered_json ci = (cell.ci_low && cell.ci_high) ? ordered_json::array({*cell.ci_low, *cell.ci_high}) : ordered_json(nullptr);
      metrics[cell.name] = {{"value", cell.value}, {"stderr", optional_json(cell.stderr_)}, {"ci95", ci}};
    }
    ordered_json published = ordered_json::array();
    for (const PublishedScore& score : run.published) {
      published.push_back({{"model", score.model}, {"metric", score.metric}, {"value", score.value}, {"source", score.source}, {"url", score.url}});
    }
    ordered_json per_problem = ordered_json::array();
    for (std::size_t p = 0; p < run.problems.size(); ++p) {
      const ProblemResult& r = run.problems[p];
      per_problem.push_back({{"problem_id", model.problem_ids[p]}, {"n", r.n}, {"correct", r.correct},
                             {"cons_answer", r.cons_answer}, {"cons_correct", r.cons_correct}});
    }
    runs.push_back({{"run_id", run.folder.info.run_id},
                    {"label", run.label},
                    {"path", run.folder.path},
                    {"suite", run.folder.info.suite_name},
                    {"model", run.folder.info.model.name},
                    {"backend", run.folder.info.model.backend},
                    {"from_summary", h.from_summary},
                    {"metrics", metrics},
                    {"n_samples", h.n_samples},
                    {"k", h.k},
                    {"truncated_fraction", optional_json(h.truncated_fraction)},
                    {"errors", h.errors},
                    {"mean_reasoning_tokens", optional_json(h.mean_reasoning_tokens)},
                    {"mean_answer_tokens", optional_json(h.mean_answer_tokens)},
                    {"wall_time_s", optional_json(h.wall_time_s)},
                    {"tokens_per_s", optional_json(h.tokens_per_s)},
                    {"cost_usd", optional_json(h.cost_usd)},
                    {"published", published},
                    {"per_problem", per_problem}});
    if (run.has_swe) {
      runs.back()["swe"] = {{"retrieval", run.folder.info.retrieval}, {"outcomes", run.swe_outcomes}};
    }
  }
  root["runs"] = runs;
  ordered_json comparisons = ordered_json::array();
  for (const Comparison& comparison : model.comparisons) {
    const stats::PairedComparison& c = comparison.paired;
    comparisons.push_back({{"run_id", model.runs[comparison.run].folder.info.run_id},
                           {"label", model.runs[comparison.run].label},
                           {"n_problems", c.n_problems},
                           {"baseline_pass@1", c.mean_a},
                           {"run_pass@1", c.mean_b},
                           {"delta", c.delta},
                           {"ci95", {c.ci_low, c.ci_high}},
                           {"sign_test_p", c.sign_test_p},
                           {"won", c.n_b_better},
                           {"lost", c.n_a_better},
                           {"tied", c.n_ties}});
  }
  root["comparisons"] = comparisons;
  root["warnings"] = model.warnings;
  return root.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace reval::reports
