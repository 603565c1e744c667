#include "harness/scoring.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <map>

#include "common/check.h"
#include "common/files.h"
#include "common/strings.h"
#include "harness/run_store.h"
#include "harness/suite.h"
#include "stats/stats.h"

namespace reval::harness {
namespace {

using nlohmann::json;

struct ProblemScore {
  const datasets::Problem* problem = nullptr;
  stats::ProblemSamples samples;  // graded samples in sample order
  int n_errors = 0;
};

json estimate_json(const stats::Estimate& estimate) {
  return {{"value", estimate.value}, {"stderr", estimate.stderr_}, {"ci95", {estimate.ci_low, estimate.ci_high}}};
}

// Per-problem score of one metric, or nullopt when the problem has no graded samples.
std::optional<double> metric_value(const MetricName& metric, const stats::ProblemSamples& samples) {
  const int n = static_cast<int>(samples.correct.size());
  if (n == 0) return std::nullopt;
  const int k = std::min(metric.k, n);
  if (metric.kind == "cons") return stats::cons_at_k(samples, k);
  const int c = static_cast<int>(std::count(samples.correct.begin(), samples.correct.end(), true));
  return stats::pass_at_k(n, c, k);
}

ScoredRun score_samples(const ScoringInput& input, const graders::Grader* grader) {
  std::map<std::string, std::vector<const Completion*>> by_problem;
  for (const Completion& c : input.samples) {
    if (c.sample < input.k) by_problem[c.problem_id].push_back(&c);
  }
  ScoredRun out;
  std::vector<ProblemScore> scores;
  std::int64_t n_graded = 0, n_truncated = 0, n_errors = 0, reasoning_tokens = 0, answer_tokens = 0,
               completion_tokens = 0, n_ungraded = 0;
  for (const datasets::Problem& problem : input.problems) {
    ProblemScore score;
    score.problem = &problem;
    score.samples.problem_id = problem.id;
    auto& list = by_problem[problem.id];
    std::sort(list.begin(), list.end(), [](const Completion* a, const Completion* b) { return a->sample < b->sample; });
    for (const Completion* c : list) {
      completion_tokens += c->completion_tokens;
      if (c->finish_reason == "error") {
        ++score.n_errors;
        ++n_errors;
        continue;
      }
      graders::Grade grade;
      json extra = json::object();
      if (input.external_grades != nullptr) {
        const auto found = input.external_grades->find({problem.id, c->sample});
        if (found == input.external_grades->end()) {
          ++n_ungraded;
          continue;
        }
        grade = found->second.grade;
        extra = found->second.extra;
      } else {
        const graders::Response response{c->text, c->reasoning, c->reasoning_open, c->finish_reason};
        grade = grader->grade(problem.answer, response);
      }
      score.samples.correct.push_back(grade.correct);
      score.samples.canonical.push_back(grade.canonical);
      ++n_graded;
      if (c->finish_reason == "length") ++n_truncated;
      reasoning_tokens += c->reasoning_tokens;
      answer_tokens += c->completion_tokens - c->reasoning_tokens;
      json row = {{"problem_id", problem.id}, {"sample", c->sample}, {"correct", grade.correct},
                  {"extracted", grade.extracted}, {"canonical", grade.canonical},
                  {"reason", grade.reason}, {"rule", grade.rule}};
      for (const auto& [key, value] : extra.items()) row[key] = value;
      out.grades.push_back(std::move(row));
    }
    scores.push_back(std::move(score));
  }

  json summary;
  static const json kEmpty = json::object();
  const json& run = input.run_json.is_object() ? input.run_json : kEmpty;
  summary["format_version"] = kRunFormatVersion;
  const auto nested = [&](const char* object, const char* key) -> std::string {
    const auto it = run.find(object);
    if (it == run.end() || !it->is_object()) return "";
    const auto value = it->find(key);
    return value != it->end() && value->is_string() ? value->get<std::string>() : "";
  };
  summary["suite"] = nested("suite", "name");
  summary["model"] = nested("model", "name");
  summary["backend"] = nested("model", "backend");
  json per_problem = json::array();
  std::map<std::string, std::vector<double>> metric_values;
  std::size_t n_scored = 0;
  for (const ProblemScore& score : scores) {
    const int n = static_cast<int>(score.samples.correct.size());
    const int c = static_cast<int>(std::count(score.samples.correct.begin(), score.samples.correct.end(), true));
    json row = {{"problem_id", score.problem->id}, {"n", n}, {"correct", c}, {"errors", score.n_errors}};
    if (n > 0) {
      ++n_scored;
      row["pass@1"] = static_cast<double>(c) / n;
      const int winner = stats::majority_vote_index(score.samples, n);
      row["cons_answer"] = winner >= 0 ? json(score.samples.canonical[static_cast<std::size_t>(winner)]) : json(nullptr);
      row["cons_correct"] = winner >= 0 && score.samples.correct[static_cast<std::size_t>(winner)];
      for (const std::string& name : input.metrics) {
        const Result<MetricName> metric = parse_metric(name);
        if (!metric.ok()) continue;
        if (const auto value = metric_value(*metric, score.samples)) metric_values[name].push_back(*value);
      }
    }
    per_problem.push_back(std::move(row));
  }
  json metrics = json::object();
  for (const std::string& name : input.metrics) {
    const auto found = metric_values.find(name);
    metrics[name] = found == metric_values.end() ? json(nullptr) : estimate_json(stats::estimate_mean(found->second, input.seed));
  }
  summary["n_problems"] = n_scored;
  summary["n_problems_missing"] = input.problems.size() - n_scored;
  summary["n_samples"] = n_graded;
  summary["k"] = input.k;
  summary["metrics"] = std::move(metrics);
  summary["truncated_fraction"] = n_graded > 0 ? static_cast<double>(n_truncated) / static_cast<double>(n_graded) : 0.0;
  summary["errors"] = n_errors;
  if (input.external_grades != nullptr) summary["n_ungraded"] = n_ungraded;
  summary["mean_reasoning_tokens"] = n_graded > 0 ? static_cast<double>(reasoning_tokens) / static_cast<double>(n_graded) : 0.0;
  summary["mean_answer_tokens"] = n_graded > 0 ? static_cast<double>(answer_tokens) / static_cast<double>(n_graded) : 0.0;
  const auto wall = run.find("wall_time_s");
  const double wall_s = wall != run.end() && wall->is_number() ? wall->get<double>() : 0.0;
  summary["wall_time_s"] = wall_s;
  summary["completion_tokens"] = completion_tokens;
  summary["tokens_per_s"] = wall_s > 0 ? static_cast<double>(completion_tokens) / wall_s : 0.0;
  summary["cost_usd"] = nullptr;
  summary["per_problem"] = std::move(per_problem);
  out.summary = std::move(summary);
  return out;
}

}  // namespace

ScoredRun score_run(const ScoringInput& input, const graders::Grader& grader) { return score_samples(input, &grader); }

ScoredRun score_run(const ScoringInput& input) {
  REVAL_CHECK(input.external_grades != nullptr);
  return score_samples(input, nullptr);
}

Status write_scored_run(const std::string& dir, const ScoredRun& scored) {
  std::string grades;
  for (const json& row : scored.grades) grades += row.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
  REVAL_RETURN_IF_ERROR(write_file_atomic(dir + "/" + kGradesJsonl, grades));
  return write_file_atomic(dir + "/" + kSummaryJson, scored.summary.dump(2, ' ', false, json::error_handler_t::replace) + "\n");
}

std::string format_summary(const json& summary) {
  std::string out;
  char line[256];
  std::snprintf(line, sizeof line, "%s · %s (%s) · %d problems, %d samples (k = %d)\n",
                summary.value("suite", "").c_str(), summary.value("model", "").c_str(),
                summary.value("backend", "").c_str(), summary.value("n_problems", 0), summary.value("n_samples", 0),
                summary.value("k", 0));
  out += line;
  // pass@1 first, then the other metrics (summary.json keeps them sorted by name).
  std::vector<std::string> names;
  if (summary["metrics"].contains("pass@1")) names.push_back("pass@1");
  for (const auto& [name, value] : summary["metrics"].items()) {
    if (name != "pass@1") names.push_back(name);
  }
  for (const std::string& name : names) {
    const json& value = summary["metrics"][name];
    if (value.is_null()) {
      std::snprintf(line, sizeof line, "  %-9s  n/a (no graded samples)\n", name.c_str());
    } else {
      std::snprintf(line, sizeof line, "  %-9s %5.1f%% ± %.1f  (95%% CI %.1f–%.1f)\n", name.c_str(),
                    100 * value["value"].get<double>(), 100 * value["stderr"].get<double>(),
                    100 * value["ci95"][0].get<double>(), 100 * value["ci95"][1].get<double>());
    }
    out += line;
  }
  const int missing = summary.value("n_problems_missing", 0);
  std::snprintf(line, sizeof line, "  truncated %.1f%% · errors %d%s · mean reasoning tokens %.0f\n",
                100 * summary.value("truncated_fraction", 0.0), summary.value("errors", 0),
                missing > 0 ? (" · " + std::to_string(missing) + " problems without samples").c_str() : "",
                summary.value("mean_reasoning_tokens", 0.0));
  out += line;
  std::snprintf(line, sizeof line, "  wall time %s · %" PRId64 " completion tokens · %.1f tokens/s\n",
                format_duration(summary.value("wall_time_s", 0.0)).c_str(),
                summary.value("completion_tokens", std::int64_t{0}), summary.value("tokens_per_s", 0.0));
  out += line;
  return out;
}

}  // namespace reval::harness
