// `reval datasets show NAME`: print a dataset's problems in reval's schema and a summary.
#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "common/strings.h"
#include "harness/cli/commands.h"
#include "harness/cli/dataset_options.h"

namespace reval::cli {
namespace {

constexpr std::size_t kMaxTagChars = 40;      // longer meta values (solutions, patches) are not tags
constexpr std::size_t kMaxSummaryValues = 12;  // meta fields with more distinct values are not tallied

// Short scalar meta values, "subject=Algebra level=2", shown next to each id.
std::string meta_tags(const nlohmann::json& meta) {
  std::vector<std::string> tags;
  for (auto it = meta.begin(); it != meta.end(); ++it) {
    if (it->is_object() || it->is_array() || it->is_null()) continue;
    const std::string value = it->is_string() ? it->get<std::string>() : it->dump();
    if (value.size() > kMaxTagChars || value.find('\n') != std::string::npos) continue;
    tags.push_back(it.key() + "=" + value);
  }
  return join(tags, " ");
}

std::string indent(const std::string& text, const std::string& prefix) {
  std::string out = prefix;
  for (char c : text) {
    out.push_back(c);
    if (c == '\n') out += prefix;
  }
  return out;
}

void print_problem(const datasets::Problem& problem, std::FILE* out) {
  const std::string tags = meta_tags(problem.meta);
  std::fprintf(out, "%s%s%s\n", problem.id.c_str(), tags.empty() ? "" : "  ", tags.c_str());
  std::fprintf(out, "%s\n", indent(problem.problem, "    ").c_str());
  std::fprintf(out, "  answer: %s\n\n", problem.answer.empty() ? "(none)" : problem.answer.c_str());
}

// Tallies of meta fields with few distinct short values (subject, level, repo...).
void print_summary(const std::vector<datasets::Problem>& problems, const datasets::LoadReport& report,
                   std::FILE* out) {
  std::map<std::string, std::map<std::string, std::size_t>> tallies;
  std::size_t n_with_answer = 0;
  for (const datasets::Problem& problem : problems) {
    if (!problem.answer.empty()) ++n_with_answer;
    for (auto it = problem.meta.begin(); it != problem.meta.end(); ++it) {
      if (it->is_object() || it->is_array() || it->is_null()) continue;
      const std::string value = it->is_string() ? it->get<std::string>() : it->dump();
      if (value.size() <= kMaxTagChars) ++tallies[it.key()][value];
    }
  }
  std::fprintf(out, "%zu problems, %zu with an answer; source: %s\n", problems.size(), n_with_answer,
               report.source.c_str());
  if (report.n_skipped > 0) std::fprintf(out, "skipped %zu bad rows\n", report.n_skipped);
  for (const auto& [field, counts] : tallies) {
    if (counts.size() > kMaxSummaryValues) continue;
    std::vector<std::pair<std::string, std::size_t>> sorted(counts.begin(), counts.end());
    std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    std::vector<std::string> parts;
    for (const auto& [value, count] : sorted) parts.push_back(value + " (" + std::to_string(count) + ")");
    std::fprintf(out, "  %s: %s\n", field.c_str(), join(parts, ", ").c_str());
  }
}

Status run_show(const ParsedArgs& args, CommandContext& ctx) {
  const std::string name = args.positionals().empty() ? "" : args.positionals()[0];
  REVAL_ASSIGN_OR_RETURN(const DatasetChoice choice, dataset_choice_from_args(args, name));
  REVAL_ASSIGN_OR_RETURN(const std::optional<std::int64_t> limit, args.int_value("--limit"));
  if (limit && *limit < 0) return usage_error("--limit must be 0 or more");
  datasets::LoadReport report;
  REVAL_ASSIGN_OR_RETURN(const std::vector<datasets::Problem> problems, load_chosen_dataset(choice, ctx.err, &report));
  const std::size_t n_show = limit ? std::min(problems.size(), static_cast<std::size_t>(*limit)) : problems.size();
  if (args.has("--json")) {
    for (std::size_t i = 0; i < n_show; ++i) {
      const nlohmann::json row = {{"id", problems[i].id},
                                  {"problem", problems[i].problem},
                                  {"answer", problems[i].answer},
                                  {"meta", problems[i].meta}};
      std::fprintf(ctx.out, "%s\n", row.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    }
    return Status::ok_status();
  }
  for (std::size_t i = 0; i < n_show; ++i) print_problem(problems[i], ctx.out);
  if (n_show < problems.size()) std::fprintf(ctx.out, "... %zu more (see --limit)\n\n", problems.size() - n_show);
  print_summary(problems, report, ctx.out);
  return Status::ok_status();
}

}  // namespace

Command datasets_show_command() {
  Command command;
  command.name = "datasets show";
  command.summary = "Print a dataset's problems and a summary";
  command.usage = "reval datasets show [NAME] [--limit N] [--json] [--dataset PATH --fields MAP]";
  command.description =
      "Loads a registry dataset (downloading it when it is not cached, unless --offline) or a local\n"
      "file given with --dataset, and prints each problem (id, short meta fields, text, answer) and a\n"
      "summary (counts, tallies of fields such as subject and level). --json prints the problems as\n"
      "JSONL in reval's schema {id, problem, answer, meta}.";
  command.options = {
      {"--limit", 'n', "N", "print only the first N problems (the summary counts all)"},
      {"--json", 0, "", "print the problems as JSON lines instead"},
  };
  for (const OptionSpec& option : dataset_option_specs()) command.options.push_back(option);
  command.max_positionals = 1;
  command.run = run_show;
  return command;
}

}  // namespace reval::cli
