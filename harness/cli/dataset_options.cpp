#include "harness/cli/dataset_options.h"

#include "datasets/field_mapping.h"

namespace reval::cli {

std::vector<OptionSpec> dataset_option_specs() {
  return {
      {"--dataset", 0, "PATH", "read this .jsonl/.json/.jsonl.gz file (or registry id) instead of NAME"},
      {"--fields", 0, "MAP", "field mapping, e.g. problem=question,answer=final (id= numbers the rows)"},
      {"--skip-bad-rows", 0, "", "skip malformed rows (and say how many) instead of stopping"},
      {"--offline", 0, "", "never use the network; the dataset must be cached or local"},
  };
}

Result<DatasetChoice> dataset_choice_from_args(const ParsedArgs& args, const std::string& positional_name) {
  DatasetChoice choice;
  const auto path = args.value("--dataset");
  if (path && !positional_name.empty()) {
    return usage_error("give either a dataset NAME or --dataset PATH, not both");
  }
  if (!path && positional_name.empty()) return usage_error("no dataset: give a NAME or --dataset PATH");
  choice.name_or_path = path ? *path : positional_name;
  if (auto fields = args.value("--fields")) {
    REVAL_ASSIGN_OR_RETURN(choice.load.fields, datasets::parse_field_overrides(*fields));
  }
  choice.load.skip_bad_rows = args.has("--skip-bad-rows");
  choice.load.offline = args.has("--offline");
  return choice;
}

Result<std::vector<datasets::Problem>> load_chosen_dataset(const DatasetChoice& choice, std::FILE* err,
                                                           datasets::LoadReport* report) {
  datasets::LoadReport local_report;
  if (report == nullptr) report = &local_report;
  REVAL_ASSIGN_OR_RETURN(auto problems, datasets::load_dataset(choice.name_or_path, choice.load, report));
  if (report->n_skipped > 0 && err != nullptr) {
    std::fprintf(err, "reval: warning: skipped %zu bad row%s (first: %s)\n", report->n_skipped,
                 report->n_skipped == 1 ? "" : "s", report->first_skip_reason.c_str());
  }
  return problems;
}

}  // namespace reval::cli
