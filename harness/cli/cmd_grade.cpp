// `reval grade RUN`: re-grade a stored run (after a grader improvement) without calling the model.
#include <cstdio>

#include "graders/grader.h"
#include "harness/swe_grading.h"
#include "harness/swe_suite.h"
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
  harness::ScoringInput input;
  std::string grader_name;
  // run.json may have been edited by hand: a field of the wrong type is a one-line error, not a crash.
  try {
    grader_name = run["suite"].value("grader", "");
    input.metrics = run["suite"].value("metrics", std::vector<std::string>{"pass@1"});
    const json sampling = run.value("sampling", json::object());
    input.k = sampling.value("samples", 1);
    input.seed = sampling.value("seed", std::uint64_t{0});
  } catch (const json::exception& e) {
    return invalid_input_error(where + ": " + e.what());
  }
  std::unique_ptr<graders::Grader> grader;
  if (grader_name != harness::kSweGrader) {
    REVAL_ASSIGN_OR_RETURN(grader, graders::make_grader(grader_name));
  }
  REVAL_ASSIGN_OR_RETURN(std::vector<datasets::Problem> problems, harness::read_problems(dir));
  REVAL_ASSIGN_OR_RETURN(harness::SamplesFile samples, harness::read_samples(dir + "/" + harness::kSamplesJsonl));
  input.run_json = run;
  input.problems = std::move(problems);
  input.samples = std::move(samples.samples);
  harness::ScoredRun scored;
  std::string swe_line;
  if (grader == nullptr) {
    // SWE runs are scored from their stored verdicts: tests are not run again (`reval run` grades the
    // samples that have none).
    REVAL_ASSIGN_OR_RETURN(auto verdicts, harness::SweResults::read(dir));
    scored = harness::score_swe_run(input, verdicts, input.k);
    swe_line = harness::format_swe_breakdown(scored.summary["swe"]);
  } else {
    scored = harness::score_run(input, *grader);
  }
  REVAL_RETURN_IF_ERROR(harness::write_scored_run(dir, scored));
  std::fputs(harness::format_summary(scored.summary).c_str(), ctx.out);
  std::fputs(swe_line.c_str(), ctx.out);
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
