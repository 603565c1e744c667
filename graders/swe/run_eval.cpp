#include "graders/swe/run_eval.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

namespace reval::graders::swe {

Result<std::vector<std::pair<const SweInstance*, const Prediction*>>> match_predictions(
    const std::vector<SweInstance>& instances, const std::map<std::string, Prediction>& predictions) {
  std::map<std::string, const SweInstance*> by_id;
  for (const SweInstance& inst : instances) by_id[inst.instance_id] = &inst;
  for (const auto& [id, prediction] : predictions) {
    if (by_id.count(id) == 0) {
      return invalid_input_error("prediction for unknown instance_id " + id + " (not in the instances file)");
    }
  }
  std::vector<std::pair<const SweInstance*, const Prediction*>> work;
  for (const SweInstance& inst : instances) {
    auto it = predictions.find(inst.instance_id);
    if (it != predictions.end()) work.emplace_back(&inst, &it->second);
  }
  return work;
}

std::vector<InstanceResult> evaluate_all(const std::vector<std::pair<const SweInstance*, const Prediction*>>& work,
                                         const EvalOptions& options, int n_workers,
                                         const ResultCallback& on_result) {
  std::vector<InstanceResult> results(work.size());
  std::atomic<std::size_t> next{0};
  std::mutex callback_mutex;
  auto worker = [&](int slot) {
    for (std::size_t i = next.fetch_add(1); i < work.size(); i = next.fetch_add(1)) {
      results[i] = evaluate_instance(*work[i].first, *work[i].second, options, slot);
      if (on_result) {
        std::lock_guard<std::mutex> lock(callback_mutex);
        on_result(results[i]);
      }
    }
  };
  int n = std::max(1, std::min<int>(n_workers, static_cast<int>(work.size())));
  std::vector<std::thread> threads;
  for (int slot = 1; slot < n; ++slot) threads.emplace_back(worker, slot);
  worker(0);
  for (std::thread& t : threads) t.join();
  return results;
}

namespace {

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  std::size_t mid = values.size() / 2;
  return values.size() % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

double ms(double seconds) { return static_cast<double>(static_cast<long long>(seconds * 1e6)) / 1e3; }

}  // namespace

nlohmann::json run_summary_json(std::size_t n_instances, const std::vector<InstanceResult>& results,
                                double wall_s) {
  using nlohmann::json;
  std::vector<std::string> submitted, completed, resolved, unresolved, empty, error, patch_failed;
  std::map<std::string, int> reasons;
  std::vector<double> overhead, tests;
  for (const InstanceResult& r : results) {
    submitted.push_back(r.instance_id);
    reasons[r.reason] += 1;
    switch (r.outcome) {
      case Outcome::kResolved: resolved.push_back(r.instance_id); break;
      case Outcome::kUnresolved: unresolved.push_back(r.instance_id); break;
      case Outcome::kEmptyPatch: empty.push_back(r.instance_id); break;
      case Outcome::kError: error.push_back(r.instance_id); break;
      case Outcome::kPatchFailed: patch_failed.push_back(r.instance_id); break;
    }
    if (r.outcome == Outcome::kResolved || r.outcome == Outcome::kUnresolved) {
      completed.push_back(r.instance_id);
      overhead.push_back(r.overhead_s());
      tests.push_back(r.test_s);
    }
  }
  return json{
      {"total_instances", n_instances},
      {"submitted_instances", submitted.size()},
      {"completed_instances", completed.size()},
      {"resolved_instances", resolved.size()},
      {"unresolved_instances", unresolved.size()},
      {"empty_patch_instances", empty.size()},
      {"error_instances", error.size()},
      {"patch_failed_instances", patch_failed.size()},
      {"submitted_ids", submitted},
      {"completed_ids", completed},
      {"resolved_ids", resolved},
      {"unresolved_ids", unresolved},
      {"empty_patch_ids", empty},
      {"error_ids", error},
      {"patch_failed_ids", patch_failed},
      {"schema_version", 2},
      {"reval",
       {{"reasons", reasons},
        {"wall_ms", ms(wall_s)},
        {"median_overhead_ms", ms(median(overhead))},
        {"median_test_ms", ms(median(tests))}}},
  };
}

}  // namespace reval::graders::swe
