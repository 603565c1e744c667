// Helpers for the SWE grader tests: building the sample repositories, checking that the sandbox
// can run here, and writing instances whose test patch adds one file.
#pragma once

#include <string>
#include <vector>

#include "graders/swe/evaluator.h"
#include "graders/swe/instance.h"
#include "tests/support/test_support.h"

namespace reval::test::swe {

// Builds datasets/samples/swe into `out_dir` (make_samples.py); returns "" and prints why on failure.
std::string build_samples(const std::string& out_dir);

// The sample instances built into `samples_dir`.
std::vector<graders::swe::SweInstance> sample_instances(const std::string& samples_dir);

// Empty when the bwrap sandbox works here; else the reason (for skip()).
std::string sandbox_unavailable_reason();

// A patch creating `path` with `content` (which ends in '\n').
std::string new_file_patch(const std::string& path, const std::string& content);

// Evaluation options writing under `dir` (work trees, mirror cache, reports).
graders::swe::EvalOptions eval_options_in(const std::string& dir, const std::string& repos_dir);

// Processes on this machine whose command line contains `needle` (excluding this test process and
// bwrap launchers), after waiting up to 2 s for killed ones to disappear.
int count_processes_with(const std::string& needle);

}  // namespace reval::test::swe
