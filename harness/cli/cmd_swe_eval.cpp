// `reval swe eval`: grade SWE-bench predictions (or the gold/empty patches) in sandboxes and write
// SWE-bench-compatible report.json files plus a run summary.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <system_error>
#include <thread>

#include "common/files.h"
#include "common/strings.h"
#include "graders/swe/instance.h"
#include "graders/swe/run_eval.h"
#include "graders/swe/sandbox.h"
#include "graders/swe/work_tree.h"
#include "harness/cli/commands.h"
#include "harness/swe_suite.h"

namespace reval::cli {
namespace {

namespace swe = reval::graders::swe;
namespace fs = std::filesystem;

Result<std::map<std::string, swe::Prediction>> load_swe_predictions(const std::string& value,
                                                                     const std::vector<swe::SweInstance>& instances) {
  if (value == "gold" || value == "empty") return swe::builtin_predictions(instances, value);
  return swe::load_predictions(value);
}

// Numeric options with a lower bound; errors name the option.
Result<double> positive_double(const ParsedArgs& args, const std::string& name, double fallback) {
  REVAL_ASSIGN_OR_RETURN(std::optional<double> value, args.double_value(name));
  if (!value) return fallback;
  if (*value <= 0) return usage_error(name + " must be positive");
  return *value;
}

Result<swe::EvalOptions> eval_options(const ParsedArgs& args) {
  swe::EvalOptions options;
  options.repos_dir = args.value_or("--repos", "");
  std::error_code ec;
  if (!fs::is_directory(options.repos_dir, ec)) {
    return not_found_error("--repos " + options.repos_dir + ": not a directory");
  }
  options.cache_dir = args.value_or("--cache-dir", swe::default_mirror_cache_dir());
  options.out_dir = args.value_or("--out", "swe-eval");
  options.keep = args.has("--keep");
  options.sandbox.enabled = !args.has("--no-sandbox");
  REVAL_ASSIGN_OR_RETURN(options.sandbox.timeout_s, positive_double(args, "--timeout", 1800));
  REVAL_ASSIGN_OR_RETURN(double memory_mb, positive_double(args, "--memory-mb", 4096));
  REVAL_ASSIGN_OR_RETURN(double output_mb, positive_double(args, "--max-output-mb", 32));
  options.sandbox.address_space_bytes = static_cast<std::uint64_t>(memory_mb * 1024 * 1024);
  options.sandbox.max_output_bytes = static_cast<std::uint64_t>(output_mb * 1024 * 1024);
  std::string tmp = std::getenv("TMPDIR") != nullptr ? std::getenv("TMPDIR") : "/tmp";
  options.work_root = args.value_or("--work-dir", tmp + "/reval-swe-" + std::to_string(getpid()));
  if (options.work_root.find('\'') != std::string::npos) return usage_error("--work-dir must not contain quotes");
  return options;
}

void print_result(std::FILE* out, const swe::InstanceResult& r) {
  std::fprintf(out, "  %-44s %-12s %s%s%s\n", r.instance_id.c_str(), std::string(swe::outcome_name(r.outcome)).c_str(),
               r.reason.c_str(), r.detail.empty() ? "" : ": ", r.detail.substr(0, 100).c_str());
}

Status run_swe_eval(const ParsedArgs& args, CommandContext& ctx) {
  for (const char* required : {"--instances", "--repos", "--predictions"}) {
    if (!args.has(required)) return usage_error(std::string("missing ") + required);
  }
  REVAL_ASSIGN_OR_RETURN(auto instances, harness::load_swe_instances(*args.value("--instances"), args.has("--offline")));
  REVAL_ASSIGN_OR_RETURN(auto predictions, load_swe_predictions(*args.value("--predictions"), instances));
  REVAL_ASSIGN_OR_RETURN(auto work, swe::match_predictions(instances, predictions));
  REVAL_ASSIGN_OR_RETURN(swe::EvalOptions options, eval_options(args));
  REVAL_ASSIGN_OR_RETURN(std::optional<std::int64_t> workers_opt, args.int_value("--workers"));
  const unsigned n_cpu = std::max(1u, std::thread::hardware_concurrency());
  const int n_workers = static_cast<int>(workers_opt.value_or(std::min<unsigned>(4, n_cpu)));
  if (n_workers < 1) return usage_error("--workers must be at least 1");

  if (options.sandbox.enabled) {
    Status probe = swe::probe_sandbox();
    if (!probe.ok()) return probe;
  } else {
    std::fprintf(ctx.err,
                 "reval swe eval: warning: --no-sandbox: patches and tests run directly on this machine with "
                 "network and file access; use only for trusted input\n");
  }
  std::error_code ec;
  fs::create_directories(options.out_dir, ec);
  if (ec) return io_error("create " + options.out_dir + ": " + ec.message());

  std::fprintf(ctx.err, "reval swe eval: %zu of %zu instances have predictions; %d worker(s)%s\n", work.size(),
               instances.size(), n_workers, options.sandbox.enabled ? ", sandboxed (bwrap)" : "");
  auto start = std::chrono::steady_clock::now();
  std::vector<swe::InstanceResult> results =
      swe::evaluate_all(work, options, n_workers, [&](const swe::InstanceResult& r) { print_result(ctx.err, r); });
  double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!options.keep) {
    fs::remove(options.work_root, ec);  // only when empty: work trees were removed one by one
  } else {
    std::fprintf(ctx.err, "reval swe eval: work trees kept under %s\n", options.work_root.c_str());
  }

  nlohmann::json summary = swe::run_summary_json(instances.size(), results, wall_s);
  REVAL_RETURN_IF_ERROR(write_file_atomic(options.out_dir + "/summary.json", summary.dump(2) + "\n"));
  std::fprintf(ctx.out,
               "swe eval: %zu submitted: %zu resolved, %zu unresolved, %zu patch failed, %zu error, %zu empty "
               "(wall %s, median overhead %.0f ms)\n",
               work.size(), summary["resolved_instances"].get<std::size_t>(),
               summary["unresolved_instances"].get<std::size_t>(), summary["patch_failed_instances"].get<std::size_t>(),
               summary["error_instances"].get<std::size_t>(), summary["empty_patch_instances"].get<std::size_t>(),
               format_duration(wall_s).c_str(), summary["reval"]["median_overhead_ms"].get<double>());
  for (const swe::InstanceResult& r : results) print_result(ctx.out, r);
  std::fprintf(ctx.out, "reports: %s/<instance_id>/report.json, summary: %s/summary.json\n", options.out_dir.c_str(),
               options.out_dir.c_str());
  return Status::ok_status();
}

}  // namespace

Command swe_eval_command() {
  Command command;
  command.name = "swe eval";
  command.summary = "Grade SWE-bench predictions by running the tests in sandboxes";
  command.usage =
      "reval swe eval --instances FILE|NAME --repos DIR --predictions FILE|gold|empty [--workers N] [--out DIR] "
      "[--keep] [--no-sandbox] [--timeout S]";
  command.description =
      "For each instance with a prediction: a work tree at base_commit (from DIR/<instance_id>.bundle or\n"
      "DIR/<owner>__<name>.git), the patch applied with SWE-bench's fallbacks (git apply -v, git apply -v\n"
      "--reject, patch --batch --fuzz=5 -p1), test files reset and test_patch applied, the test command of\n"
      "the repo/version run spec run inside bubblewrap (read-only system, no network, limits), the log\n"
      "parsed. Resolved = every FAIL_TO_PASS and PASS_TO_PASS test passed (SWE-bench's definition).\n"
      "Writes OUT/<instance_id>/{report.json,test_output.txt,patch.diff,run_instance.log} and OUT/summary.json.\n"
      "Predictions: SWE-bench JSONL (instance_id, model_name_or_path, model_patch), or gold / empty.";
  command.options = {
      {"--instances", 0, "FILE|NAME", "SWE-bench instances (.jsonl, .jsonl.gz, .json) or a registry id (swe-verified)"},
      {"--repos", 0, "DIR", "folder of <instance_id>.bundle files or <owner>__<name>.git mirrors"},
      {"--predictions", 0, "FILE|gold|empty", "predictions file, or the gold / empty patches"},
      {"--workers", 'j', "N", "instances evaluated in parallel (default: min(4, CPUs))"},
      {"--out", 'o', "DIR", "where reports go (default: swe-eval)"},
      {"--keep", 0, "", "keep the work trees (their folder is printed)"},
      {"--no-sandbox", 0, "", "run tests without bubblewrap (trusted input only; prints a warning)"},
      {"--timeout", 0, "S", "wall-clock limit of one instance's tests in seconds (default 1800)"},
      {"--memory-mb", 0, "MB", "address-space limit per test process (default 4096)"},
      {"--max-output-mb", 0, "MB", "test output cap; the tests are stopped past it (default 32)"},
      {"--cache-dir", 0, "DIR", "where bundles are imported as mirrors (default ~/.cache/reval/swe-mirrors)"},
      {"--work-dir", 0, "DIR", "where work trees are created (default $TMPDIR/reval-swe-<pid>)"},
      {"--offline", 0, "", "a registry dataset must already be in the cache (no download)"},
  };
  command.run = run_swe_eval;
  return command;
}

}  // namespace reval::cli
