// Command-line option parsing for reval's subcommands: declared options only, with one-line
// usage errors ("unknown option --limt (did you mean --limit?)").
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace reval::cli {

struct OptionSpec {
  std::string name;          // long form with dashes: "--limit"
  char short_name = 0;       // 'n' for -n, 0 for none
  std::string value_name;    // empty: a flag; else the option takes a value shown as this name
  std::string help;
  bool repeatable = false;   // may be given several times (values accumulate)
};

// Parsed options and positionals. Option values are looked up by long name ("--limit").
class ParsedArgs {
 public:
  bool has(const std::string& name) const { return values_.count(name) > 0; }
  // The last value given, or nullopt.
  std::optional<std::string> value(const std::string& name) const;
  std::string value_or(const std::string& name, const std::string& fallback) const;
  const std::vector<std::string>& values(const std::string& name) const;
  const std::vector<std::string>& positionals() const { return positionals_; }

  // Typed accessors: nullopt when absent; a usage error naming the option when the value is not a number.
  Result<std::optional<std::int64_t>> int_value(const std::string& name) const;
  Result<std::optional<double>> double_value(const std::string& name) const;

  void add_value(const std::string& name, std::string value) { values_[name].push_back(std::move(value)); }
  void add_positional(std::string value) { positionals_.push_back(std::move(value)); }

 private:
  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positionals_;
};

// Parses `args` (the words after the command name) against `options`. `--opt=value` and `--opt value`
// both work; `--` ends options. Positionals outside [min_positionals, max_positionals] are usage errors
// (max < 0 means unlimited). `-h`/`--help` are always accepted as a flag named "--help".
Result<ParsedArgs> parse_args(const std::vector<std::string>& args, const std::vector<OptionSpec>& options,
                              int min_positionals, int max_positionals);

}  // namespace reval::cli
