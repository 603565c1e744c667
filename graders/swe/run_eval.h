// Evaluating a set of predictions with N workers, and the run summary (SWE-bench's run report
// fields plus reval's patch_failed bucket and overhead timings).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "graders/swe/evaluator.h"

namespace reval::graders::swe {

// Pairs instances with predictions: every instance with a prediction, in dataset order.
// invalid_input_error when a prediction names an instance the dataset does not have.
Result<std::vector<std::pair<const SweInstance*, const Prediction*>>> match_predictions(
    const std::vector<SweInstance>& instances, const std::map<std::string, Prediction>& predictions);

// Called after each instance finishes (from worker threads, serialized by the caller's lock).
using ResultCallback = std::function<void(const InstanceResult&)>;

// Evaluates the pairs with `n_workers` threads (each a sandbox slot). Results are in input order.
std::vector<InstanceResult> evaluate_all(const std::vector<std::pair<const SweInstance*, const Prediction*>>& work,
                                         const EvalOptions& options, int n_workers,
                                         const ResultCallback& on_result = nullptr);

// The run summary: total/submitted/completed/resolved/unresolved/empty_patch/error/patch_failed
// counts and id lists (SWE-bench's run report fields, schema_version 2), plus reval's timings.
nlohmann::json run_summary_json(std::size_t n_instances, const std::vector<InstanceResult>& results,
                                double wall_s);

}  // namespace reval::graders::swe
