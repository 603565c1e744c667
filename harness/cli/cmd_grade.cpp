// `reval grade RUN`: re-grade a stored run (after a grader improvement) without calling the model.
#include <cstdio>

#include "graders/grader.h"
#include "harness/cli/commands.h"
#include "harness/run_files.h"
#include "harness/run_store.h"
#include "harness/sample_record.h"
#include "harness/scoring.h"

namespace reval::cli {
namespace {

using nlohmann::json;

Status grade_run(const std::string& dir, CommandContext& ctx) {
  REVAL_ASSIGN_OR_RETURN(json run, harness::read_run_json(dir));
  const std::string where = dir + "/" + harness::kRunJson;
  if (!run.contains("suite") || !run["suite"].is_object() || !run["suite"].contains("grader")) {
    return invalid_input_error(where + ": field \"suite.grader\": missing");
  }
  REVAL_ASSIGN_OR_RETURN(std::unique_ptr<graders::Grader> grader,
                         graders::make_grader(run["suite"].value("grader", "")));
  REVAL_ASSIGN_OR_RETURN(std::vector<datasets::Problem> problems, harness::read_problems(dir));
  REVAL_ASSIGN_OR_RETURN(harness::SamplesFile samples, harness::read_samples(dir + "/" + harness::kSamplesJsonl));
  harness::ScoringInput input;
  input.run_json = run;
  input.problems = std::move(problems);
  input.samples = std::move(samples.samples);
  input.metrics = run["suite"].value("metrics", std::vector<std::string>{"pass@1"});
  const json sampling = run.value("sampling", json::object());
  input.k = sampling.value("samples", 1);
  input.seed = sampling.value("seed", std::uint64_t{0});
  const harness::ScoredRun scored = harness::score_run(input, *grader);
  REVAL_RETURN_IF_ERROR(harness::write_scored_run(dir, scored));
  std::fputs(harness::format_summary(scored.summary).c_str(), ctx.out);
  return Status::ok_status();
}

}  // namespace

Command grade_command() {
  Command command;
  command.name = "grade";
  command.summary = "Re-grade a stored run without calling the model";
  command.usage = "reval grade RUN_DIR...";
  command.description =
      "Reads RUN_DIR/samples.jsonl and problems.jsonl, grades every sample with the run's grader, and rewrites "
      "grades.jsonl and summary.json. Use it after a grader improvement, or on a run that was interrupted.";
  command.min_positionals = 1;
  command.max_positionals = -1;
  command.run = [](const ParsedArgs& args, CommandContext& ctx) -> Status {
    for (const std::string& dir : args.positionals()) {
      REVAL_RETURN_IF_ERROR(grade_run(dir, ctx));
    }
    return Status::ok_status();
  };
  return command;
}

}  // namespace reval::cli
