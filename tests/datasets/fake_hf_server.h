// Starts tests/datasets/fake_hf_server.py (a local stand-in for Hugging Face's file and rows
// endpoints) on 127.0.0.1 and stops it when the object goes away.
#pragma once

#include <sys/types.h>

#include <string>

namespace reval::test {

class FakeHfServer {
 public:
  // Serves files under `root` ("<root>/<org>/<name>/<path>"); logs request paths to `log_path`.
  FakeHfServer(const std::string& root, const std::string& log_path);
  ~FakeHfServer();
  FakeHfServer(const FakeHfServer&) = delete;
  FakeHfServer& operator=(const FakeHfServer&) = delete;

  bool started() const { return port_ > 0; }
  // "http://127.0.0.1:<port>".
  std::string url() const;
  // True while the server process is alive.
  bool running();
  // Waits up to timeout_s for the server to exit on its own; true when it did.
  bool wait_for_exit(double timeout_s);
  // Kills the server (SIGKILL) and reaps it.
  void kill();

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace reval::test
