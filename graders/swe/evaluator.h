// Evaluating one prediction on one SWE-bench instance: work tree at base_commit, the model patch
// with SWE-bench's fallbacks, test files reset and test_patch applied, the test command run in the
// sandbox, its log parsed and graded. Writes report.json, test_output.txt, patch.diff and
// run_instance.log to <out_dir>/<instance_id>/ (SWE-bench's per-instance layout).
// Thread-safe for distinct instances and slots.
#pragma once

#include <string>

#include "graders/swe/grading.h"
#include "graders/swe/instance.h"
#include "graders/swe/sandbox.h"

namespace reval::graders::swe {

// The three ways SWE-bench tries to apply a patch, in order.
inline constexpr const char* kApplyGit = "git apply -v";
inline constexpr const char* kApplyGitReject = "git apply -v --reject";
inline constexpr const char* kApplyPatch = "patch --batch --fuzz=5 -p1";

struct EvalOptions {
  std::string repos_dir;  // bundles or mirrors (see work_tree.h)
  std::string cache_dir;  // where bundles are imported as mirrors
  std::string work_root;  // work trees are created under it
  std::string out_dir;    // per-instance files; "" writes none
  bool keep = false;      // keep work trees
  SandboxOptions sandbox;
};

// Never fails: every problem becomes an Outcome with a reason (infrastructure ones are kError).
InstanceResult evaluate_instance(const SweInstance& instance, const Prediction& prediction,
                                 const EvalOptions& options, int slot);

}  // namespace reval::graders::swe
