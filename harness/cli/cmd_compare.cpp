// `reval compare RUN_A RUN_B`: paired comparison of two runs on the same problems.
#include <cstdio>
#include <map>

#include "common/log.h"
#include "harness/cli/commands.h"
#include "harness/run_files.h"
#include "stats/stats.h"

namespace reval::cli {
namespace {

using nlohmann::json;

struct RunScores {
  std::string label;
  std::map<std::string, double> pass1;  // problem id -> pass@1
  std::vector<std::string> order;       // problem ids in run order
};

Result<RunScores> load_scores(const std::string& dir) {
  REVAL_ASSIGN_OR_RETURN(json summary, harness::read_summary_json(dir));
  RunScores scores;
  scores.label = summary.value("suite", "?") + " · " + summary.value("model", "?");
  const auto rows = summary.find("per_problem");
  if (rows == summary.end() || !rows->is_array()) {
    return invalid_input_error(dir + "/summary.json: field \"per_problem\": missing");
  }
  for (const json& row : *rows) {
    if (!row.is_object() || !row.contains("problem_id") || !row.contains("pass@1")) continue;  // no samples
    const std::string id = row["problem_id"].get<std::string>();
    scores.pass1[id] = row["pass@1"].get<double>();
    scores.order.push_back(id);
  }
  return scores;
}

}  // namespace

Command compare_command() {
  Command command;
  command.name = "compare";
  command.summary = "Compare two runs: pass@1 difference, paired bootstrap interval, sign test";
  command.usage = "reval compare RUN_A RUN_B [--seed N]";
  command.description =
      "Pairs the problems both runs graded and reports the difference of pass@1 (B - A) with a paired bootstrap "
      "95% interval (problems resampled together), and an exact sign test on the problems where one run scored "
      "higher. Runs are read from their summary.json (see 'reval grade').";
  command.options = {{"--seed", 0, "N", "bootstrap seed (default 0)"}};
  command.min_positionals = 2;
  command.max_positionals = 2;
  command.run = [](const ParsedArgs& args, CommandContext& ctx) -> Status {
    const std::string dir_a = args.positionals()[0], dir_b = args.positionals()[1];
    REVAL_ASSIGN_OR_RETURN(RunScores a, load_scores(dir_a));
    REVAL_ASSIGN_OR_RETURN(RunScores b, load_scores(dir_b));
    REVAL_ASSIGN_OR_RETURN(auto seed, args.int_value("--seed"));
    std::vector<double> scores_a, scores_b;
    for (const std::string& id : a.order) {
      const auto found = b.pass1.find(id);
      if (found == b.pass1.end()) continue;
      scores_a.push_back(a.pass1[id]);
      scores_b.push_back(found->second);
    }
    if (scores_a.empty()) {
      return invalid_input_error("runs " + dir_a + " and " + dir_b + " have no graded problem in common");
    }
    if (scores_a.size() < a.order.size() || scores_a.size() < b.order.size()) {
      REVAL_LOG_WARN("comparing the " + std::to_string(scores_a.size()) + " problems both runs graded (A has " +
                     std::to_string(a.order.size()) + ", B has " + std::to_string(b.order.size()) + ")");
    }
    const stats::PairedComparison result =
        stats::compare_paired(scores_a, scores_b, static_cast<std::uint64_t>(seed.value_or(0)));
    std::fprintf(ctx.out, "A: %s  (%s)  pass@1 %.1f%%\n", dir_a.c_str(), a.label.c_str(), 100 * result.mean_a);
    std::fprintf(ctx.out, "B: %s  (%s)  pass@1 %.1f%%\n", dir_b.c_str(), b.label.c_str(), 100 * result.mean_b);
    std::fprintf(ctx.out, "problems compared: %d\n", result.n_problems);
    std::fprintf(ctx.out, "delta (B - A): %+.1f points, 95%% CI [%+.1f, %+.1f] (paired bootstrap)\n",
                 100 * result.delta, 100 * result.ci_low, 100 * result.ci_high);
    std::fprintf(ctx.out, "per problem: B better %d, A better %d, ties %d; sign test p = %.3g\n", result.n_b_better,
                 result.n_a_better, result.n_ties, result.sign_test_p);
    return Status::ok_status();
  };
  return command;
}

}  // namespace reval::cli
