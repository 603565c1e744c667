// Builds the report model: aligns runs on their shared problems and computes every number the
// renderers show, using reval::stats for estimates and paired comparisons.
#include "reports/report_model.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <map>
#include <set>
#include <unordered_map>

#include "common/strings.h"

namespace reval::reports {
namespace {

// The problems a run covers, in order: problems.jsonl, else the order samples first mention them.
std::vector<std::string> run_problem_ids(const RunFolder& run) {
  std::vector<std::string> ids;
  std::set<std::string> seen;
  for (const ProblemRecord& problem : run.problems) {
    if (seen.insert(problem.id).second) ids.push_back(problem.id);
  }
  if (!ids.empty()) return ids;
  for (const SampleRecord& sample : run.samples) {
    if (seen.insert(sample.problem_id).second) ids.push_back(sample.problem_id);
  }
  for (const GradeRecord& grade : run.grades) {
    if (seen.insert(grade.problem_id).second) ids.push_back(grade.problem_id);
  }
  return ids;
}

std::vector<std::string> run_metric_names(const RunFolder& run) {
  if (!run.info.metrics.empty()) return run.info.metrics;
  std::vector<std::string> names;
  if (run.summary) {
    for (const auto& entry : run.summary->metrics) names.push_back(entry.first);
  }
  if (names.empty()) names.push_back("pass@1");
  return names;
}

std::optional<std::time_t> parse_utc_time(const std::string& text) {
  std::tm tm{};
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (std::sscanf(text.c_str(), "%d-%d-%dT%d:%d:%d", &year, &month, &day, &hour, &minute, &second) != 6) {
    return std::nullopt;
  }
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return timegm(&tm);
}

std::string run_label(const RunFolder& run) {
  const ModelInfo& model = run.info.model;
  std::string label;
  if (!model.file.empty()) {
    label = std::filesystem::path(model.file).stem().string();
  } else if (!model.name.empty()) {
    label = model.name;
  }
  if (label.empty()) label = run.info.run_id;
  if (label.empty()) label = std::filesystem::path(run.path).filename().string();
  return label;
}

// Collects one run's results on the compared problems.
void collect_problem_results(RunReport& report, const std::vector<std::string>& problem_ids) {
  const RunFolder& run = report.folder;
  std::map<std::pair<std::string, int>, int> grade_of;
  for (std::size_t i = 0; i < run.grades.size(); ++i) {
    grade_of[{run.grades[i].problem_id, run.grades[i].sample}] = static_cast<int>(i);
    if (const auto& swe = run.grades[i].swe) {
      report.has_swe = true;
      ++report.swe_outcomes[swe->outcome.empty() ? (swe->resolved ? "resolved" : "unresolved") : swe->outcome];
    }
  }
  std::unordered_map<std::string, std::vector<int>> samples_of;
  for (std::size_t i = 0; i < run.samples.size(); ++i) samples_of[run.samples[i].problem_id].push_back(static_cast<int>(i));

  report.problems.assign(problem_ids.size(), ProblemResult{});
  for (std::size_t p = 0; p < problem_ids.size(); ++p) {
    ProblemResult& result = report.problems[p];
    std::vector<int>& indices = samples_of[problem_ids[p]];
    std::sort(indices.begin(), indices.end(), [&](int a, int b) { return run.samples[a].sample < run.samples[b].sample; });
    stats::ProblemSamples votes;
    for (int index : indices) {
      const SampleRecord& sample = run.samples[index];
      auto grade = grade_of.find({sample.problem_id, sample.sample});
      result.sample_indices.push_back(index);
      result.grade_indices.push_back(grade == grade_of.end() ? -1 : grade->second);
      if (sample.finish_reason == "error" || grade == grade_of.end()) continue;
      const GradeRecord& verdict = run.grades[grade->second];
      ++result.n;
      result.correct += verdict.correct ? 1 : 0;
      votes.correct.push_back(verdict.correct);
      votes.canonical.push_back(verdict.canonical);
      const double tokens = static_cast<double>(sample.completion_tokens.value_or(0));
      (verdict.correct ? report.tokens_correct : report.tokens_wrong).push_back(tokens);
    }
    const int winner = votes.correct.empty() ? -1 : stats::majority_vote_index(votes, static_cast<int>(votes.correct.size()));
    if (winner >= 0) {
      result.cons_correct = votes.correct[winner];
      result.cons_answer = votes.canonical[winner];
    }
  }
}

MetricCell compute_metric(const RunReport& report, const std::string& name, std::uint64_t seed) {
  MetricCell cell;
  cell.name = name;
  const int k = metric_k(name);
  const bool is_cons = name.rfind("cons@", 0) == 0;
  if (k <= 0) return cell;  // an unknown metric name: shown as unavailable
  std::vector<double> scores;
  const RunFolder& run = report.folder;
  for (const ProblemResult& result : report.problems) {
    // A problem whose samples all failed (infrastructure errors) says nothing about the model: skipped.
    if (result.n == 0) continue;
    if (result.n < k) return cell;  // too few samples for this k on some problem
    if (is_cons) {
      stats::ProblemSamples votes;
      for (std::size_t i = 0; i < result.sample_indices.size(); ++i) {
        const int grade = result.grade_indices[i];
        if (grade < 0 || run.samples[result.sample_indices[i]].finish_reason == "error") continue;
        votes.correct.push_back(run.grades[grade].correct);
        votes.canonical.push_back(run.grades[grade].canonical);
      }
      scores.push_back(stats::cons_at_k(votes, k));
    } else {
      scores.push_back(stats::pass_at_k(result.n, result.correct, k));
    }
  }
  if (scores.empty()) return cell;
  const stats::Estimate estimate = stats::estimate_mean(scores, seed);
  cell.available = true;
  cell.value = estimate.value;
  cell.stderr_ = estimate.stderr_;
  cell.ci_low = estimate.ci_low;
  cell.ci_high = estimate.ci_high;
  return cell;
}

void compute_headline(RunReport& report, const std::vector<std::string>& metric_names, bool use_summary,
                      std::uint64_t seed) {
  Headline& headline = report.headline;
  const RunFolder& run = report.folder;
  // Counts over the samples of the compared problems.
  std::int64_t n_non_error = 0, n_truncated = 0, n_reasoning = 0, n_answer = 0;
  double sum_reasoning = 0, sum_answer = 0, prompt_tokens = 0, completion_tokens = 0;
  for (const ProblemResult& result : report.problems) {
    headline.k = std::max<std::int64_t>(headline.k, static_cast<std::int64_t>(result.sample_indices.size()));
    for (int index : result.sample_indices) {
      const SampleRecord& sample = run.samples[index];
      ++headline.n_samples;
      prompt_tokens += static_cast<double>(sample.prompt_tokens.value_or(0));
      completion_tokens += static_cast<double>(sample.completion_tokens.value_or(0));
      if (sample.finish_reason == "error") {
        ++headline.errors;
        continue;
      }
      ++n_non_error;
      if (sample.finish_reason == "length") ++n_truncated;
      if (sample.reasoning_tokens) {
        sum_reasoning += static_cast<double>(*sample.reasoning_tokens);
        ++n_reasoning;
      }
      if (sample.completion_tokens) {
        sum_answer += static_cast<double>(*sample.completion_tokens - sample.reasoning_tokens.value_or(0));
        ++n_answer;
      }
    }
  }
  if (n_non_error > 0) headline.truncated_fraction = static_cast<double>(n_truncated) / static_cast<double>(n_non_error);
  if (n_reasoning > 0) headline.mean_reasoning_tokens = sum_reasoning / static_cast<double>(n_reasoning);
  if (n_answer > 0) headline.mean_answer_tokens = sum_answer / static_cast<double>(n_answer);
  const auto started = parse_utc_time(run.info.started);
  const auto finished = parse_utc_time(run.info.finished);
  if (started && finished && *finished >= *started) headline.wall_time_s = static_cast<double>(*finished - *started);
  if (headline.wall_time_s && *headline.wall_time_s > 0) headline.tokens_per_s = completion_tokens / *headline.wall_time_s;
  const ModelInfo& model = run.info.model;
  if (model.price_input_per_mtok && model.price_output_per_mtok) {
    headline.cost_usd = (prompt_tokens * *model.price_input_per_mtok + completion_tokens * *model.price_output_per_mtok) / 1e6;
  }
  for (const std::string& name : metric_names) headline.metrics.push_back(compute_metric(report, name, seed));

  if (!use_summary || !run.summary) return;
  // The run's own summary.json covers exactly these problems: show its numbers, so the report and the
  // run agree to the digit.
  const RunSummary& summary = *run.summary;
  headline.from_summary = true;
  for (MetricCell& cell : headline.metrics) {
    auto it = summary.metrics.find(cell.name);
    if (it == summary.metrics.end()) continue;
    cell.available = true;
    cell.value = it->second.value;
    cell.stderr_ = it->second.stderr_;
    cell.ci_low = it->second.ci_low;
    cell.ci_high = it->second.ci_high;
  }
  if (summary.n_samples) headline.n_samples = *summary.n_samples;
  if (summary.k) headline.k = *summary.k;
  if (summary.truncated_fraction) headline.truncated_fraction = summary.truncated_fraction;
  if (summary.errors) headline.errors = *summary.errors;
  if (summary.mean_reasoning_tokens) headline.mean_reasoning_tokens = summary.mean_reasoning_tokens;
  if (summary.mean_answer_tokens) headline.mean_answer_tokens = summary.mean_answer_tokens;
  if (summary.wall_time_s) headline.wall_time_s = summary.wall_time_s;
  if (summary.tokens_per_s) headline.tokens_per_s = summary.tokens_per_s;
  if (summary.cost_usd) headline.cost_usd = summary.cost_usd;
}

std::string describe_scope(const ReportModel& model, const std::vector<std::size_t>& run_sizes) {
  std::set<std::string> suites;
  for (const RunReport& run : model.runs) suites.insert(run.folder.info.suite_name.empty() ? "?" : run.folder.info.suite_name);
  std::vector<std::string> suite_list(suites.begin(), suites.end());
  const std::string n = std::to_string(model.problem_ids.size());
  if (!model.problem_sets_differ) {
    return model.runs.size() == 1 ? "One run on " + n + " problems (" + join(suite_list, ", ") + ")."
                                   : "All " + std::to_string(model.runs.size()) + " runs cover the same " + n +
                                         " problems (" + join(suite_list, ", ") + ").";
  }
  std::vector<std::string> sizes;
  for (std::size_t i = 0; i < model.runs.size(); ++i) {
    sizes.push_back(model.runs[i].label + ": " + std::to_string(run_sizes[i]));
  }
  return "The runs cover different problem sets (" + join(sizes, ", ") + " problems; suites " + join(suite_list, ", ") +
         "). Every table and chart compares them only on the " + n + " problems all runs share.";
}

void assign_unique_labels(std::vector<RunReport>& runs) {
  std::map<std::string, int> count;
  for (RunReport& run : runs) {
    run.label = run_label(run.folder);
    ++count[run.label];
  }
  for (RunReport& run : runs) {
    if (count[run.label] > 1 && !run.folder.info.run_id.empty()) run.label += " (" + run.folder.info.run_id + ")";
  }
}

}  // namespace

int metric_k(const std::string& metric_name) {
  const std::size_t at = metric_name.find('@');
  if (at == std::string::npos) return 0;
  const auto k = parse_int(std::string_view(metric_name).substr(at + 1));
  return (k && *k > 0 && *k <= 1'000'000) ? static_cast<int>(*k) : 0;
}

Result<ReportModel> build_report_model(std::vector<RunFolder> runs, const ReportOptions& options) {
  if (runs.empty()) return usage_error("no runs given");
  if (options.baseline < 0 || options.baseline >= static_cast<int>(runs.size())) {
    return usage_error("baseline index " + std::to_string(options.baseline) + " is out of range");
  }
  ReportModel model;
  model.baseline = options.baseline;
  const PublishedScores& registry = options.published ? *options.published : PublishedScores::builtin();

  // Problem ids are only comparable within one dataset ("60" of AIME 2024 is not "60" of MATH-500).
  std::map<std::string, std::vector<std::string>> runs_of_dataset;
  for (const RunFolder& run : runs) {
    const std::string dataset = run.info.dataset.empty() ? run.info.suite_name : run.info.dataset;
    if (!dataset.empty()) runs_of_dataset[dataset].push_back(run.info.run_id.empty() ? run.path : run.info.run_id);
  }
  if (runs_of_dataset.size() > 1) {
    std::vector<std::string> parts;
    for (const auto& [dataset, ids] : runs_of_dataset) parts.push_back(dataset + ": " + join(ids, ", "));
    return invalid_input_error("the runs are on different datasets (" + join(parts, "; ") +
                               "), so they share no problem; report each dataset separately");
  }
  std::vector<std::vector<std::string>> ids_per_run;
  std::map<std::string, int> n_runs_with;
  for (const RunFolder& run : runs) {
    ids_per_run.push_back(run_problem_ids(run));
    for (const std::string& id : ids_per_run.back()) ++n_runs_with[id];
  }
  for (const std::string& id : ids_per_run[0]) {
    if (n_runs_with[id] == static_cast<int>(runs.size())) model.problem_ids.push_back(id);
  }
  if (model.problem_ids.empty()) {
    std::vector<std::string> paths;
    for (const RunFolder& run : runs) paths.push_back(run.path + " (" + std::to_string(run_problem_ids(run).size()) + " problems)");
    return invalid_input_error("the runs share no problem: " + join(paths, ", "));
  }
  std::vector<std::size_t> run_sizes;
  for (const auto& ids : ids_per_run) {
    run_sizes.push_back(ids.size());
    if (ids.size() != model.problem_ids.size()) model.problem_sets_differ = true;
  }

  for (RunFolder& run : runs) {
    for (const std::string& warning : run.warnings) model.warnings.push_back(warning);
    for (const std::string& metric : run_metric_names(run)) {
      if (std::find(model.metric_names.begin(), model.metric_names.end(), metric) == model.metric_names.end()) {
        model.metric_names.push_back(metric);
      }
    }
    RunReport report;
    report.folder = std::move(run);
    model.runs.push_back(std::move(report));
  }
  assign_unique_labels(model.runs);

  // Problem texts come from the first run that has them.
  for (const std::string& id : model.problem_ids) {
    ProblemRecord record{id, "", ""};
    for (const RunReport& run : model.runs) {
      auto it = std::find_if(run.folder.problems.begin(), run.folder.problems.end(),
                             [&](const ProblemRecord& p) { return p.id == id; });
      if (it != run.folder.problems.end()) {
        record = *it;
        break;
      }
    }
    model.problems.push_back(std::move(record));
  }

  for (std::size_t i = 0; i < model.runs.size(); ++i) {
    RunReport& report = model.runs[i];
    collect_problem_results(report, model.problem_ids);
    const bool covers_exactly = run_sizes[i] == model.problem_ids.size();
    compute_headline(report, model.metric_names, covers_exactly, options.seed);
    const RunInfo& info = report.folder.info;
    report.published = registry.find(info.model.name, info.model.file,
                                      info.suite_name.empty() ? info.dataset : info.suite_name);
  }
  model.scope_note = describe_scope(model, run_sizes);

  const RunReport& baseline = model.runs[model.baseline];
  for (std::size_t i = 0; i < model.runs.size(); ++i) {
    if (static_cast<int>(i) == model.baseline) continue;
    std::vector<double> a, b;
    for (std::size_t p = 0; p < model.problem_ids.size(); ++p) {
      // Problems where either run has no graded sample carry no information about the difference.
      if (baseline.problems[p].n == 0 || model.runs[i].problems[p].n == 0) continue;
      a.push_back(baseline.problems[p].pass1());
      b.push_back(model.runs[i].problems[p].pass1());
    }
    Comparison comparison;
    comparison.run = static_cast<int>(i);
    if (!a.empty()) comparison.paired = stats::compare_paired(a, b, options.seed);
    model.comparisons.push_back(comparison);
  }
  return model;
}

}  // namespace reval::reports
