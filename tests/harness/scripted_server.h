// Test helpers for the harness: the scripted OpenAI-compatible server (openai_test_server.py) run as a
// child process on 127.0.0.1, and a background child process that a test may kill.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace reval::test {

class ScriptedServer {
 public:
  // Writes `script` into `dir`, starts the server and waits (up to 20 s) for its port. REQUIRE-fails on error.
  ScriptedServer(const std::string& dir, const nlohmann::json& script);
  ~ScriptedServer();
  ScriptedServer(const ScriptedServer&) = delete;
  ScriptedServer& operator=(const ScriptedServer&) = delete;

  int port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }
  // The request log: one JSON object per request received, in arrival order.
  std::vector<nlohmann::json> requests() const;

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::string log_path_;
};

// A child process running in the background (stdout/stderr to files in `dir`).
class BackgroundProcess {
 public:
  BackgroundProcess(const std::string& program, const std::vector<std::string>& args,
                    const std::vector<std::string>& env, const std::string& dir);
  ~BackgroundProcess();
  void kill_hard();     // SIGKILL and reap
  int wait();           // exit status (128+N for a signal)
  pid_t pid() const { return pid_; }
  void signal(int signo);

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  int status_ = -1;
};

}  // namespace reval::test
