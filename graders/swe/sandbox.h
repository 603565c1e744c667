// The test sandbox: bubblewrap with the system read-only, the work tree (at /testbed) and a private
// /tmp the only writable paths, no network (--unshare-all), a new PID namespace, --die-with-parent,
// rlimits, a wall-clock timeout and an output cap. Without bwrap it refuses, unless the caller
// explicitly asked for no sandbox (trusted input only).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "common/result.h"
#include "graders/swe/process.h"

namespace reval::graders::swe {

struct SandboxOptions {
  bool enabled = true;               // false = --no-sandbox: run directly (limits and timeout still apply)
  double timeout_s = 1800;           // wall clock for the whole test command
  std::uint64_t max_output_bytes = 32u << 20;
  std::uint64_t address_space_bytes = 4ull << 30;
  std::uint64_t max_processes = 256;  // per sandbox (each worker slot runs under its own uid when root)
  std::uint64_t max_file_bytes = 512u << 20;
};

// Where the work tree appears inside the sandbox (as in SWE-bench's images).
inline constexpr const char* kSandboxWorkDir = "/testbed";

// What came out of one sandboxed command.
struct SandboxRun {
  ProcessResult process;
  int test_exit_code = -1;     // the test command's own exit status (from the private status channel)
  int n_leftover_processes = 0;  // processes still alive after the test command returned
  bool status_missing = false;  // the wrapper never reported (killed, timed out, crashed)
  // Timing (seconds): when the sandbox was spawned and when the test command started inside it
  // (Unix time, -1 when unknown), and how long the test command itself ran (-1 when unknown).
  double spawned_unix = -1;
  double test_started_unix = -1;
  double test_s = -1;
};

// Checks that bwrap exists and can create the namespaces we need (runs `bwrap ... true` once);
// returns a sandbox_error explaining why not ("bwrap not found; install bubblewrap ..." or the
// message bwrap printed, e.g. "No permissions to creating new namespace").
Status probe_sandbox();

// Runs `shell_command` with bash in `work_tree` under the sandbox (or directly when
// !options.enabled) with `env` as the entire environment added to a minimal base (PATH, HOME, LANG).
// `slot` distinguishes concurrent sandboxes: when reval runs as root, each slot runs as its own
// unprivileged uid so the kernel's per-uid process limit applies (root is exempt from RLIMIT_NPROC).
// `tmp_dir`, when given, is bound as the sandbox's /tmp (disk-backed, so a test filling /tmp cannot
// exhaust memory); else /tmp is a tmpfs. Errors only when the sandbox could not be started.
Result<SandboxRun> run_in_sandbox(const std::string& work_tree, const std::string& shell_command,
                                  const std::map<std::string, std::string>& env, const SandboxOptions& options,
                                  int slot, const std::string& tmp_dir = "");

// The uid a slot runs as when reval is root (the work tree is chowned to it), else nullopt. Distinct
// for each (process, slot < 64) pair.
std::optional<uid_t> sandbox_uid_for_slot(int slot);

}  // namespace reval::graders::swe
