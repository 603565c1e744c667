#include "graders/swe/work_tree.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "common/strings.h"

namespace reval::graders::swe {
namespace {

namespace fs = std::filesystem;

bool is_dir(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool is_file(const std::string& path, struct stat* out = nullptr) {
  struct stat st;
  bool ok = stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
  if (ok && out != nullptr) *out = st;
  return ok;
}

std::string git_failure(const std::string& what, const ProcessResult& run) {
  std::string message(trim(run.output));
  if (message.size() > 600) message = message.substr(0, 600) + "...";
  if (run.timed_out) message = "timed out";
  return what + ": " + (message.empty() ? "git exited with " + std::to_string(run.exit_code) : message);
}

// Imports a bundle into cache_dir/<name>-<size>-<mtime>.git once; the key changes when the file does.
Result<std::string> mirror_from_bundle(const std::string& bundle, const struct stat& st, const std::string& cache_dir) {
  std::string stem = fs::path(bundle).stem().string();
  std::string mirror = cache_dir + "/" + stem + "-" + std::to_string(st.st_size) + "-" +
                       std::to_string(static_cast<long long>(st.st_mtim.tv_sec)) + ".git";
  if (is_dir(mirror)) return mirror;
  std::error_code ec;
  fs::create_directories(cache_dir, ec);
  if (ec) return io_error("create " + cache_dir + ": " + ec.message());
  std::string staging = mirror + ".tmp-" + std::to_string(getpid()) + "-" + std::to_string(std::rand());
  REVAL_ASSIGN_OR_RETURN(ProcessResult run, run_git({"clone", "-q", "--mirror", bundle, staging}, ""));
  if (run.exit_code != 0) {
    fs::remove_all(staging, ec);
    return invalid_input_error(git_failure("import bundle " + bundle, run));
  }
  if (rename(staging.c_str(), mirror.c_str()) != 0) {
    fs::remove_all(staging, ec);  // another process won the race; its mirror is equivalent
    if (!is_dir(mirror)) return errno_error("rename " + staging, errno);
  }
  return mirror;
}

}  // namespace

std::string default_mirror_cache_dir() {
  if (const char* cache = std::getenv("REVAL_CACHE"); cache != nullptr && *cache != '\0') {
    return std::string(cache) + "/swe-mirrors";
  }
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg != '\0') {
    return std::string(xdg) + "/reval/swe-mirrors";
  }
  const char* home = std::getenv("HOME");
  return std::string(home != nullptr ? home : "/tmp") + "/.cache/reval/swe-mirrors";
}

Result<std::string> resolve_mirror(const SweInstance& instance, const std::string& repos_dir,
                                   const std::string& cache_dir) {
  for (const std::string& bundle :
       {repos_dir + "/" + instance.instance_id + ".bundle", repos_dir + "/repos/" + instance.instance_id + ".bundle"}) {
    struct stat st;
    if (is_file(bundle, &st)) return mirror_from_bundle(bundle, st, cache_dir);
  }
  std::string mirror_name = replace_all(instance.repo, "/", "__");
  for (const std::string& mirror : {repos_dir + "/" + mirror_name + ".git", repos_dir + "/" + mirror_name}) {
    if (is_dir(mirror)) return mirror;
  }
  return not_found_error("no repository source for " + instance.instance_id + " in " + repos_dir + " (expected " +
                         instance.instance_id + ".bundle or " + mirror_name + ".git)");
}

Result<ProcessResult> run_git(const std::vector<std::string>& args, const std::string& cwd,
                              const std::string& stdin_text) {
  std::vector<std::string> argv = {"git", "-c", "core.hooksPath=/dev/null", "-c", "safe.directory=*",
                                   "-c", "advice.detachedHead=false", "-c", "core.fsmonitor=false"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_tool(argv, cwd, stdin_text, 300);
}

Status create_work_tree(const std::string& mirror, const std::string& commit, const std::string& work_tree) {
  REVAL_ASSIGN_OR_RETURN(ProcessResult clone,
                         run_git({"clone", "-q", "--shared", "--no-checkout", mirror, work_tree}, ""));
  if (clone.exit_code != 0) return io_error(git_failure("clone " + mirror, clone));
  REVAL_ASSIGN_OR_RETURN(ProcessResult checkout, run_git({"checkout", "-q", "--detach", commit}, work_tree));
  if (checkout.exit_code != 0) {
    return invalid_input_error(git_failure("checkout base_commit " + commit, checkout));
  }
  return Status::ok_status();
}

Status reset_paths(const std::string& work_tree, const std::string& commit, const std::vector<std::string>& paths) {
  if (paths.empty()) return Status::ok_status();
  std::vector<std::string> args = {"checkout", "-q", commit, "--"};
  args.insert(args.end(), paths.begin(), paths.end());
  REVAL_ASSIGN_OR_RETURN(ProcessResult run, run_git(args, work_tree));
  if (run.exit_code != 0) return io_error(git_failure("reset test files", run));
  return Status::ok_status();
}

Status remove_in_tree(const std::string& work_tree, const std::string& relative_path) {
  std::string current = work_tree;
  std::vector<std::string> parts = split(relative_path, '/');
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (parts[i].empty() || parts[i] == "." || parts[i] == "..") {
      return invalid_input_error("unsafe path in work tree: " + relative_path);
    }
    current += "/" + parts[i];
    struct stat st;
    if (lstat(current.c_str(), &st) != 0) return Status::ok_status();  // nothing there
    bool last = i + 1 == parts.size();
    if (!last && !S_ISDIR(st.st_mode)) {
      // A symlink (or file) where a directory should be: do not follow it; drop the entry itself.
      if (unlink(current.c_str()) != 0) return errno_error("unlink " + current, errno);
      return Status::ok_status();
    }
    if (last) {
      std::error_code ec;
      if (S_ISDIR(st.st_mode)) {
        fs::remove_all(current, ec);
      } else {
        fs::remove(current, ec);
      }
      if (ec) return io_error("remove " + current + ": " + ec.message());
    }
  }
  return Status::ok_status();
}

Status chown_tree(const std::string& root, uid_t uid) {
  const gid_t gid = static_cast<gid_t>(uid);
  if (lchown(root.c_str(), uid, gid) != 0) return errno_error("chown " + root, errno);
  std::error_code ec;
  // The iterator does not follow directory symlinks; lchown does not follow file symlinks.
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (lchown(it->path().c_str(), uid, gid) != 0) return errno_error("chown " + it->path().string(), errno);
  }
  if (ec) return io_error("chown " + root + ": " + ec.message());
  return Status::ok_status();
}

Status remove_tree(const std::string& root) {
  std::error_code ec;
  fs::remove_all(root, ec);
  if (!ec) return Status::ok_status();
  // A test may have left directories without write permission: open them up and retry.
  for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_directory(ec) && !it->is_symlink(ec)) chmod(it->path().c_str(), 0700);
  }
  chmod(root.c_str(), 0700);
  ec.clear();
  fs::remove_all(root, ec);
  if (ec) return io_error("remove " + root + ": " + ec.message());
  return Status::ok_status();
}

}  // namespace reval::graders::swe
