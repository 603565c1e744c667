// The dataset options every command that reads a dataset accepts, parsed the same way everywhere:
//   --dataset PATH   a local .jsonl / .json / .jsonl.gz file (or a registry id) instead of NAME
//   --fields MAP     field mapping overrides, e.g. problem=question,answer=final (id= numbers rows)
//   --skip-bad-rows  skip malformed rows (counted and reported) instead of failing
//   --offline        never touch the network; registry datasets must already be cached
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "common/result.h"
#include "datasets/load.h"
#include "harness/cli/args.h"

namespace reval::cli {

// The four options above, to append to a Command's options.
std::vector<OptionSpec> dataset_option_specs();

struct DatasetChoice {
  std::string name_or_path;         // what to pass to datasets::load_dataset()
  datasets::LoadOptions load;
};

// Combines a positional dataset NAME (may be empty when the command has none) with the options.
// Exactly one of NAME and --dataset must be given (usage error otherwise); --fields is validated.
Result<DatasetChoice> dataset_choice_from_args(const ParsedArgs& args, const std::string& positional_name);

// Loads the chosen dataset, printing "skipped N bad rows (first: ...)" to `err` when rows were skipped.
Result<std::vector<datasets::Problem>> load_chosen_dataset(const DatasetChoice& choice, std::FILE* err,
                                                           datasets::LoadReport* report = nullptr);

}  // namespace reval::cli
