// Sections 4, 5 and 8 of the HTML report: the per-problem matrix, the lazily rendered sample viewer
// with its JSON data blocks, and the SWE outcomes table.
#include <algorithm>
#include <cstdio>
#include <map>

#include <nlohmann/json.hpp>

#include "reports/html_escape.h"
#include "reports/internal/format.h"
#include "reports/internal/html_sections.h"

namespace reval::reports::internal {
namespace {

using nlohmann::json;

bool runs_disagree(const ReportModel& model, std::size_t p) {
  bool any_right = false, any_wrong = false;
  for (const RunReport& run : model.runs) {
    const ProblemResult& result = run.problems[p];
    if (result.n == 0) continue;
    (result.cons_correct ? any_right : any_wrong) = true;
  }
  return any_right && any_wrong;
}

std::string shorten(const std::string& text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "…";
}

// Shortens an already clipped text further to `cap` bytes, keeping its start and end.
ClippedText reclip(const ClippedText& in, std::size_t cap) {
  if (in.head.size() + in.tail.size() <= cap) return in;
  ClippedText out;
  const auto floor = [](const std::string& s, std::size_t pos) {
    while (pos > 0 && pos < s.size() && (static_cast<unsigned char>(s[pos]) & 0xC0) == 0x80) --pos;
    return std::min(pos, s.size());
  };
  out.head = in.head.substr(0, floor(in.head, cap * 3 / 4));
  const std::string& source = in.tail.empty() ? in.head : in.tail;
  std::size_t begin = source.size() > cap / 4 ? source.size() - cap / 4 : 0;
  if (&source == &in.head) begin = std::max(begin, out.head.size());
  while (begin < source.size() && (static_cast<unsigned char>(source[begin]) & 0xC0) == 0x80) ++begin;
  out.tail = source.substr(begin);
  out.n_chars_omitted = in.original_size() - out.head.size() - out.tail.size();
  return out;
}

json clipped_json(const ClippedText& text) { return json::array({text.head, text.tail, text.n_chars_omitted}); }

json sample_json(const RunReport& run, const ProblemResult& result, std::size_t i, std::size_t per_sample) {
  const SampleRecord& sample = run.folder.samples[result.sample_indices[i]];
  const int grade_index = result.grade_indices[i];
  json row = {{"s", sample.sample}, {"fin", sample.finish_reason}};
  if (grade_index >= 0) {
    const GradeRecord& grade = run.folder.grades[grade_index];
    row["ok"] = grade.correct;
    row["x"] = grade.extracted;
    row["why"] = grade.reason;
    row["rule"] = grade.rule;
  }
  if (sample.prompt_tokens) row["pt"] = *sample.prompt_tokens;
  if (sample.completion_tokens) row["ct"] = *sample.completion_tokens;
  if (sample.reasoning_tokens) row["rt"] = *sample.reasoning_tokens;
  if (sample.latency_ms) row["ms"] = *sample.latency_ms;
  if (!sample.error.empty()) row["err"] = shorten(sample.error, 2000);
  const std::size_t answer_size = sample.text.head.size() + sample.text.tail.size();
  const std::size_t reasoning_size = sample.reasoning.head.size() + sample.reasoning.tail.size();
  // The answer is what was graded: it gets at least a third of the share, more when reasoning is short.
  const std::size_t answer_cap = std::max(per_sample / 3, per_sample - std::min(per_sample, reasoning_size));
  const std::size_t reasoning_cap = per_sample - std::min(answer_size, answer_cap);
  row["a"] = clipped_json(reclip(sample.text, answer_cap));
  row["r"] = clipped_json(reclip(sample.reasoning, reasoning_cap));
  return row;
}

}  // namespace

std::string matrix_section(const ReportModel& model) {
  std::string html =
      "<section id=\"problems\"><h2>4. Per-problem results</h2><p>Cell: fraction of the run's samples that are "
      "correct. Click a problem to open its samples. <label class=\"control\"><input type=\"checkbox\" "
      "id=\"disagree-only\"> only problems where the runs disagree</label> <span class=\"muted\">(the majority "
      "answer is right in some runs and wrong in others)</span> <span id=\"matrix-count\" class=\"muted\"></span></p>"
      "<div class=\"scroll\"><table class=\"data matrix\" id=\"matrix\"><thead><tr><th data-sort=\"id\">problem</th>"
      "<th>answer</th>" +
      run_header_cells(model) + "</tr></thead><tbody>";
  for (std::size_t p = 0; p < model.problem_ids.size(); ++p) {
    html += "<tr data-p=\"" + std::to_string(p) + "\" data-disagree=\"" + (runs_disagree(model, p) ? "1" : "0") +
            "\"><td><button class=\"open\" type=\"button\" data-p=\"" + std::to_string(p) + "\">" +
            escape_html(model.problem_ids[p]) + "</button></td><td class=\"answer\">" +
            escape_html(shorten(model.problems[p].answer, 40)) + "</td>";
    for (const RunReport& run : model.runs) {
      const ProblemResult& result = run.problems[p];
      if (result.n == 0) {
        html += "<td class=\"cell none\" data-v=\"-1\">—</td>";
        continue;
      }
      char fraction[16];
      std::snprintf(fraction, sizeof fraction, "%.3f", result.pass1());
      html += "<td class=\"cell" + std::string(result.cons_correct ? " maj" : "") + "\" data-v=\"" + fraction +
              "\" style=\"--f:" + fraction + "\">" + std::to_string(result.correct) + "/" + std::to_string(result.n) + "</td>";
    }
    html += "</tr>";
  }
  return html + "</tbody></table></div></section>";
}

std::string viewer_section() {
  return "<section id=\"samples\"><h2>5. Samples</h2><div id=\"viewer\"><p class=\"muted\">Choose a problem in the "
         "table above to see its samples. Samples are rendered on demand from data embedded in this page.</p>"
         "</div></section>";
}

std::string sample_data_blocks(const ReportModel& model, const HtmlOptions& options) {
  std::size_t n_samples = 0;
  for (const RunReport& run : model.runs) {
    for (const ProblemResult& result : run.problems) n_samples += result.sample_indices.size();
  }
  const std::size_t per_sample =
      std::max(kMinSampleTextBytes, n_samples == 0 ? options.sample_text_budget_bytes
                                                   : options.sample_text_budget_bytes / n_samples);
  std::string html;
  for (std::size_t p = 0; p < model.problem_ids.size(); ++p) {
    json data = {{"id", model.problem_ids[p]}, {"problem", model.problems[p].problem}, {"answer", model.problems[p].answer}};
    json runs = json::array();
    for (const RunReport& run : model.runs) {
      const ProblemResult& result = run.problems[p];
      json samples = json::array();
      for (std::size_t i = 0; i < result.sample_indices.size(); ++i) samples.push_back(sample_json(run, result, i, per_sample));
      runs.push_back({{"label", run.label}, {"cons", result.cons_answer}, {"samples", std::move(samples)}});
    }
    data["runs"] = std::move(runs);
    // error_handler_t::replace: invalid UTF-8 from a model becomes U+FFFD instead of an exception.
    html += "<script type=\"application/json\" class=\"problem-data\" id=\"d-" + std::to_string(p) + "\">" +
            json_for_script(data.dump(-1, ' ', false, json::error_handler_t::replace)) + "</script>\n";
  }
  return html;
}

// Per run: how many graded samples ended in each outcome, and the retrieval setting the prompts used.
static std::string swe_breakdown_table(const ReportModel& model) {
  static const char* const kOutcomes[] = {"resolved", "unresolved", "patch_failed", "error", "empty_patch"};
  std::string html =
      "<p>Outcomes of the graded samples per run (resolved: every FAIL_TO_PASS and PASS_TO_PASS test passed; "
      "patch_failed: no fallback applied the patch; empty_patch: no diff in the answer; error: infrastructure).</p>"
      "<table class=\"data\" id=\"swe-outcomes\"><thead><tr><th>run</th><th>retrieval</th>";
  for (const char* outcome : kOutcomes) html += "<th class=\"num\">" + std::string(outcome) + "</th>";
  html += "</tr></thead><tbody>";
  for (const RunReport& run : model.runs) {
    if (!run.has_swe) continue;
    const std::map<std::string, int>& counts = run.swe_outcomes;
    const std::string& retrieval = run.folder.info.retrieval;
    html += "<tr><th scope=\"row\">" + escape_html(run.label) + "</th><td>" +
            (retrieval.empty() ? "—" : escape_html(retrieval) + " retrieval") + "</td>";
    for (const char* outcome : kOutcomes) {
      const auto found = counts.find(outcome);
      html += "<td class=\"num\">" + std::to_string(found == counts.end() ? 0 : found->second) + "</td>";
    }
    html += "</tr>";
  }
  return html + "</tbody></table>";
}

std::string swe_section(const ReportModel& model) {
  bool any = false;
  for (const RunReport& run : model.runs) any = any || run.has_swe;
  if (!any) return "";
  std::string html =
      "<section id=\"swe\"><h2>8. SWE instances</h2>" + swe_breakdown_table(model) +
      "<p>Per instance and run: the outcome and its reason, whether the patch applied, and FAIL_TO_PASS / "
      "PASS_TO_PASS tests passing (of all).</p><div class=\"scroll\"><table class=\"data\" id=\"swe-table\">"
      "<thead><tr><th>instance</th>" + run_header_cells(model) + "</tr></thead><tbody>";
  for (std::size_t p = 0; p < model.problem_ids.size(); ++p) {
    html += "<tr><th scope=\"row\">" + escape_html(model.problem_ids[p]) + "</th>";
    for (const RunReport& run : model.runs) {
      const ProblemResult& result = run.problems[p];
      const SweOutcome* swe = nullptr;
      int n_resolved = 0, n_with_swe = 0;
      for (int grade_index : result.grade_indices) {
        if (grade_index < 0 || !run.folder.grades[grade_index].swe) continue;
        const SweOutcome& outcome = *run.folder.grades[grade_index].swe;
        if (swe == nullptr) swe = &outcome;
        ++n_with_swe;
        n_resolved += outcome.resolved ? 1 : 0;
      }
      if (swe == nullptr) {
        html += "<td class=\"muted\">—</td>";
        continue;
      }
      const auto tests = [](const TestOutcomes& t) {
        return std::to_string(t.success.size()) + "/" + std::to_string(t.success.size() + t.failure.size());
      };
      // A patch that was empty or did not apply ran no tests: no F2P / P2P counts to show.
      const bool tests_ran = !(swe->fail_to_pass.success.empty() && swe->fail_to_pass.failure.empty() &&
                               swe->pass_to_pass.success.empty() && swe->pass_to_pass.failure.empty());
      std::string failures;
      for (const std::string& name : swe->fail_to_pass.failure) failures += "<li>F2P " + escape_html(name) + "</li>";
      for (const std::string& name : swe->pass_to_pass.failure) failures += "<li>P2P " + escape_html(name) + "</li>";
      const std::string verdict =
          swe->outcome.empty() || swe->outcome == "resolved" || swe->outcome == "unresolved" ? "" : " (" + swe->outcome + ")";
      html += "<td class=\"swe " + std::string(swe->resolved ? "resolved" : "unresolved") + "\"><b>" +
              (swe->resolved ? "✓ resolved" : "✗ unresolved") + escape_html(verdict) + "</b>" +
              (swe->reason.empty() || swe->resolved ? "" : " <span class=\"muted\">" + escape_html(swe->reason) + "</span>") +
              (n_with_swe > 1 ? " (" + std::to_string(n_resolved) + "/" + std::to_string(n_with_swe) + " samples)" : "") +
              (swe->outcome == "empty_patch" ? "<br>no patch"
                                             : "<br>patch " + std::string(swe->patch_applied ? "applied" : "<b>failed</b>")) +
              (swe->apply_method.empty() ? "" : " <span class=\"muted\">(" + escape_html(swe->apply_method) + ")</span>") +
              (tests_ran ? "<br>F2P " + tests(swe->fail_to_pass) + " · P2P " + tests(swe->pass_to_pass) : "") +
              (failures.empty() ? "" : "<details><summary>failing tests</summary><ul>" + failures + "</ul></details>") + "</td>";
    }
    html += "</tr>";
  }
  return html + "</tbody></table></div></section>";
}

}  // namespace reval::reports::internal
