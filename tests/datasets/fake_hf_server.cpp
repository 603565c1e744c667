#include "tests/datasets/fake_hf_server.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <vector>

#include "tests/support/test_support.h"

extern char** environ;

namespace reval::test {

FakeHfServer::FakeHfServer(const std::string& root, const std::string& log_path) {
  int out_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) return;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  std::vector<std::string> args = {"python3", source_dir() + "/tests/datasets/fake_hf_server.py", "--root", root,
                                   "--log", log_path};
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const int rc = posix_spawnp(&pid_, "python3", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(out_pipe[1]);
  if (rc != 0) {
    pid_ = -1;
    ::close(out_pipe[0]);
    return;
  }
  // Wait (up to 20 s) for "PORT <n>\n".
  std::string line;
  pollfd pfd{out_pipe[0], POLLIN, 0};
  while (line.find('\n') == std::string::npos && ::poll(&pfd, 1, 20000) > 0) {
    char buffer[64];
    const ssize_t n = ::read(out_pipe[0], buffer, sizeof buffer);
    if (n <= 0) break;
    line.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(out_pipe[0]);
  if (line.rfind("PORT ", 0) == 0) port_ = std::atoi(line.c_str() + 5);
}

FakeHfServer::~FakeHfServer() { kill(); }

std::string FakeHfServer::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

bool FakeHfServer::running() {
  if (pid_ <= 0) return false;
  int status = 0;
  if (::waitpid(pid_, &status, WNOHANG) == pid_) {
    pid_ = -1;
    return false;
  }
  return true;
}

bool FakeHfServer::wait_for_exit(double timeout_s) {
  for (double waited_s = 0; waited_s < timeout_s; waited_s += 0.02) {
    if (!running()) return true;
    ::usleep(20000);
  }
  return !running();
}

void FakeHfServer::kill() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

}  // namespace reval::test
