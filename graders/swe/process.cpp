#include "graders/swe/process.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>

#include "common/strings.h"

extern char** environ;

namespace reval::graders::swe {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Pointers into `strings` ending in nullptr, built before fork (the child may not allocate).
std::vector<char*> to_c_array(std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

void set_limit(int resource, std::uint64_t value) {
  if (value == 0) return;
  struct rlimit limit;
  limit.rlim_cur = static_cast<rlim_t>(value);
  limit.rlim_max = static_cast<rlim_t>(value);
  setrlimit(resource, &limit);
}

// Runs in the forked child: only async-signal-safe calls until execve. On failure writes errno to
// `error_fd` (close-on-exec, so a successful exec closes it with nothing written).
[[noreturn]] void exec_child(const ProcessSpec& spec, char** argv, char** envp, int stdin_fd, int output_fd,
                             int status_fd, int error_fd) {
  setpgid(0, 0);
  dup2(stdin_fd, 0);
  dup2(output_fd, 1);
  dup2(output_fd, 2);
  if (status_fd >= 0) {
    dup2(status_fd, 3);
  } else {
    int devnull = open("/dev/null", O_WRONLY);
    if (devnull >= 0 && devnull != 3) dup2(devnull, 3);
  }
  // Everything else above fd 3 is closed so no descriptor of ours leaks into the sandbox.
  for (int fd = 4; fd < 1024; ++fd) {
    if (fd != error_fd) close(fd);
  }
  signal(SIGPIPE, SIG_DFL);
  const ProcessLimits& limits = spec.limits;
  set_limit(RLIMIT_CPU, limits.cpu_s);
  set_limit(RLIMIT_AS, limits.address_space_bytes);
  set_limit(RLIMIT_NPROC, limits.max_processes);
  set_limit(RLIMIT_FSIZE, limits.max_file_bytes);
  set_limit(RLIMIT_CORE, 1);  // 0 would be ideal, but 1 byte means no core files either
  if (spec.run_as_uid) {
    const uid_t uid = *spec.run_as_uid;
    if (setgroups(0, nullptr) != 0 || setgid(static_cast<gid_t>(uid)) != 0 || setuid(uid) != 0) {
      int e = errno;
      (void)!write(error_fd, &e, sizeof e);
      _exit(127);
    }
  }
  if (!spec.cwd.empty() && chdir(spec.cwd.c_str()) != 0) {
    int e = errno;
    (void)!write(error_fd, &e, sizeof e);
    _exit(127);
  }
  execve(argv[0], argv, envp);
  int e = errno;
  (void)!write(error_fd, &e, sizeof e);
  _exit(127);
}

// Appends what is readable on `fd` to `sink` up to `cap` (0 = unlimited); returns false at EOF.
bool drain(int fd, std::string& sink, std::uint64_t cap, bool& over_cap) {
  char buffer[65536];
  ssize_t n = read(fd, buffer, sizeof buffer);
  if (n < 0) return errno == EINTR || errno == EAGAIN;
  if (n == 0) return false;
  std::size_t take = static_cast<std::size_t>(n);
  if (cap != 0 && sink.size() + take > cap) {
    take = static_cast<std::size_t>(cap - sink.size());
    over_cap = true;
  }
  sink.append(buffer, take);
  return true;
}

struct Pipes {
  int in[2] = {-1, -1};
  int out[2] = {-1, -1};
  int status[2] = {-1, -1};
  int error[2] = {-1, -1};
  ~Pipes() {
    for (int* p : {in, out, status, error}) {
      for (int i = 0; i < 2; ++i) {
        if (p[i] >= 0) close(p[i]);
      }
    }
  }
  static void close_fd(int& fd) {
    if (fd >= 0) close(fd);
    fd = -1;
  }
};

}  // namespace

Result<ProcessResult> run_process(const ProcessSpec& spec) {
  if (spec.argv.empty()) return invalid_input_error("run_process: empty argv");
  Pipes pipes;
  if (pipe2(pipes.in, O_CLOEXEC) != 0 || pipe2(pipes.out, O_CLOEXEC) != 0 ||
      pipe2(pipes.error, O_CLOEXEC) != 0 || (spec.status_channel && pipe2(pipes.status, O_CLOEXEC) != 0)) {
    return errno_error("run_process: pipe", errno);
  }
  std::vector<std::string> argv_strings = spec.argv;
  std::vector<std::string> env_strings = spec.env;
  std::vector<char*> argv = to_c_array(argv_strings);
  std::vector<char*> envp = to_c_array(env_strings);

  const Clock::time_point start = Clock::now();
  pid_t pid = fork();
  if (pid < 0) return errno_error("run_process: fork " + spec.argv[0], errno);
  if (pid == 0) {
    exec_child(spec, argv.data(), envp.data(), pipes.in[0], pipes.out[1], pipes.status[1], pipes.error[1]);
  }
  setpgid(pid, pid);  // also done in the child; whichever runs first wins the race harmlessly
  Pipes::close_fd(pipes.in[0]);
  Pipes::close_fd(pipes.out[1]);
  Pipes::close_fd(pipes.status[1]);
  Pipes::close_fd(pipes.error[1]);

  int exec_errno = 0;
  if (read(pipes.error[0], &exec_errno, sizeof exec_errno) == static_cast<ssize_t>(sizeof exec_errno)) {
    waitpid(pid, nullptr, 0);
    return errno_error("exec " + spec.argv[0], exec_errno);
  }

  // stdin is small (a patch at most); a child that does not read it gets EPIPE, not a hang.
  if (!spec.stdin_text.empty()) {
    signal(SIGPIPE, SIG_IGN);
    fcntl(pipes.in[1], F_SETFL, O_NONBLOCK);
    (void)!write(pipes.in[1], spec.stdin_text.data(), spec.stdin_text.size());
  }
  Pipes::close_fd(pipes.in[1]);

  ProcessResult result;
  bool output_open = true;
  bool status_open = spec.status_channel;
  bool exited = false;
  int wait_status = 0;
  Clock::time_point exit_time;
  bool status_over_cap = false;
  while (output_open || status_open) {
    struct pollfd fds[2];
    int n_fds = 0;
    if (output_open) fds[n_fds++] = {pipes.out[0], POLLIN, 0};
    if (status_open) fds[n_fds++] = {pipes.status[0], POLLIN, 0};
    poll(fds, static_cast<nfds_t>(n_fds), 20);
    for (int i = 0; i < n_fds; ++i) {
      if ((fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      if (fds[i].fd == pipes.out[0]) {
        output_open = drain(pipes.out[0], result.output, spec.limits.max_output_bytes, result.output_limit_exceeded);
      } else {
        status_open = drain(pipes.status[0], result.status_text, 4096, status_over_cap);
      }
    }
    if (result.output_limit_exceeded && !exited) kill(-pid, SIGKILL);
    if (!exited && spec.limits.timeout_s > 0 && seconds_since(start) > spec.limits.timeout_s) {
      result.timed_out = true;
      kill(-pid, SIGKILL);
    }
    if (!exited && waitpid(pid, &wait_status, WNOHANG) == pid) {
      exited = true;
      exit_time = Clock::now();
      // Anything left in the group is a leftover; it must not outlive the call.
      if (kill(-pid, 0) == 0) {
        result.group_survived = true;
        kill(-pid, SIGKILL);
      }
    }
    // A descendant outside the group (setsid) may hold the pipe: stop reading shortly after exit.
    if (exited && seconds_since(exit_time) > 2.0) break;
  }
  if (!exited) {
    waitpid(pid, &wait_status, 0);
    if (kill(-pid, 0) == 0) {
      result.group_survived = true;
      kill(-pid, SIGKILL);
    }
  }
  if (WIFEXITED(wait_status)) result.exit_code = WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) result.term_signal = WTERMSIG(wait_status);
  result.wall_s = seconds_since(start);
  return result;
}

std::optional<std::string> find_program(const std::string& program) {
  auto executable = [](const std::string& path) {
    struct stat st;
    return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(path.c_str(), X_OK) == 0;
  };
  if (program.find('/') != std::string::npos) {
    if (executable(program)) return program;
    return std::nullopt;
  }
  const char* path_env = std::getenv("PATH");
  const std::string path = path_env != nullptr ? path_env : "/usr/bin:/bin";
  for (const std::string& dir : split(path, ':')) {
    if (dir.empty()) continue;
    std::string candidate = dir + "/" + program;
    if (executable(candidate)) return candidate;
  }
  return std::nullopt;
}

Result<ProcessResult> run_tool(const std::vector<std::string>& argv, const std::string& cwd,
                               const std::string& stdin_text, double timeout_s) {
  if (argv.empty()) return invalid_input_error("run_tool: empty argv");
  std::optional<std::string> program = find_program(argv[0]);
  if (!program) return not_found_error(argv[0] + ": not found on PATH (install it: scripts/install-deps.sh)");
  ProcessSpec spec;
  spec.argv = argv;
  spec.argv[0] = *program;
  for (char** e = environ; *e != nullptr; ++e) spec.env.emplace_back(*e);
  // git must never ask for anything or page its output.
  spec.env.emplace_back("GIT_TERMINAL_PROMPT=0");
  spec.env.emplace_back("GIT_PAGER=cat");
  spec.cwd = cwd;
  spec.stdin_text = stdin_text;
  spec.limits.timeout_s = timeout_s;
  spec.limits.max_output_bytes = 16u << 20;
  return run_process(spec);
}

}  // namespace reval::graders::swe
