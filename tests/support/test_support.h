// Helpers shared by reval's tests: locating ../shared/data and the built binary, skipping with a
// reason, temporary folders, and running the real `reval` binary.
#pragma once

#include <string>
#include <vector>

namespace reval::test {

// ../shared/data next to the source tree (or -DREVAL_SHARED_DATA_DIR), "" when absent.
std::string shared_data_dir();
// The repository root and the build folder.
std::string source_dir();
std::string build_dir();
// The built `reval` executable.
std::string reval_binary();

// Prints "REVAL-SKIP: reason" (CTest marks the test skipped on that line). Use as
// `if (shared_data_dir().empty()) { skip("..."); return; }`.
void skip(const std::string& reason);

// A fresh empty directory under the build folder's tmp/, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

struct CommandResult {
  int exit_code = -1;  // the process exit status; 128+N when killed by signal N
  std::string out;
  std::string err;
};

// Runs `program` with `args` (no shell), optional stdin text and extra "NAME=VALUE" environment
// entries; captures stdout and stderr. Kills the process after timeout_s.
CommandResult run_command(const std::string& program, const std::vector<std::string>& args,
                          const std::string& stdin_text = "", const std::vector<std::string>& env = {},
                          double timeout_s = 120);

// Runs the reval binary.
CommandResult run_reval(const std::vector<std::string>& args, const std::string& stdin_text = "",
                        const std::vector<std::string>& env = {}, double timeout_s = 120);

void write_text_file(const std::string& path, const std::string& contents);
std::string read_text_file(const std::string& path);

}  // namespace reval::test
