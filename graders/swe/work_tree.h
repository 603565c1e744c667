// Repository sources and per-attempt work trees. A --repos folder holds one git bundle per instance
// (<instance_id>.bundle, imported once into a bare mirror in the cache) or one mirror per repository
// (<owner>__<name>.git). A work tree is a `git clone --shared` of the mirror checked out at
// base_commit: objects are borrowed, only the checkout is written.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "graders/swe/instance.h"
#include "graders/swe/process.h"

namespace reval::graders::swe {

// $REVAL_CACHE/swe-mirrors, else $XDG_CACHE_HOME/reval/swe-mirrors, else ~/.cache/reval/swe-mirrors.
std::string default_mirror_cache_dir();

// The bare repository to clone `instance` from. For a bundle, imports it into `cache_dir` on first
// use (atomically: concurrent callers end with one mirror). not_found_error naming both accepted
// layouts when `repos_dir` has neither.
Result<std::string> resolve_mirror(const SweInstance& instance, const std::string& repos_dir,
                                   const std::string& cache_dir);

// Runs git with hooks disabled and any repository ownership accepted (the work tree may belong to a
// sandbox uid); errors carry git's own message.
Result<ProcessResult> run_git(const std::vector<std::string>& args, const std::string& cwd,
                              const std::string& stdin_text = "");

// Clones `mirror` into `work_tree` (which must not exist) and checks out `commit` detached.
Status create_work_tree(const std::string& mirror, const std::string& commit, const std::string& work_tree);

// Restores `paths` to their content at `commit` (files the test patch modifies).
Status reset_paths(const std::string& work_tree, const std::string& commit, const std::vector<std::string>& paths);

// Deletes `relative_path` under `work_tree` when present, refusing to follow a symlink in any
// leading component (so a planted link cannot redirect the delete outside the tree).
Status remove_in_tree(const std::string& work_tree, const std::string& relative_path);

// Gives every file of the tree (no symlink followed) to `uid`, so a sandbox running as that uid can
// write it.
Status chown_tree(const std::string& root, uid_t uid);

// Removes a whole tree, including read-only directories a test may have left.
Status remove_tree(const std::string& root);

}  // namespace reval::graders::swe
