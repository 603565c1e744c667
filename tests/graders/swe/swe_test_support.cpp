#include "tests/graders/swe/swe_test_support.h"

#include <dirent.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <iterator>

#include "graders/swe/sandbox.h"

namespace reval::test::swe {

std::string build_samples(const std::string& out_dir) {
  CommandResult r = run_command("/usr/bin/env", {"python3", source_dir() + "/datasets/samples/swe/make_samples.py", out_dir});
  if (r.exit_code != 0) {
    std::cerr << "make_samples.py failed (" << r.exit_code << "): " << r.err << std::endl;
    return "";
  }
  return out_dir;
}

std::vector<graders::swe::SweInstance> sample_instances(const std::string& samples_dir) {
  auto instances = graders::swe::load_instances(samples_dir + "/instances.jsonl");
  if (!instances.ok()) {
    std::cerr << instances.status().message() << std::endl;
    return {};
  }
  return std::move(instances).value();
}

std::string sandbox_unavailable_reason() {
  Status probe = graders::swe::probe_sandbox();
  return probe.ok() ? "" : "sandbox unavailable here: " + probe.message();
}

std::string new_file_patch(const std::string& path, const std::string& content) {
  std::string body;
  int n_lines = 0;
  std::size_t pos = 0;
  while (pos < content.size()) {
    std::size_t end = content.find('\n', pos);
    if (end == std::string::npos) end = content.size();
    body += "+" + content.substr(pos, end - pos) + "\n";
    ++n_lines;
    pos = end + 1;
  }
  return "diff --git a/" + path + " b/" + path + "\nnew file mode 100644\n--- /dev/null\n+++ b/" + path +
         "\n@@ -0,0 +1," + std::to_string(n_lines) + " @@\n" + body;
}

graders::swe::EvalOptions eval_options_in(const std::string& dir, const std::string& repos_dir) {
  graders::swe::EvalOptions options;
  options.repos_dir = repos_dir;
  options.cache_dir = dir + "/cache";
  options.work_root = dir + "/work";
  options.out_dir = dir + "/out";
  options.sandbox.timeout_s = 60;
  return options;
}

namespace {

int count_once(const std::string& needle) {
  int n = 0;
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return 0;
  const std::string self = std::to_string(getpid());
  while (struct dirent* entry = readdir(proc)) {
    if (entry->d_name[0] < '0' || entry->d_name[0] > '9' || self == entry->d_name) continue;
    std::ifstream in(std::string("/proc/") + entry->d_name + "/cmdline", std::ios::binary);
    std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // The launcher's own argv holds the test command; it is not a test process.
    if (cmdline.rfind("bwrap", 0) == 0 || cmdline.find("/bwrap") < cmdline.find('\0')) continue;
    for (char& c : cmdline) {
      if (c == '\0') c = ' ';
    }
    if (cmdline.find(needle) != std::string::npos) ++n;
  }
  closedir(proc);
  return n;
}

}  // namespace

int count_processes_with(const std::string& needle) {
  // SIGKILL is delivered asynchronously: give dying processes a moment to go.
  int n = count_once(needle);
  for (int i = 0; i < 40 && n > 0; ++i) {
    usleep(50 * 1000);
    n = count_once(needle);
  }
  return n;
}

}  // namespace reval::test::swe
