// `reval run`: a suite on a backend, into a resumable run folder, graded and summarized.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <cstdio>

#include "common/log.h"
#include "common/strings.h"
#include "datasets/load.h"
#include "graders/grader.h"
#include "harness/cli/backend_options.h"
#include "harness/cli/commands.h"
#include "harness/cli/dataset_options.h"
#include "harness/cli/swe_run_setup.h"
#include "harness/cli/version.h"
#include "harness/request_plan.h"
#include "harness/run_files.h"
#include "harness/run_session.h"
#include "harness/scoring.h"
#include "harness/suite.h"
#include "harness/swe_grading.h"
#include "harness/swe_suite.h"
#include "graders/swe/oracle_prompt.h"
#include "graders/swe/work_tree.h"

namespace reval::cli {
namespace {

using nlohmann::json;

// Ctrl-C: the first stops sending and lets in-flight requests finish; the second exits at once (the
// samples already stored are safe: each was written whole).
std::atomic<bool> g_stop{false};
std::atomic<int> g_n_interrupts{0};

void on_interrupt(int) {
  if (g_n_interrupts.fetch_add(1) == 0) {
    g_stop = true;
    static const char kMessage[] =
        "\nreval run: stopping: waiting for requests in flight (Ctrl-C again to abort)\n";
    (void)!::write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
    return;
  }
  _exit(static_cast<int>(ExitCode::kInterrupted));
}

class InterruptScope {
 public:
  InterruptScope() {
    g_stop = false;
    g_n_interrupts = 0;
    struct sigaction action {};
    action.sa_handler = on_interrupt;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &old_int_);
    sigaction(SIGTERM, &action, &old_term_);
  }
  ~InterruptScope() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

// Command-line overrides of the suite's sampling defaults.
Status apply_overrides(const ParsedArgs& args, harness::SuiteSpec* suite) {
  REVAL_ASSIGN_OR_RETURN(auto samples, args.int_value("--samples"));
  if (samples) {
    if (*samples < 1) return usage_error("--samples must be at least 1");
    suite->samples = static_cast<int>(*samples);
  }
  REVAL_ASSIGN_OR_RETURN(auto temperature, args.double_value("--temperature"));
  if (temperature) suite->sampling.temperature = *temperature;
  REVAL_ASSIGN_OR_RETURN(auto top_p, args.double_value("--top-p"));
  if (top_p) suite->sampling.top_p = *top_p;
  REVAL_ASSIGN_OR_RETURN(auto top_k, args.int_value("--top-k"));
  if (top_k) suite->sampling.top_k = static_cast<int>(*top_k);
  REVAL_ASSIGN_OR_RETURN(auto min_p, args.double_value("--min-p"));
  if (min_p) suite->sampling.min_p = *min_p;
  REVAL_ASSIGN_OR_RETURN(auto max_tokens, args.int_value("--max-tokens"));
  if (max_tokens) {
    if (*max_tokens < 1) return usage_error("--max-tokens must be at least 1");
    suite->sampling.max_tokens = static_cast<int>(*max_tokens);
  }
  // Metrics follow k: the suite's cons@K / pass@K with K = its default k become the new k.
  if (samples) {
    std::vector<std::string> metrics;
    for (std::string metric : suite->metrics) {
      if (metric != "pass@1") metric = metric.substr(0, metric.find('@') + 1) + std::to_string(suite->samples);
      if (std::find(metrics.begin(), metrics.end(), metric) == metrics.end()) metrics.push_back(metric);
    }
    suite->metrics = std::move(metrics);
  }
  return Status::ok_status();
}

Result<std::vector<datasets::Problem>> load_problems(const ParsedArgs& args, const harness::SuiteSpec& suite,
                                                    std::FILE* err) {
  // --dataset replaces the suite's dataset; the suite's field mapping applies unless --fields is given.
  REVAL_ASSIGN_OR_RETURN(DatasetChoice choice, dataset_choice_from_args(args, args.has("--dataset") ? "" : suite.dataset));
  if (!args.has("--fields")) choice.load.fields = suite.fields;
  const std::string source = choice.name_or_path;
  REVAL_ASSIGN_OR_RETURN(std::vector<datasets::Problem> problems, load_chosen_dataset(choice, err));
  REVAL_ASSIGN_OR_RETURN(auto limit, args.int_value("--limit"));
  if (limit) {
    if (*limit < 1) return usage_error("--limit must be at least 1");
    if (problems.size() > static_cast<std::size_t>(*limit)) problems.resize(static_cast<std::size_t>(*limit));
  }
  if (problems.empty()) return invalid_input_error("dataset " + source + " has no problems");
  return problems;
}

// The settings that must match for a run folder to be resumed (run-format.md: settings_hash). The
// number of samples and --limit are left out on purpose: raising them continues a run.
json settings_of(const harness::SuiteSpec& suite, const std::string& dataset, const json& identity,
                 std::uint64_t seed) {
  const harness::SamplingParams& s = suite.sampling;
  return {{"suite", suite.name},
          {"dataset", dataset},
          {"grader", suite.grader},
          {"prompt", {{"system", suite.system_prompt ? json(*suite.system_prompt) : json(nullptr)},
                      {"user", suite.user_template}}},
          {"model", {{"backend", identity.value("backend", "")}, {"name", identity.value("name", "")},
                     {"base_url", identity.value("base_url", json(nullptr))},
                     {"file_sha256", identity.value("file_sha256", json(nullptr))}}},
          {"sampling", {{"temperature", s.temperature}, {"top_p", s.top_p}, {"top_k", s.top_k}, {"min_p", s.min_p},
                        {"max_tokens", s.max_tokens}, {"stop", s.stop}, {"seed", seed}}}};
}

json machine_json() {
  char host[256] = {0};
  ::gethostname(host, sizeof host - 1);
  return {{"host", host}, {"n_threads", static_cast<int>(::sysconf(_SC_NPROCESSORS_ONLN))}};
}

// SWE runs: grading goes on while the backend generates; the verdicts become the run's grades.
struct SweRun {
  SweRunSetup setup;
  std::unique_ptr<harness::SweResults> results;
  std::unique_ptr<harness::SweGradingPool> pool;
};

Status run_command_body(const ParsedArgs& args, CommandContext& ctx) {
  REVAL_ASSIGN_OR_RETURN(harness::SuiteSpec suite, harness::load_suite(*args.value("--suite")));
  REVAL_RETURN_IF_ERROR(apply_overrides(args, &suite));
  REVAL_ASSIGN_OR_RETURN(auto seed_option, args.int_value("--seed"));
  const std::uint64_t seed = seed_option ? static_cast<std::uint64_t>(*seed_option) : 0;
  // The grader, the sandbox and the dataset are checked before the first request costs anything.
  const bool is_swe = suite.grader == harness::kSweGrader;
  std::unique_ptr<graders::Grader> grader;
  if (!is_swe) {
    REVAL_ASSIGN_OR_RETURN(grader, graders::make_grader(suite.grader));
  }
  REVAL_ASSIGN_OR_RETURN(std::unique_ptr<harness::Backend> backend, make_backend_from_args(args));
  std::unique_ptr<SweRun> swe;
  std::vector<datasets::Problem> problems;
  std::string dataset = args.value_or("--dataset", suite.dataset);
  if (is_swe) {
    swe = std::make_unique<SweRun>();
    REVAL_ASSIGN_OR_RETURN(swe->setup, prepare_swe_run(args, suite, ctx.err));
    problems = swe->setup.problems.problems;
    dataset = swe->setup.dataset;
  } else {
    REVAL_ASSIGN_OR_RETURN(problems, load_problems(args, suite, ctx.err));
  }
  const json identity = backend->identity();
  const std::string out = args.value_or("--out", "runs/" + suite.name + "-" + model_label_from_args(args));

  json suite_json = harness::suite_to_json(suite);
  suite_json["dataset"] = dataset;
  suite_json["n_problems"] = problems.size();
  json settings = settings_of(suite, dataset, identity, seed);
  if (is_swe) {
    // The retrieval setting changes what the model sees, so it is a setting; the folder is not.
    suite_json["retrieval"] = graders::swe::kOracleRetrieval;
    suite_json["repos"] = swe->setup.repos_dir;
    settings["retrieval"] = graders::swe::kOracleRetrieval;
  }
  json run_json = {{"reval_version", version_string()},
                   {"run_id", std::filesystem::path(out).filename().string()},
                   {"suite", suite_json},
                   {"model", identity},
                   {"sampling", {{"temperature", suite.sampling.temperature}, {"top_p", suite.sampling.top_p},
                                 {"top_k", suite.sampling.top_k}, {"min_p", suite.sampling.min_p},
                                 {"max_tokens", suite.sampling.max_tokens}, {"samples", suite.samples},
                                 {"seed", seed}}},
                   {"machine", machine_json()},
                   {"settings", settings}};
  REVAL_ASSIGN_OR_RETURN(auto store, harness::RunStore::open(out, run_json, args.has("--force-new")));
  REVAL_RETURN_IF_ERROR(harness::write_problems(out, problems));
  std::unique_ptr<harness::RequestCache> cache;
  if (args.has("--cache")) {
    REVAL_ASSIGN_OR_RETURN(harness::RequestCache opened, harness::RequestCache::open(*args.value("--cache")));
    cache = std::make_unique<harness::RequestCache>(std::move(opened));
  }
  const std::vector<harness::Request> requests =
      is_swe ? harness::expand_requests(swe->setup.prompt_suite, swe->setup.problems.prompts, suite.sampling,
                                        suite.samples, seed, identity)
             : harness::expand_requests(suite, problems, suite.sampling, suite.samples, seed, identity);
  std::fprintf(ctx.err, "reval run: %s · %zu problems × %d samples · %s → %s%s\n", suite.name.c_str(),
               problems.size(), suite.samples, identity.value("name", "").c_str(), out.c_str(),
               store->resumed() ? " (resuming)" : "");

  harness::SessionOutcome outcome;
  Status grading_status;
  {
    InterruptScope interrupts;
    std::function<void(const harness::Completion&)> on_stored;
    if (is_swe) {
      REVAL_ASSIGN_OR_RETURN(swe->results, harness::SweResults::open(out));
      swe->setup.eval.out_dir = out + "/swe";
      swe->pool = std::make_unique<harness::SweGradingPool>(swe->setup.instances, swe->setup.eval,
                                                            identity.value("name", ""), swe->setup.n_workers,
                                                            *swe->results, g_stop, ctx.err);
      // Samples stored by an earlier invocation but not graded (or graded with an infrastructure error).
      for (const harness::Completion& c : store->existing().samples) {
        if (c.sample < suite.samples) swe->pool->submit(c);
      }
      on_stored = [&swe, k = suite.samples](const harness::Completion& c) {
        if (c.sample < k) swe->pool->submit(c);
      };
      std::fprintf(ctx.err, "reval run: grading with %d worker(s)%s, oracle retrieval\n", swe->setup.n_workers,
                   swe->setup.eval.sandbox.enabled ? ", sandboxed (bwrap)" : ", NOT sandboxed");
    }
    outcome = harness::run_session(*backend, *store, cache.get(), requests, g_stop, ctx.err, on_stored);
    if (is_swe) {
      grading_status = swe->pool->finish();
      graders::swe::wait_for_background_removals();
      std::error_code ec;
      if (!swe->setup.eval.keep) {
        std::filesystem::remove(swe->setup.eval.work_root, ec);  // only when empty
      } else {
        std::fprintf(ctx.err, "reval run: work trees kept under %s\n", swe->setup.eval.work_root.c_str());
      }
    }
  }
  const double wall_s = store->run_json().value("wall_time_s", 0.0) + outcome.wall_time_s;
  json update = {{"wall_time_s", wall_s}};
  const json engine_stats = backend->stats();
  if (!engine_stats.is_null()) update["engine_stats"] = engine_stats;
  if (outcome.status.ok() && outcome.n_pending == 0) update["finished"] = harness::utc_timestamp();
  REVAL_RETURN_IF_ERROR(store->update_run_json(update));
  if (!outcome.status.ok()) return outcome.status;
  REVAL_RETURN_IF_ERROR(grading_status);

  REVAL_ASSIGN_OR_RETURN(harness::SamplesFile samples, harness::read_samples(out + "/" + harness::kSamplesJsonl));
  harness::ScoringInput input;
  input.run_json = store->run_json();
  input.problems = problems;
  input.samples = std::move(samples.samples);
  input.metrics = suite.metrics;
  input.k = suite.samples;
  input.seed = seed;
  harness::ScoredRun scored;
  std::string swe_line;
  if (is_swe) {
    scored = harness::score_swe_run(input, swe->results->verdicts(), suite.samples);
    swe_line = harness::format_swe_breakdown(scored.summary["swe"]);
  } else {
    scored = harness::score_run(input, *grader);
  }
  REVAL_RETURN_IF_ERROR(harness::write_scored_run(out, scored));
  std::fputs(harness::format_summary(scored.summary).c_str(), ctx.out);
  if (!engine_stats.is_null() && engine_stats.value("decode_passes", 0) > 0) {
    std::fprintf(ctx.out, "  engine: %.1f of %d sequences per decode pass (occupancy %.0f%%), %.1f decoded tok/s\n",
                 engine_stats.value("mean_batch_sequences", 0.0), engine_stats.value("max_sequences", 0),
                 100.0 * engine_stats.value("batch_occupancy", 0.0), engine_stats.value("decode_tok_s", 0.0));
  }
  std::fputs(swe_line.c_str(), ctx.out);
  std::fprintf(ctx.out, "  run folder: %s\n", out.c_str());
  if (outcome.n_pending > 0) {
    std::fprintf(ctx.out, "  %zu samples still missing (%s); rerun the same command to continue\n", outcome.n_pending,
                 g_stop.load() ? "interrupted" : "errors after retries");
  }
  if (is_swe && scored.summary["swe"].value("ungraded", 0) > 0) {
    std::fprintf(ctx.out, "  rerun the same command to grade the rest (finished verdicts are kept)\n");
  }
  if (g_stop.load()) ctx.exit_code = ExitCode::kInterrupted;
  return Status::ok_status();
}

}  // namespace

Command run_command() {
  Command command;
  command.name = "run";
  command.summary = "Run a suite against a backend into a resumable run folder";
  command.usage = "reval run --suite S --api BASE_URL --model NAME [options]";
  command.description =
      "Expands the suite into requests (problems × samples, per-sample seeds), sends them to the backend, "
      "appends each completion to OUT/samples.jsonl as it arrives, then grades the run and prints its summary.\n"
      "Rerunning the same command resumes: finished samples are skipped. A folder made with other settings is "
      "refused unless --force-new. Ctrl-C stops sending and waits for requests in flight; a second Ctrl-C aborts.\n"
      "The API key is read from the environment variable named by --api-key-env and never written anywhere.\n"
      "SWE suites (e.g. swe-sample, swe-real, swe-verified) show the model the issue and the files the gold patch "
      "edits (SWE-bench's oracle retrieval), take the unified diff from its answer and grade it as 'reval swe "
      "eval' does, in the sandbox, while generation goes on (--workers); verdicts go to swe_results.jsonl.";
  command.options = {
      {"--suite", 0, "NAME|FILE", "suite name (suites/NAME.json) or a suite file"},
      {"--out", 'o', "DIR", "run folder (default runs/SUITE-MODEL)"},
      {"--samples", 'n', "N", "samples per problem (suite default)"},
      {"--temperature", 0, "T", "sampling temperature (suite default)"},
      {"--top-p", 0, "P", "nucleus sampling (suite default)"},
      {"--top-k", 0, "K", "top-k sampling, 0 = off"},
      {"--min-p", 0, "P", "min-p sampling, 0 = off"},
      {"--max-tokens", 0, "N", "completion token limit (suite default)"},
      {"--limit", 0, "N", "only the first N problems"},
      {"--seed", 0, "N", "run seed; per-sample seeds derive from it (default 0)"},
      {"--cache", 0, "DIR", "answer identical requests from this cache folder"},
      {"--force-new", 0, "", "start over in a folder made with other settings (the old one is moved aside)"},
  };
  // --dataset PATH (instead of the suite's dataset), --fields, --skip-bad-rows, --offline.
  for (OptionSpec& spec : dataset_option_specs()) command.options.push_back(std::move(spec));
  for (OptionSpec& spec : backend_option_specs()) command.options.push_back(std::move(spec));
  // SWE suites: --repos, --workers, --no-sandbox, --test-timeout, --keep.
  for (OptionSpec& spec : swe_run_option_specs()) command.options.push_back(std::move(spec));
  command.run = [](const ParsedArgs& args, CommandContext& ctx) -> Status {
    if (!args.has("--suite")) return usage_error("--suite NAME is required (e.g. --suite aime24)");
    return run_command_body(args, ctx);
  };
  return command;
}

}  // namespace reval::cli
