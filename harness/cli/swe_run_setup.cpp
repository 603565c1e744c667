#include "harness/cli/swe_run_setup.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <system_error>
#include <thread>

#include "graders/swe/sandbox.h"
#include "graders/swe/work_tree.h"

namespace reval::cli {

namespace fs = std::filesystem;

std::vector<OptionSpec> swe_run_option_specs() {
  return {
      {"--repos", 0, "DIR", "SWE suites: <instance_id>.bundle files or <owner>__<name>.git mirrors (suite default)"},
      {"--workers", 'j', "N", "SWE suites: samples graded in parallel, while generation goes on (default min(4, CPUs))"},
      {"--no-sandbox", 0, "", "SWE suites: run tests without bubblewrap (trusted input only; prints a warning)"},
      {"--test-timeout", 0, "S", "SWE suites: wall-clock limit of one sample's tests in seconds (default 1800)"},
      {"--keep", 0, "", "SWE suites: keep the work trees"},
  };
}

Result<SweRunSetup> prepare_swe_run(const ParsedArgs& args, const harness::SuiteSpec& suite, std::FILE* err) {
  SweRunSetup setup;
  setup.repos_dir = args.value_or("--repos", suite.swe_repos);
  if (setup.repos_dir.empty()) {
    return usage_error("suite " + suite.name + " needs --repos DIR (bundles or mirrors of its repositories)");
  }
  std::error_code ec;
  if (!fs::is_directory(setup.repos_dir, ec)) return not_found_error("--repos " + setup.repos_dir + ": not a directory");
  REVAL_ASSIGN_OR_RETURN(std::optional<std::int64_t> workers, args.int_value("--workers"));
  const unsigned n_cpu = std::max(1u, std::thread::hardware_concurrency());
  setup.n_workers = static_cast<int>(workers.value_or(std::min<unsigned>(4, n_cpu)));
  if (setup.n_workers < 1) return usage_error("--workers must be at least 1");
  REVAL_ASSIGN_OR_RETURN(std::optional<double> timeout, args.double_value("--test-timeout"));
  if (timeout && *timeout <= 0) return usage_error("--test-timeout must be positive");

  setup.eval.repos_dir = setup.repos_dir;
  setup.eval.cache_dir = graders::swe::default_mirror_cache_dir();
  setup.eval.keep = args.has("--keep");
  setup.eval.sandbox.enabled = !args.has("--no-sandbox");
  setup.eval.sandbox.timeout_s = timeout.value_or(1800);
  const char* tmp = std::getenv("TMPDIR");
  setup.eval.work_root = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/reval-swe-" + std::to_string(getpid());
  if (setup.eval.sandbox.enabled) {
    REVAL_RETURN_IF_ERROR(graders::swe::probe_sandbox());
  } else {
    std::fprintf(err, "reval run: warning: --no-sandbox: patches and tests run directly on this machine with "
                      "network and file access; use only for trusted input\n");
  }

  setup.dataset = harness::resolve_swe_dataset(args.value_or("--dataset", suite.dataset), setup.repos_dir);
  REVAL_ASSIGN_OR_RETURN(setup.instances, harness::load_swe_instances(setup.dataset, args.has("--offline")));
  REVAL_ASSIGN_OR_RETURN(std::optional<std::int64_t> limit, args.int_value("--limit"));
  if (limit) {
    if (*limit < 1) return usage_error("--limit must be at least 1");
    if (setup.instances.size() > static_cast<std::size_t>(*limit)) setup.instances.resize(static_cast<std::size_t>(*limit));
  }
  REVAL_ASSIGN_OR_RETURN(setup.problems, harness::build_swe_problems(setup.instances, suite.user_template,
                                                                     setup.repos_dir, setup.eval.cache_dir));
  setup.prompt_suite = suite;
  setup.prompt_suite.user_template = "{problem}";
  return setup;
}

}  // namespace reval::cli
