// The `reval` binary: global options, dispatch to a subcommand, one-line errors, exit codes.
#include <cstdio>
#include <string>
#include <vector>

#include "common/log.h"
#include "harness/cli/command.h"
#include "harness/cli/overview.h"
#include "harness/cli/version.h"

namespace {

using reval::cli::ExitCode;

int fail(const std::string& where, const reval::Status& status) {
  const std::string prefix = where.empty() ? "reval: " : "reval " + where + ": ";
  std::fprintf(stderr, "%serror: %s\n", prefix.c_str(), status.message().c_str());
  return static_cast<int>(reval::cli::exit_code_for(status));
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> words;
  int verbosity = 0;
  bool quiet = false;
  bool after_dashdash = false;
  for (int i = 1; i < argc; ++i) {
    const std::string word = argv[i];
    if (word == "--") after_dashdash = true;
    if (!after_dashdash && (word == "-v" || word == "--verbose")) {
      ++verbosity;
    } else if (!after_dashdash && (word == "-vv")) {
      verbosity += 2;
    } else if (!after_dashdash && (word == "-q" || word == "--quiet")) {
      quiet = true;
    } else {
      words.push_back(word);
    }
  }

  if (!reval::init_log_level_from_env()) {
    std::fprintf(stderr, "reval: warning: REVAL_LOG must be one of error, warn, info, debug, trace; ignored\n");
  }
  if (quiet) reval::set_log_level(reval::LogLevel::kError);
  if (verbosity > 0) {
    reval::set_log_level(static_cast<reval::LogLevel>(std::min(4, static_cast<int>(reval::LogLevel::kWarn) + verbosity)));
  }

  if (words.empty()) {
    std::fputs(reval::cli::overview_text().c_str(), stderr);
    return static_cast<int>(ExitCode::kUsage);
  }
  if (words[0] == "--version" || words[0] == "version") {
    std::printf("reval %s\n", reval::cli::version_string());
    return 0;
  }
  if (words[0] == "--help" || words[0] == "-h") {
    std::fputs(reval::cli::overview_text().c_str(), stdout);
    return 0;
  }
  if (words[0].size() > 1 && words[0][0] == '-') {
    return fail("", reval::usage_error("unknown option " + words[0] + "; see 'reval help'"));
  }

  std::size_t n_used = 0;
  const reval::cli::Command* command = reval::cli::match_command(words, &n_used);
  if (command == nullptr) {
    // "reval datasets" alone: show the group's commands.
    const std::string group = reval::cli::group_help(words[0]);
    if (words.size() == 1 && !group.empty()) {
      std::fputs(group.c_str(), stdout);
      return 0;
    }
    return fail("", reval::cli::unknown_command_error(words));
  }

  const std::vector<std::string> rest(words.begin() + static_cast<std::ptrdiff_t>(n_used), words.end());
  auto parsed = reval::cli::parse_args(rest, command->options, command->min_positionals, command->max_positionals);
  if (!parsed.ok()) {
    const int code = fail(command->name, parsed.status());
    std::fprintf(stderr, "usage: %s\n", command->usage.c_str());
    return code;
  }
  if (parsed->has("--help")) {
    std::fputs(reval::cli::command_help(*command).c_str(), stdout);
    return 0;
  }

  reval::cli::CommandContext context;
  const reval::Status status = command->run(*parsed, context);
  std::fflush(stdout);
  if (!status.ok()) return fail(command->name, status);
  return static_cast<int>(context.exit_code);
}
