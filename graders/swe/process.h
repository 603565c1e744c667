// Running a child process with resource limits, a wall-clock timeout that kills its whole process
// group, a cap on captured output, and an optional private status channel (fd 3).
// Thread-safe: each call owns its pipes and child; no global state is touched.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace reval::graders::swe {

// Limits applied in the child before exec (inherited by everything it starts). 0 = no limit.
struct ProcessLimits {
  double timeout_s = 0;                 // wall clock; the process group is SIGKILLed when it passes
  std::uint64_t max_output_bytes = 0;   // stdout+stderr captured; the group is killed past this
  std::uint64_t cpu_s = 0;              // RLIMIT_CPU per process
  std::uint64_t address_space_bytes = 0;  // RLIMIT_AS
  std::uint64_t max_processes = 0;      // RLIMIT_NPROC (counted per real uid by the kernel)
  std::uint64_t max_file_bytes = 0;     // RLIMIT_FSIZE
};

struct ProcessSpec {
  std::vector<std::string> argv;  // argv[0] is an absolute path (no PATH search)
  std::vector<std::string> env;   // the complete environment, "NAME=VALUE"
  std::string cwd;                // "" = inherit
  std::string stdin_text;         // written to the child's stdin, then closed
  ProcessLimits limits;
  // Switch to this uid/gid (and drop supplementary groups) before exec; needs root.
  std::optional<uid_t> run_as_uid;
  // Give the child a write-only pipe on fd 3 whose contents come back in ProcessResult::status_text.
  bool status_channel = false;
};

struct ProcessResult {
  int exit_code = -1;        // exit status when the child exited normally, else -1
  int term_signal = 0;       // the signal that killed the child, 0 when it exited
  bool timed_out = false;
  bool output_limit_exceeded = false;
  bool group_survived = false;  // processes of the child's group were still alive after it exited
  std::string output;        // stdout and stderr interleaved, at most max_output_bytes
  std::string status_text;   // what was written to fd 3 (status_channel only)
  double wall_s = 0;
};

// Starts the process and waits for it. Errors only for failures to start (fork, pipe, exec of a
// missing program: "exec /usr/bin/bwrap: No such file or directory"); a child that fails, times
// out or floods its output is a normal result.
Result<ProcessResult> run_process(const ProcessSpec& spec);

// The absolute path of `program` on $PATH (or the path itself when it has a '/'), or nullopt.
std::optional<std::string> find_program(const std::string& program);

// Runs a trusted helper (git, patch) with a timeout; returns the result or a start error.
Result<ProcessResult> run_tool(const std::vector<std::string>& argv, const std::string& cwd,
                               const std::string& stdin_text = "", double timeout_s = 120);

}  // namespace reval::graders::swe
