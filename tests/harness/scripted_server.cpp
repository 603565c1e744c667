#include "tests/harness/scripted_server.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/support/test_support.h"

extern char** environ;

namespace reval::test {
namespace {

pid_t spawn(const std::string& program, const std::vector<std::string>& args, const std::vector<std::string>& env,
            const std::string& out_path) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, (out_path + ".out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, (out_path + ".err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  std::vector<std::string> argv_storage = {program};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& s : argv_storage) argv.push_back(s.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_storage;
  for (char** e = environ; *e != nullptr; ++e) env_storage.push_back(*e);
  env_storage.insert(env_storage.end(), env.begin(), env.end());
  std::vector<char*> envp;
  for (std::string& s : env_storage) envp.push_back(s.data());
  envp.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawnp(&pid, program.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

}  // namespace

ScriptedServer::ScriptedServer(const std::string& dir, const nlohmann::json& script) {
  const std::string script_path = dir + "/server-script.json";
  const std::string port_path = dir + "/server-port";
  log_path_ = dir + "/server-log.jsonl";
  write_text_file(script_path, script.dump(2));
  const std::string server = source_dir() + "/tests/harness/openai_test_server.py";
  pid_ = spawn("python3", {server, "--script", script_path, "--port-file", port_path, "--log", log_path_}, {},
               dir + "/server");
  REQUIRE(pid_ > 0);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream in(port_path);
    if (in >> port_) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  REQUIRE(port_ > 0);
}

ScriptedServer::~ScriptedServer() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
}

std::vector<nlohmann::json> ScriptedServer::requests() const {
  std::vector<nlohmann::json> out;
  std::ifstream in(log_path_);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) out.push_back(nlohmann::json::parse(line));
  }
  return out;
}

BackgroundProcess::BackgroundProcess(const std::string& program, const std::vector<std::string>& args,
                                     const std::vector<std::string>& env, const std::string& dir) {
  pid_ = spawn(program, args, env, dir + "/background");
  REQUIRE(pid_ > 0);
}

BackgroundProcess::~BackgroundProcess() {
  if (!reaped_) kill_hard();
}

void BackgroundProcess::signal(int signo) { ::kill(pid_, signo); }

void BackgroundProcess::kill_hard() {
  if (reaped_) return;
  ::kill(pid_, SIGKILL);
  wait();
}

int BackgroundProcess::wait() {
  if (!reaped_) {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    reaped_ = true;
    status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  return status_;
}

}  // namespace reval::test
