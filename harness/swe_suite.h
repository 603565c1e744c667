// SWE suites (`reval run --suite swe-...`, grader "swe"): the instances, and the problems and prompts
// of a run in SWE-bench's oracle retrieval setting (the problem statement plus the files the gold patch
// edits, read at base_commit from the repository bundle or mirror). Not thread-safe.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "datasets/problem.h"
#include "graders/swe/instance.h"

namespace reval::harness {

inline constexpr const char* kSweGrader = "swe";

// A file is read directly (JSONL, gzip JSONL, JSON array); anything else is a datasets registry id
// ("swe-verified"), whose rows come back as Problems: id = instance_id, problem = problem_statement,
// every other SWE-bench field in meta. `offline`: the registry dataset must be cached.
Result<std::vector<graders::swe::SweInstance>> load_swe_instances(const std::string& name_or_path, bool offline);

// A suite's SWE dataset may name its instances relative to the repository folder: "{repos}" in it
// is replaced by `repos_dir` (e.g. "{repos}/../instances.jsonl" for a folder built by
// datasets/samples/swe/make_samples.py or ../shared/data/swe-real).
std::string resolve_swe_dataset(const std::string& dataset, const std::string& repos_dir);

struct SweProblems {
  // As stored in problems.jsonl: id = instance_id, problem = problem statement, answer "" (SWE rows
  // have no gold answer; the tests decide), meta = repo, base_commit, version, oracle_files.
  std::vector<datasets::Problem> problems;
  // The same problems with `problem` replaced by the whole rendered user message, for the request
  // plan (whose template is then "{problem}").
  std::vector<datasets::Problem> prompts;
};

// Reads the oracle files of every instance from `repos_dir` (bundles are imported into `cache_dir`
// once) and renders `user_template` ("{problem}", "{files}", "{repo}", "{instance_id}"). Errors name
// the instance: a missing repository, a gold-patch file absent at base_commit.
Result<SweProblems> build_swe_problems(const std::vector<graders::swe::SweInstance>& instances,
                                       const std::string& user_template, const std::string& repos_dir,
                                       const std::string& cache_dir);

}  // namespace reval::harness
