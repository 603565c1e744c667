#include "graders/swe/sandbox.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <mutex>
#include <vector>

#include "common/strings.h"

namespace reval::graders::swe {
namespace {

// uids used for sandboxes when reval runs as root: far above any real account.
constexpr uid_t kSandboxUidBase = 1500000000u;  // below 2^31: bwrap reads uid maps as int

// The wrapper run inside the sandbox. The test command runs in a subshell with fd 3 closed, so only
// the wrapper can write the status line; afterwards it counts live processes in the PID namespace
// (pid 1 is bwrap's init, $$ the wrapper; zombies do not count) and reports them on fd 3.
std::string wrapper_script(const std::string& shell_command, const std::string& dir, bool count_leftovers) {
  std::string script = "cd '" + dir + "' || exit 97\nprintf 'start=%s\\n' \"$EPOCHREALTIME\" >&3\n";
  script += "(\n" + shell_command + "\n) 3>&- </dev/null\nrc=$?\nt1=$EPOCHREALTIME\nn=0\n";
  if (count_leftovers) {
    script +=
        "for p in /proc/[0-9]*; do id=${p#/proc/}; case \"$id\" in 1|$$) continue;; esac; "
        "s=; read -r s < \"$p/stat\" 2>/dev/null || continue; s=${s##*) }; "
        "case \"$s\" in Z*|X*) continue;; esac; n=$((n+1)); done\n";
  }
  script += "printf 'exit=%d leftover=%d end=%s\\n' \"$rc\" \"$n\" \"$t1\" >&3\nexit \"$rc\"\n";
  return script;
}

// The read-only system view: /usr and /etc bound, the merged-/usr links recreated as links.
void add_system_binds(std::vector<std::string>& argv) {
  for (const char* dir : {"/usr", "/etc", "/opt"}) {
    struct stat st;
    if (lstat(dir, &st) == 0 && S_ISDIR(st.st_mode)) argv.insert(argv.end(), {"--ro-bind", dir, dir});
  }
  for (const char* dir : {"/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"}) {
    struct stat st;
    if (lstat(dir, &st) != 0) continue;
    if (S_ISLNK(st.st_mode)) {
      char target[4096];
      ssize_t n = readlink(dir, target, sizeof target - 1);
      if (n <= 0) continue;
      target[n] = '\0';
      argv.insert(argv.end(), {"--symlink", target, dir});
    } else if (S_ISDIR(st.st_mode)) {
      argv.insert(argv.end(), {"--ro-bind", dir, dir});
    }
  }
}

std::vector<std::string> bwrap_argv(const std::string& bwrap, const std::string& work_tree,
                                    const std::string& tmp_dir, const std::string& script) {
  std::vector<std::string> argv = {bwrap, "--unshare-all", "--die-with-parent", "--new-session"};
  add_system_binds(argv);
  argv.insert(argv.end(), {"--proc", "/proc", "--dev", "/dev"});
  if (tmp_dir.empty()) {
    argv.insert(argv.end(), {"--tmpfs", "/tmp"});
  } else {
    argv.insert(argv.end(), {"--bind", tmp_dir, "/tmp"});
  }
  argv.insert(argv.end(), {"--bind", work_tree, kSandboxWorkDir});
  // The repository metadata stays read-only: a test must not plant hooks or config that the host's
  // git would run later.
  struct stat st;
  std::string git_dir = work_tree + "/.git";
  if (lstat(git_dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    argv.insert(argv.end(), {"--ro-bind", git_dir, std::string(kSandboxWorkDir) + "/.git"});
  }
  argv.insert(argv.end(), {"--chdir", kSandboxWorkDir, "/bin/bash", "-c", script});
  return argv;
}

// Tasks (threads count for RLIMIT_NPROC) currently owned by `uid`, so that a non-root sandbox gets
// max_processes on top of what the user already runs.
std::uint64_t count_tasks_of_uid(uid_t uid) {
  std::uint64_t n = 0;
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return 0;
  while (struct dirent* entry = readdir(proc)) {
    if (entry->d_name[0] < '0' || entry->d_name[0] > '9') continue;
    std::string dir = std::string("/proc/") + entry->d_name;
    struct stat st;
    if (stat(dir.c_str(), &st) != 0 || st.st_uid != uid) continue;
    DIR* tasks = opendir((dir + "/task").c_str());
    if (tasks == nullptr) continue;
    while (struct dirent* task = readdir(tasks)) {
      if (task->d_name[0] != '.') ++n;
    }
    closedir(tasks);
  }
  closedir(proc);
  return n;
}

double unix_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

Status probe_once() {
  std::optional<std::string> bwrap = find_program("bwrap");
  if (!bwrap) {
    return sandbox_error(
        "bwrap not found: the SWE sandbox needs bubblewrap (Debian package `bubblewrap`, see "
        "scripts/install-deps.sh); --no-sandbox runs tests unsandboxed (trusted input only)");
  }
  ProcessSpec spec;
  spec.argv = {*bwrap, "--unshare-all", "--die-with-parent", "--new-session"};
  add_system_binds(spec.argv);
  spec.argv.insert(spec.argv.end(), {"--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "/bin/true"});
  spec.env = {"PATH=/usr/bin:/bin"};
  spec.limits.timeout_s = 20;
  spec.limits.max_output_bytes = 8192;
  spec.run_as_uid = sandbox_uid_for_slot(0);
  Result<ProcessResult> run = run_process(spec);
  if (!run.ok()) return sandbox_error("cannot start bwrap: " + run.status().message());
  if (run->exit_code != 0) {
    std::string why(trim(run->output));
    return sandbox_error("bwrap cannot create the sandbox namespaces here (" +
                         (why.empty() ? "exit " + std::to_string(run->exit_code) : why) +
                         "); unprivileged user namespaces must be allowed (sysctl "
                         "kernel.unprivileged_userns_clone=1 / user.max_user_namespaces > 0)");
  }
  return Status::ok_status();
}

// The wrapper's "start=T0" and "exit=N leftover=M end=T1" lines; false when the exit line is absent.
bool parse_status(const std::string& text, SandboxRun& run) {
  bool have_exit = false;
  double start = -1, end = -1;
  for (const std::string& line : split(text, '\n')) {
    for (const std::string& token : split(trim(line), ' ')) {
      std::size_t eq = token.find('=');
      if (eq == std::string::npos) continue;
      std::string key = token.substr(0, eq);
      std::string value = replace_all(token.substr(eq + 1), ",", ".");
      if (key == "exit") {
        std::optional<std::int64_t> code = parse_int(value);
        if (code) run.test_exit_code = static_cast<int>(*code);
        have_exit = code.has_value();
      } else if (key == "leftover") {
        run.n_leftover_processes = static_cast<int>(parse_int(value).value_or(0));
      } else if (key == "start") {
        start = parse_double(value).value_or(-1);
      } else if (key == "end") {
        end = parse_double(value).value_or(-1);
      }
    }
  }
  if (start > 0) run.test_started_unix = start;
  if (start > 0 && end >= start) run.test_s = end - start;
  return have_exit;
}

}  // namespace

std::optional<uid_t> sandbox_uid_for_slot(int slot) {
  if (geteuid() != 0) return std::nullopt;
  // Unique per process and slot: concurrent reval processes must not share a uid, or one run's
  // processes would count against another's RLIMIT_NPROC. pids are below 2^22 on Linux.
  const uid_t process_part = static_cast<uid_t>(getpid()) % (1u << 22);
  return kSandboxUidBase + process_part * 64 + static_cast<uid_t>(slot % 64);
}

Status probe_sandbox() {
  static std::once_flag once;
  static Status status;
  std::call_once(once, [] { status = probe_once(); });
  return status;
}

Result<SandboxRun> run_in_sandbox(const std::string& work_tree, const std::string& shell_command,
                                  const std::map<std::string, std::string>& env, const SandboxOptions& options,
                                  int slot, const std::string& tmp_dir) {
  std::map<std::string, std::string> full_env = {
      {"PATH", "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"}, {"HOME", "/tmp"}, {"LANG", "C.UTF-8"},
      {"TMPDIR", "/tmp"}, {"PYTHONDONTWRITEBYTECODE", "1"}};
  for (const auto& [key, value] : env) full_env[key] = value;

  ProcessSpec spec;
  for (const auto& [key, value] : full_env) spec.env.push_back(key + "=" + value);
  spec.status_channel = true;
  spec.limits.timeout_s = options.timeout_s;
  spec.limits.max_output_bytes = options.max_output_bytes;
  spec.limits.cpu_s = static_cast<std::uint64_t>(options.timeout_s) + 1;
  spec.limits.address_space_bytes = options.address_space_bytes;
  spec.limits.max_file_bytes = options.max_file_bytes;

  if (options.enabled) {
    REVAL_RETURN_IF_ERROR(probe_sandbox());
    std::optional<std::string> bwrap = find_program("bwrap");
    if (!bwrap) return sandbox_error("bwrap disappeared from PATH");
    spec.argv = bwrap_argv(*bwrap, work_tree, tmp_dir, wrapper_script(shell_command, kSandboxWorkDir, /*count_leftovers=*/true));
    spec.run_as_uid = sandbox_uid_for_slot(slot);
    spec.limits.max_processes =
        spec.run_as_uid ? options.max_processes : count_tasks_of_uid(getuid()) + options.max_processes;
  } else {
    spec.argv = {"/bin/bash", "-c", wrapper_script(shell_command, work_tree, /*count_leftovers=*/false)};
    spec.cwd = work_tree;
    // Root ignores RLIMIT_NPROC; unsandboxed runs are for trusted input, so only bound non-root users.
    if (getuid() != 0) spec.limits.max_processes = count_tasks_of_uid(getuid()) + options.max_processes;
  }

  SandboxRun run;
  run.spawned_unix = unix_now();
  REVAL_ASSIGN_OR_RETURN(ProcessResult process, run_process(spec));
  run.status_missing = !parse_status(process.status_text, run);
  if (process.group_survived && !options.enabled) run.n_leftover_processes += 1;
  run.process = std::move(process);
  return run;
}

}  // namespace reval::graders::swe
