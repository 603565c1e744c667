// `reval run` on an SWE suite (grader "swe"): the extra options (--repos, --workers, --no-sandbox,
// --test-timeout, --keep) and the preparation done before the first request: sandbox probe, instances,
// oracle-retrieval prompts, grading options.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "common/result.h"
#include "graders/swe/evaluator.h"
#include "graders/swe/instance.h"
#include "harness/cli/args.h"
#include "harness/suite.h"
#include "harness/swe_suite.h"

namespace reval::cli {

std::vector<OptionSpec> swe_run_option_specs();

struct SweRunSetup {
  std::string repos_dir;
  std::string dataset;  // the instances file or registry id actually read
  std::vector<graders::swe::SweInstance> instances;
  harness::SweProblems problems;
  harness::SuiteSpec prompt_suite;  // the suite with user template "{problem}" (prompts are pre-rendered)
  graders::swe::EvalOptions eval;   // out_dir is set once the run folder is known
  int n_workers = 1;
};

// Checks the options and the sandbox (unless --no-sandbox, which prints a warning to `err`), loads the
// instances (after --limit) and renders their prompts. Usage error when no repository folder is given.
Result<SweRunSetup> prepare_swe_run(const ParsedArgs& args, const harness::SuiteSpec& suite, std::FILE* err);

}  // namespace reval::cli
