// The oracle-retrieval prompt builder: the files the gold patch edits, read at base_commit with git
// (not from the patch), with created, deleted and renamed files handled.
#include <catch2/catch.hpp>

#include "common/strings.h"
#include "graders/swe/oracle_prompt.h"
#include "graders/swe/work_tree.h"
#include "tests/graders/swe/swe_test_support.h"

namespace swe = reval::graders::swe;
using reval::test::run_command;
using reval::test::TempDir;
using reval::test::write_text_file;

namespace {

void git(const std::string& repo, const std::vector<std::string>& args) {
  std::vector<std::string> full = {"-C", repo, "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"};
  full.insert(full.end(), args.begin(), args.end());
  const auto r = run_command("/usr/bin/env", [&] {
    std::vector<std::string> argv = {"git"};
    argv.insert(argv.end(), full.begin(), full.end());
    return argv;
  }());
  REQUIRE(r.exit_code == 0);
}

// A repository whose base commit has keep.py, gone.py and old_name.py; later commits change keep.py,
// so reading "at base_commit" is visible.
struct Repo {
  TempDir dir;
  std::string path = dir.file("repo");
  std::string base;
  Repo() {
    REQUIRE(run_command("/usr/bin/env", {"git", "init", "-q", path}).exit_code == 0);
    write_text_file(path + "/keep.py", "def f():\n    return 1\n");
    write_text_file(path + "/gone.py", "OLD = True\n");
    write_text_file(path + "/old_name.py", "x = 1\n");
    git(path, {"add", "-A"});
    git(path, {"commit", "-q", "-m", "base"});
    base = reval::trim(run_command("/usr/bin/env", {"git", "-C", path, "rev-parse", "HEAD"}).out);
    write_text_file(path + "/keep.py", "def f():\n    return 2  # after base\n");
    git(path, {"commit", "-q", "-am", "later"});
  }
};

const char* kGoldPatch =
    "diff --git a/keep.py b/keep.py\n--- a/keep.py\n+++ b/keep.py\n@@ -1,2 +1,2 @@\n def f():\n-    return 1\n"
    "+    return 3\n"
    "diff --git a/gone.py b/gone.py\ndeleted file mode 100644\n--- a/gone.py\n+++ /dev/null\n@@ -1 +0,0 @@\n-OLD = True\n"
    "diff --git a/fresh.py b/fresh.py\nnew file mode 100644\n--- /dev/null\n+++ b/fresh.py\n@@ -0,0 +1 @@\n+NEW = 1\n"
    "diff --git a/old_name.py b/new_name.py\nsimilarity index 50%\nrename from old_name.py\nrename to new_name.py\n"
    "--- a/old_name.py\n+++ b/new_name.py\n@@ -1 +1 @@\n-x = 1\n+x = 2\n"
    "diff --git a/keep.py b/keep.py\n--- a/keep.py\n+++ b/keep.py\n@@ -2 +2 @@\n-    return 3\n+    return 4\n";

swe::SweInstance instance_of(const Repo& repo) {
  swe::SweInstance inst;
  inst.instance_id = "owner__name-1";
  inst.repo = "owner/name";
  inst.base_commit = repo.base;
  inst.patch = kGoldPatch;
  inst.problem_statement = "f() returns {files} the wrong value";
  return inst;
}

}  // namespace

TEST_CASE("oracle files are the gold patch's files as they are at base_commit", "[graders][swe][oracle]") {
  Repo repo;
  const auto files = swe::read_oracle_files(instance_of(repo), repo.path + "/.git");
  REQUIRE(files.ok());
  // keep.py once (the patch names it twice), gone.py (deleted: its contents before), old_name.py (the
  // rename's source); fresh.py does not exist at base_commit and is left out.
  REQUIRE(files->size() == 3);
  CHECK((*files)[0].path == "keep.py");
  CHECK((*files)[0].content == "def f():\n    return 1\n");  // base, not the later commit, not the patch
  CHECK((*files)[1].path == "gone.py");
  CHECK((*files)[1].content == "OLD = True\n");
  CHECK((*files)[2].path == "old_name.py");
  CHECK((*files)[2].content == "x = 1\n");
}

TEST_CASE("the oracle prompt numbers lines and substitutes placeholders once", "[graders][swe][oracle]") {
  Repo repo;
  const swe::SweInstance inst = instance_of(repo);
  const auto files = swe::read_oracle_files(inst, repo.path + "/.git");
  REQUIRE(files.ok());
  const std::string rendered = swe::render_oracle_files(*files);
  CHECK(rendered.find("[start of keep.py]\n1 def f():\n2     return 1\n[end of keep.py]\n") == 0);
  CHECK(rendered.find("[start of gone.py]\n1 OLD = True\n[end of gone.py]\n") != std::string::npos);
  CHECK(rendered.find("fresh.py") == std::string::npos);

  const std::string prompt =
      swe::render_oracle_prompt("Repo {repo} ({instance_id})\n<issue>{problem}</issue>\n<code>\n{files}</code> {other}", inst, *files);
  CHECK(prompt.find("Repo owner/name (owner__name-1)\n") == 0);
  // "{files}" inside the problem statement is text, not a placeholder.
  CHECK(prompt.find("<issue>f() returns {files} the wrong value</issue>") != std::string::npos);
  CHECK(prompt.find("<code>\n" + rendered + "</code> {other}") != std::string::npos);
}

TEST_CASE("a gold patch file missing at base_commit is an error naming it", "[graders][swe][oracle]") {
  Repo repo;
  swe::SweInstance inst = instance_of(repo);
  inst.patch = "--- a/nowhere.py\n+++ b/nowhere.py\n@@ -1 +1 @@\n-a\n+b\n";
  const auto files = swe::read_oracle_files(inst, repo.path + "/.git");
  REQUIRE_FALSE(files.ok());
  CHECK(files.status().message().find("nowhere.py") != std::string::npos);
  // A patch that only creates files has nothing to show.
  inst.patch = "--- /dev/null\n+++ b/fresh.py\n@@ -0,0 +1 @@\n+NEW = 1\n";
  const auto none = swe::read_oracle_files(inst, repo.path + "/.git");
  REQUIRE(none.ok());
  CHECK(none->empty());
}

TEST_CASE("binary files are noted, not shown", "[graders][swe][oracle]") {
  std::vector<swe::OracleFile> files(1);
  files[0].path = "data.bin";
  files[0].binary = true;
  CHECK(swe::render_oracle_files(files) == "[start of data.bin]\n(binary file, contents not shown)\n[end of data.bin]\n");
}
