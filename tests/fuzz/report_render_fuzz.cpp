// libFuzzer target: model output (problem ids, answers, sample texts, extracted answers, labels) taken
// from the fuzz input must never become markup in the HTML report. Builds an in-memory run from the
// input, renders HTML, Markdown and JSON, and aborts when the page holds a script block or an element that
// the template did not put there.
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "reports/render.h"
#include "reports/report_model.h"

namespace {

std::size_t count_ci(const std::string& haystack, std::string_view needle) {
  std::string lower(haystack.size(), ' ');
  std::transform(haystack.begin(), haystack.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  std::size_t n = 0;
  for (std::size_t pos = lower.find(needle); pos != std::string::npos; pos = lower.find(needle, pos + 1)) ++n;
  return n;
}

// Splits the input at 0xFF bytes into fields (cycled when there are fewer than needed).
std::vector<std::string> fields_of(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> fields(1);
  for (std::size_t i = 0; i < size; ++i) {
    if (data[i] == 0xFF) {
      fields.emplace_back();
    } else {
      fields.back() += static_cast<char>(data[i]);
    }
  }
  return fields;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace reval::reports;
  const std::vector<std::string> fields = fields_of(data, size);
  std::size_t next = 0;
  const auto field = [&]() -> const std::string& { return fields[next++ % fields.size()]; };

  RunFolder run;
  run.path = field();
  run.info.run_id = field();
  run.info.suite_name = field();
  run.info.model.name = field();
  run.info.metrics = {"pass@1", "cons@2"};
  for (int p = 0; p < 2; ++p) {
    ProblemRecord problem{field() + "#" + std::to_string(p), field(), field()};
    for (int s = 0; s < 2; ++s) {
      SampleRecord sample;
      sample.problem_id = problem.id;
      sample.sample = s;
      sample.text = clip_text(field(), 64);
      sample.reasoning = clip_text(field(), 0);
      sample.finish_reason = field();
      sample.error = field();
      run.samples.push_back(sample);
      GradeRecord grade;
      grade.problem_id = problem.id;
      grade.sample = s;
      grade.correct = (field().size() % 2) == 0;
      grade.extracted = field();
      grade.canonical = field();
      grade.reason = field();
      if (s == 1) grade.swe = SweOutcome{true, false, field(), {{field()}, {field()}}, {{}, {field()}}};
      run.grades.push_back(grade);
    }
    run.problems.push_back(problem);
  }
  std::vector<RunFolder> runs = {run, run};
  auto model = build_report_model(std::move(runs), {});
  if (!model.ok()) return 0;
  HtmlOptions options;
  options.title = field();
  const std::string html = render_html(*model, options);
  const std::size_t n_blocks = model->problem_ids.size();
  // The template's one script plus one JSON block per problem, and nothing else that could run.
  if (count_ci(html, "<script") != 1 + n_blocks || count_ci(html, "</script") != 1 + n_blocks) std::abort();
  // Elements the template never uses; escaped text may still contain the words, never the tags.
  for (std::string_view tag : {"<img", "<iframe", "<object", "<embed", "<base", "<meta http-equiv=\"refresh"}) {
    if (count_ci(html, tag) != 0) std::abort();
  }
  (void)render_markdown(*model);
  (void)render_json(*model);
  return 0;
}
