#include "harness/cli/args.h"

#include "common/strings.h"

namespace reval::cli {
namespace {

const OptionSpec* find_long(const std::vector<OptionSpec>& options, const std::string& name) {
  for (const OptionSpec& spec : options) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

const OptionSpec* find_short(const std::vector<OptionSpec>& options, char c) {
  for (const OptionSpec& spec : options) {
    if (spec.short_name == c) return &spec;
  }
  return nullptr;
}

Status unknown_option(const std::string& word, const std::vector<OptionSpec>& options) {
  std::vector<std::string> names = {"--help"};
  for (const OptionSpec& spec : options) names.push_back(spec.name);
  std::string message = "unknown option " + word;
  const std::string bare = word.substr(0, word.find('='));
  if (auto hint = closest_match(bare, names)) message += " (did you mean " + *hint + "?)";
  return usage_error(message);
}

}  // namespace

std::optional<std::string> ParsedArgs::value(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::string ParsedArgs::value_or(const std::string& name, const std::string& fallback) const {
  return value(name).value_or(fallback);
}

const std::vector<std::string>& ParsedArgs::values(const std::string& name) const {
  static const std::vector<std::string> kEmpty;
  auto it = values_.find(name);
  return it == values_.end() ? kEmpty : it->second;
}

Result<std::optional<std::int64_t>> ParsedArgs::int_value(const std::string& name) const {
  auto text = value(name);
  if (!text) return std::optional<std::int64_t>();
  auto parsed = parse_int(*text);
  if (!parsed) return usage_error(name + " expects an integer, got '" + *text + "'");
  return std::optional<std::int64_t>(*parsed);
}

Result<std::optional<double>> ParsedArgs::double_value(const std::string& name) const {
  auto text = value(name);
  if (!text) return std::optional<double>();
  auto parsed = parse_double(*text);
  if (!parsed) return usage_error(name + " expects a number, got '" + *text + "'");
  return std::optional<double>(*parsed);
}

Result<ParsedArgs> parse_args(const std::vector<std::string>& args, const std::vector<OptionSpec>& options,
                              int min_positionals, int max_positionals) {
  ParsedArgs parsed;
  bool options_done = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& word = args[i];
    if (options_done || word.size() < 2 || word[0] != '-' || (word[1] >= '0' && word[1] <= '9') ||
        word[1] == '.') {
      parsed.add_positional(word);
      continue;
    }
    if (word == "--") {
      options_done = true;
      continue;
    }
    if (word == "-h" || word == "--help") {
      parsed.add_value("--help", "");
      continue;
    }
    const OptionSpec* spec = nullptr;
    std::optional<std::string> inline_value;
    if (word.rfind("--", 0) == 0) {
      const std::size_t eq = word.find('=');
      spec = find_long(options, word.substr(0, eq));
      if (eq != std::string::npos) inline_value = word.substr(eq + 1);
    } else if (word.size() == 2) {
      spec = find_short(options, word[1]);
    } else {
      // "-n16" style: a short option with its value attached.
      spec = find_short(options, word[1]);
      if (spec != nullptr && !spec->value_name.empty()) inline_value = word.substr(2);
      else spec = nullptr;
    }
    if (spec == nullptr) return unknown_option(word, options);
    if (spec->value_name.empty()) {
      if (inline_value) return usage_error(spec->name + " takes no value");
      parsed.add_value(spec->name, "");
      continue;
    }
    if (!inline_value) {
      if (i + 1 >= args.size()) return usage_error(spec->name + " needs a value (" + spec->value_name + ")");
      inline_value = args[++i];
    }
    if (!spec->repeatable && parsed.has(spec->name)) {
      return usage_error(spec->name + " given more than once");
    }
    parsed.add_value(spec->name, *inline_value);
  }
  if (parsed.has("--help")) return parsed;
  const int n = static_cast<int>(parsed.positionals().size());
  if (n < min_positionals) return usage_error("missing argument");
  if (max_positionals >= 0 && n > max_positionals) {
    return usage_error("unexpected argument '" + parsed.positionals()[static_cast<std::size_t>(max_positionals)] + "'");
  }
  return parsed;
}

}  // namespace reval::cli
