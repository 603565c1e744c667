// Run specs as data: per repository and version, the test command, environment, log parser and
// how test directives are formed (graders/swe/data/run_specs.json, like SWE-bench's spec table).
// Instance rows may carry test_cmd / log_parser / test_directives, which override the table.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "graders/swe/instance.h"

namespace reval::graders::swe {

enum class DirectiveStyle {
  kFiles,          // the files test_patch touches, minus data files (SWE-bench get_test_directives)
  kDjangoModules,  // those files as dotted modules relative to tests/ ("tests/a/b.py" -> "a.b")
};

struct RunSpec {
  std::string test_cmd;    // shell command run in the work tree; directives are appended
  std::string log_parser;  // a name in the log parser table ("parse_log_pytest")
  DirectiveStyle directives = DirectiveStyle::kFiles;
  std::map<std::string, std::string> env;
  std::vector<std::string> install;  // SWE-bench's image set-up, recorded for reference; not run
};

class SpecTable {
 public:
  // Parses the run_specs.json format; errors name the repo, version and field.
  static Result<SpecTable> parse(std::string_view json_text);
  // The embedded table (graders/swe/data/run_specs.json).
  static const SpecTable& builtin();

  // The spec for repo at version: the repo's default merged with the version's overrides.
  // not_found_error when the repo or version is not in the table (naming the known versions).
  Result<RunSpec> lookup(const std::string& repo, const std::string& version) const;
  bool has_repo(const std::string& repo) const { return repos_.count(repo) > 0; }
  std::vector<std::string> repos() const;

 private:
  struct RepoEntry {
    nlohmann::json defaults;
    std::map<std::string, nlohmann::json> versions;
  };
  std::map<std::string, RepoEntry> repos_;
};

// The spec for an instance: table entry (if any) with the instance's own fields on top. Fails when
// neither provides a test command and log parser.
Result<RunSpec> resolve_run_spec(const SweInstance& instance, const SpecTable& table = SpecTable::builtin());

// Test directives: the instance's test_directives when present, else derived from test_patch.
std::vector<std::string> test_directives(const SweInstance& instance, const RunSpec& spec);

// test_cmd followed by the directives (each shell-quoted only when it needs quoting).
std::string full_test_command(const RunSpec& spec, const std::vector<std::string>& directives);

}  // namespace reval::graders::swe
