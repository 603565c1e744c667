// `reval report RUN [RUN...]`: one self-contained HTML page (or Markdown / JSON) comparing runs.
#include <filesystem>

#include "common/files.h"
#include "common/strings.h"
#include "harness/cli/commands.h"
#include "harness/cli/version.h"
#include "reports/render.h"
#include "reports/report_model.h"
#include "reports/run_folder.h"

namespace reval::cli {
namespace {

// The run that --baseline names: a path given on the command line, a run id, or a run's label.
Result<int> find_baseline(const std::string& wanted, const std::vector<std::string>& paths,
                          const std::vector<reports::RunFolder>& runs) {
  std::error_code ec;
  const auto canonical = [&](const std::string& p) { return std::filesystem::weakly_canonical(p, ec).string(); };
  for (std::size_t i = 0; i < runs.size(); ++i) {
    if (wanted == paths[i] || canonical(wanted) == canonical(paths[i]) || wanted == runs[i].info.run_id) {
      return static_cast<int>(i);
    }
  }
  return usage_error("--baseline " + wanted + " is not one of the runs given (" + join(paths, ", ") + ")");
}

Status run_report(const ParsedArgs& args, CommandContext& ctx) {
  REVAL_ASSIGN_OR_RETURN(reports::ReportFormat format, reports::parse_report_format(args.value_or("--format", "html")));
  const std::vector<std::string>& paths = args.positionals();
  reports::HtmlOptions html_options;
  html_options.generator = "reval " + std::string(version_string());

  // Sample texts are clipped while reading to what the page can embed anyway, so memory stays bounded
  // for large runs.
  std::size_t n_sample_lines = 0;
  for (const std::string& path : paths) n_sample_lines += reports::count_sample_lines(path);
  reports::ReadOptions read_options;
  read_options.max_text_bytes = std::max(reports::kMinSampleTextBytes,
                                         html_options.sample_text_budget_bytes / std::max<std::size_t>(n_sample_lines, 1));
  std::vector<reports::RunFolder> runs;
  for (const std::string& path : paths) {
    REVAL_ASSIGN_OR_RETURN(reports::RunFolder run, reports::read_run_folder(path, read_options));
    runs.push_back(std::move(run));
  }
  reports::ReportOptions options;
  if (auto baseline = args.value("--baseline")) {
    REVAL_ASSIGN_OR_RETURN(options.baseline, find_baseline(*baseline, paths, runs));
  }
  REVAL_ASSIGN_OR_RETURN(reports::ReportModel model, reports::build_report_model(std::move(runs), options));
  for (const std::string& warning : model.warnings) std::fprintf(ctx.err, "reval report: warning: %s\n", warning.c_str());

  std::string text;
  switch (format) {
    case reports::ReportFormat::kHtml: text = reports::render_html(model, html_options); break;
    case reports::ReportFormat::kMarkdown: text = reports::render_markdown(model); break;
    case reports::ReportFormat::kJson: text = reports::render_json(model); break;
  }
  const std::string output = args.value_or("--output", format == reports::ReportFormat::kHtml ? "report.html" : "-");
  if (output == "-") {
    std::fwrite(text.data(), 1, text.size(), ctx.out);
    return Status::ok_status();
  }
  REVAL_RETURN_IF_ERROR(write_file_atomic(output, text));
  const std::size_t n_runs = model.runs.size();
  const std::size_t n_problems = model.problem_ids.size();
  std::fprintf(ctx.out, "wrote %s (%zu run%s, %zu problem%s%s, %s)\n", output.c_str(), n_runs, n_runs == 1 ? "" : "s",
               n_problems, n_problems == 1 ? "" : "s", model.problem_sets_differ ? " shared by all runs" : "",
               format_bytes(text.size()).c_str());
  return Status::ok_status();
}

}  // namespace

Command report_command() {
  Command command;
  command.name = "report";
  command.summary = "Compare runs in one self-contained HTML page (or Markdown / JSON)";
  command.usage = "reval report RUN [RUN...] [-o report.html] [--baseline RUN] [--format html|md|json]";
  command.description =
      "Reads run folders (run.json, problems.jsonl, samples.jsonl, grades.jsonl, summary.json) and writes a report:\n"
      "headline metrics with 95% intervals, a chart, paired comparisons against the baseline (the first run unless\n"
      "--baseline names another, by path or run id), a per-problem matrix, the samples, response lengths, run\n"
      "metadata and SWE outcomes. The runs must be on one dataset; runs with different problem sets (subsets,\n"
      "shards, another suite over the same dataset) are compared on the problems they share.\n"
      "The HTML page loads nothing from the network; model output in it is escaped text.\n"
      "--format md prints the headline and comparison tables as Markdown; --format json the summary as JSON\n"
      "(both to stdout unless -o is given).";
  command.options = {
      {"--output", 'o', "FILE", "where to write the report (default report.html for html, stdout otherwise; - for stdout)"},
      {"--baseline", 0, "RUN", "the run the others are compared against (path or run id; default: the first)"},
      {"--format", 0, "FORMAT", "html (default), md or json"},
  };
  command.min_positionals = 1;
  command.max_positionals = -1;
  command.run = run_report;
  return command;
}

}  // namespace reval::cli
