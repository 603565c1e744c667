#include "graders/swe/evaluator.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <set>
#include <system_error>

#include "common/files.h"
#include "common/strings.h"
#include "graders/swe/patch_files.h"
#include "graders/swe/run_spec.h"
#include "graders/swe/work_tree.h"

namespace reval::graders::swe {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// The steps of one evaluation, kept for run_instance.log.
class StepLog {
 public:
  void add(const std::string& line) { text_ += line + "\n"; }
  void add_output(const std::string& output) {
    std::string_view body = trim(output);
    if (body.empty()) return;
    text_ += std::string(body.substr(0, 4000)) + (body.size() > 4000 ? "\n[...]\n" : "\n");
  }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

struct Attempt {
  const SweInstance& instance;
  const EvalOptions& options;
  int slot;
  std::string work_tree;
  std::string patch_path;  // absolute, outside the work tree
  StepLog log;
  InstanceResult result;
  std::string test_output;  // the test log with SWE-bench's markers ("" when tests did not run)
};

void finish(Attempt& a, Outcome outcome, std::string reason, std::string detail = "") {
  a.result.outcome = outcome;
  a.result.reason = std::move(reason);
  a.result.detail = std::move(detail);
  a.log.add("outcome: " + std::string(outcome_name(a.result.outcome)) + " (" + a.result.reason + ")" +
            (a.result.detail.empty() ? "" : ": " + a.result.detail));
}

bool sandboxed_as_other_uid(const Attempt& a) {
  return a.options.sandbox.enabled && sandbox_uid_for_slot(a.slot).has_value();
}

// The sandbox's /tmp: a folder beside the work tree, on disk.
std::string tmp_dir_of(const Attempt& a) { return a.work_tree + ".tmp"; }

Status give_tree_to_sandbox(const Attempt& a) {
  std::error_code ec;
  fs::create_directories(tmp_dir_of(a), ec);
  if (ec) return io_error("create " + tmp_dir_of(a) + ": " + ec.message());
  if (!sandboxed_as_other_uid(a)) return Status::ok_status();
  REVAL_RETURN_IF_ERROR(chown_tree(tmp_dir_of(a), *sandbox_uid_for_slot(a.slot)));
  return chown_tree(a.work_tree, *sandbox_uid_for_slot(a.slot));
}

// SWE-bench's fallbacks in order. `git apply` runs on the host (it only writes inside the tree);
// GNU patch understands more than unified diffs (ed scripts), so it runs inside the sandbox.
Result<std::string> apply_model_patch(Attempt& a) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"apply", "-v", a.patch_path}, {"apply", "-v", "--reject", a.patch_path}}) {
    REVAL_ASSIGN_OR_RETURN(ProcessResult run, run_git(args, a.work_tree));
    std::string method = args.size() == 3 ? kApplyGit : kApplyGitReject;
    a.log.add("$ " + method + " -> exit " + std::to_string(run.exit_code));
    a.log.add_output(run.output);
    if (run.exit_code == 0) return method;
  }
  // --reject leaves the hunks that did apply: start the last fallback from a clean tree.
  REVAL_ASSIGN_OR_RETURN(ProcessResult reset, run_git({"reset", "-q", "--hard"}, a.work_tree));
  REVAL_ASSIGN_OR_RETURN(ProcessResult clean, run_git({"clean", "-q", "-fdx"}, a.work_tree));
  if (reset.exit_code != 0 || clean.exit_code != 0) return io_error("cannot reset the work tree after git apply");

  const std::string inside = ".reval-model.diff";
  REVAL_ASSIGN_OR_RETURN(std::string patch_text, read_file(a.patch_path));
  REVAL_RETURN_IF_ERROR(write_file_atomic(a.work_tree + "/" + inside, patch_text));
  REVAL_RETURN_IF_ERROR(give_tree_to_sandbox(a));
  SandboxOptions patch_sandbox = a.options.sandbox;
  patch_sandbox.timeout_s = 60;
  patch_sandbox.max_output_bytes = 1u << 20;
  REVAL_ASSIGN_OR_RETURN(SandboxRun run, run_in_sandbox(a.work_tree, std::string(kApplyPatch) + " -i " + inside,
                                                        {}, patch_sandbox, a.slot, tmp_dir_of(a)));
  REVAL_RETURN_IF_ERROR(remove_in_tree(a.work_tree, inside));
  a.log.add("$ " + std::string(kApplyPatch) + " -> exit " + std::to_string(run.test_exit_code));
  a.log.add_output(run.process.output);
  if (run.test_exit_code == 0 && !run.process.timed_out) return std::string(kApplyPatch);
  return std::string();
}

// Resets the files test_patch touches, then applies it (SWE-bench's eval script order). A file the
// model patch did not touch is still at base_commit, so only touched ones are reset (one git call
// fewer in the common case); after the `patch` fallback, which may touch anything, all are reset.
Status apply_test_patch(Attempt& a, const std::string& model_patch) {
  std::set<std::string> touched;
  for (const PatchFile& file : patch_files(model_patch)) {
    touched.insert(file.old_path);
    touched.insert(file.new_path);
  }
  const bool reset_all = a.result.apply_method == kApplyPatch;
  std::vector<std::string> reset;
  for (const PatchFile& file : patch_files(a.instance.test_patch)) {
    if (!file.old_path.empty()) {
      if (reset_all || touched.count(file.old_path) > 0) reset.push_back(file.old_path);
    } else {
      REVAL_RETURN_IF_ERROR(remove_in_tree(a.work_tree, file.new_path));  // created by the test patch
    }
  }
  REVAL_RETURN_IF_ERROR(reset_paths(a.work_tree, a.instance.base_commit, reset));
  std::string test_patch_path = a.patch_path + ".test";
  REVAL_RETURN_IF_ERROR(write_file_atomic(test_patch_path, a.instance.test_patch));
  Result<ProcessResult> run = run_git({"apply", "-v", test_patch_path}, a.work_tree);
  std::error_code ec;
  fs::remove(test_patch_path, ec);
  if (!run.ok()) return run.status();
  a.log.add("$ git apply -v test_patch -> exit " + std::to_string(run->exit_code));
  a.log.add_output(run->output);
  if (run->exit_code != 0) return invalid_input_error("test_patch does not apply: " + std::string(trim(run->output)));
  return Status::ok_status();
}

void write_outputs(const Attempt& a, const std::string& model_patch) {
  if (a.options.out_dir.empty()) return;
  std::string dir = a.options.out_dir + "/" + a.instance.instance_id;
  std::error_code ec;
  fs::create_directories(dir, ec);
  write_file_atomic(dir + "/report.json", instance_report_json(a.result).dump(4) + "\n").ignore();
  write_file_atomic(dir + "/patch.diff", model_patch).ignore();
  write_file_atomic(dir + "/run_instance.log", a.log.text()).ignore();
  if (!a.test_output.empty()) write_file_atomic(dir + "/test_output.txt", a.test_output).ignore();
}

std::string failing_tests_detail(const TestsStatus& tests) {
  std::vector<std::string> failing = tests.f2p_failure;
  failing.insert(failing.end(), tests.p2p_failure.begin(), tests.p2p_failure.end());
  std::string detail = std::to_string(failing.size()) + " failing";
  for (std::size_t i = 0; i < failing.size() && i < 3; ++i) detail += (i == 0 ? ": " : ", ") + failing[i];
  return detail + (failing.size() > 3 ? ", ..." : "");
}

// Runs the tests and grades them; returns the test log with SWE-bench's markers around it.
std::string run_and_grade(Attempt& a, const RunSpec& spec, const LogParserConfig& parser) {
  std::string command = full_test_command(spec, test_directives(a.instance, spec));
  a.log.add("$ " + command);
  Clock::time_point chown_start = Clock::now();
  Status owned = give_tree_to_sandbox(a);
  const double chown_s = since(chown_start);
  if (!owned.ok()) {
    finish(a, Outcome::kError, "sandbox_error", owned.message());
    return "";
  }
  Result<SandboxRun> run = run_in_sandbox(a.work_tree, command, spec.env, a.options.sandbox, a.slot, tmp_dir_of(a));
  if (!run.ok()) {
    finish(a, Outcome::kError, "sandbox_error", run.status().message());
    return "";
  }
  a.result.test_exit_code = run->test_exit_code;
  a.result.n_leftover_processes = run->n_leftover_processes;
  if (run->test_started_unix > 0) {
    a.result.sandbox_start_s = chown_s + (run->test_started_unix - run->spawned_unix);
    if (run->test_s >= 0) {
      a.result.sandbox_stop_s = run->spawned_unix + run->process.wall_s - (run->test_started_unix + run->test_s);
    }
  }
  a.result.test_s = run->test_s >= 0 ? run->test_s : run->process.wall_s;
  // The parser sees only the test command's own output, never the harness's lines around it.
  Clock::time_point parse_start = Clock::now();
  TestStatusMap statuses = parse_test_log(parser, run->process.output);
  a.result.tests = grade_tests(a.instance, statuses);
  a.result.parse_s = since(parse_start);
  a.log.add("tests: exit " + std::to_string(run->test_exit_code) + ", " + std::to_string(statuses.size()) +
            " statuses parsed, " + format_duration(a.result.test_s));

  const ProcessResult& p = run->process;
  if (p.timed_out) {
    finish(a, Outcome::kUnresolved, "timeout", "the tests ran past " + format_duration(a.options.sandbox.timeout_s));
  } else if (p.output_limit_exceeded) {
    finish(a, Outcome::kUnresolved, "output_limit",
           "the tests printed more than " + format_bytes(a.options.sandbox.max_output_bytes));
  } else if (run->n_leftover_processes > 0) {
    finish(a, Outcome::kUnresolved, "leftover_processes",
           std::to_string(run->n_leftover_processes) + " process(es) still running after the tests");
  } else if (run->status_missing) {
    std::string why(trim(p.output.substr(p.output.size() > 300 ? p.output.size() - 300 : 0)));
    finish(a, Outcome::kError, "sandbox_error", "the sandbox did not report (" + why + ")");
  } else if (resolution_status(a.result.tests) == ResolutionStatus::kFull) {
    finish(a, Outcome::kResolved, "resolved");
  } else {
    finish(a, Outcome::kUnresolved, "tests_failed", failing_tests_detail(a.result.tests));
  }
  return ">>>>> Start Test Output\n" + p.output + (p.output.empty() || p.output.back() == '\n' ? "" : "\n") +
         ">>>>> End Test Output\n";
}

void run_attempt(Attempt& a, const Prediction& prediction) {
  const SweInstance& inst = a.instance;
  Result<RunSpec> spec = resolve_run_spec(inst);
  if (!spec.ok()) return finish(a, Outcome::kError, "no_run_spec", spec.status().message());
  Result<LogParserConfig> parser = find_log_parser(spec->log_parser);
  if (!parser.ok()) return finish(a, Outcome::kError, "no_run_spec", parser.status().message());
  Status safe = check_patch_paths(prediction.model_patch);
  if (safe.ok() && contains(prediction.model_patch, "mode 120000")) {
    safe = invalid_input_error("patch creates a symbolic link");
  }
  if (!safe.ok()) return finish(a, Outcome::kPatchFailed, "unsafe_patch", safe.message());

  Clock::time_point t = Clock::now();
  Result<std::string> mirror = resolve_mirror(inst, a.options.repos_dir, a.options.cache_dir);
  a.result.mirror_s = since(t);
  if (!mirror.ok()) return finish(a, Outcome::kError, "repo_missing", mirror.status().message());
  t = Clock::now();
  Status tree = create_work_tree(*mirror, inst.base_commit, a.work_tree);
  a.result.work_tree_s = since(t);
  if (!tree.ok()) return finish(a, Outcome::kError, "work_tree_failed", tree.message());
  a.log.add("work tree " + a.work_tree + " at " + inst.base_commit);

  t = Clock::now();
  Status written = write_file_atomic(a.patch_path, prediction.model_patch);
  if (!written.ok()) return finish(a, Outcome::kError, "work_tree_failed", written.message());
  Result<std::string> method = apply_model_patch(a);
  if (!method.ok()) return finish(a, Outcome::kError, "sandbox_error", method.status().message());
  if (method->empty()) return finish(a, Outcome::kPatchFailed, "patch_failed", "no fallback applied the patch");
  a.result.patch_applied = true;
  a.result.apply_method = *method;
  Status tests = apply_test_patch(a, prediction.model_patch);
  a.result.apply_s = since(t);
  if (!tests.ok()) return finish(a, Outcome::kError, "test_patch_failed", tests.message());
  a.test_output = run_and_grade(a, *spec, *parser);
}

}  // namespace

InstanceResult evaluate_instance(const SweInstance& instance, const Prediction& prediction,
                                 const EvalOptions& options, int slot) {
  static std::atomic<unsigned> counter{0};
  Clock::time_point start = Clock::now();
  Attempt a{instance, options, slot, "", "", {}, {}, ""};
  a.result.instance_id = instance.instance_id;
  a.result.model_name_or_path = prediction.model_name_or_path;
  a.result.patch_is_none = prediction.patch_is_none;
  a.result.patch_exists = !prediction.patch_is_none && !trim(prediction.model_patch).empty();
  if (!a.result.patch_exists || patch_is_empty(prediction.model_patch)) {
    finish(a, Outcome::kEmptyPatch, "empty_patch");
    a.result.total_s = since(start);
    write_outputs(a, prediction.model_patch);
    return a.result;
  }
  std::string unique = instance.instance_id + "-" + std::to_string(getpid()) + "-" + std::to_string(slot) + "-" +
                       std::to_string(counter.fetch_add(1));
  a.work_tree = options.work_root + "/" + unique;
  a.patch_path = options.work_root + "/" + unique + ".diff";
  std::error_code ec;
  fs::create_directories(options.work_root, ec);
  run_attempt(a, prediction);
  fs::remove(a.patch_path, ec);
  Clock::time_point cleanup_start = Clock::now();
  if (!options.keep && !a.work_tree.empty()) {
    for (const std::string& dir : {a.work_tree, tmp_dir_of(a)}) {
      Status removed = remove_tree(dir);
      if (!removed.ok()) a.log.add("warning: " + removed.message());
    }
  }
  a.result.cleanup_s = since(cleanup_start);
  a.result.total_s = since(start);
  write_outputs(a, prediction.model_patch);
  return a.result;
}

}  // namespace reval::graders::swe
