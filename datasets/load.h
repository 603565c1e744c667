// Loading a dataset by registry id or by file path into reval's Problem schema.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/result.h"
#include "datasets/problem.h"

namespace reval::datasets {

struct LoadOptions {
  // Overrides of the field mapping: reval field ("id", "problem", "answer") -> source field name.
  std::map<std::string, std::string> fields;
  bool offline = false;        // never touch the network; a dataset missing from the cache is an error
  bool skip_bad_rows = false;  // skip malformed rows (counted in LoadReport) instead of failing
  std::string cache_dir;       // "" = $REVAL_CACHE or ~/.cache/reval
};

struct LoadReport {
  std::string source;        // the file actually read
  std::size_t n_rows = 0;    // rows loaded
  std::size_t n_skipped = 0; // malformed rows skipped (only with skip_bad_rows)
  std::string first_skip_reason;  // the first skipped row's error ("x.jsonl:3: malformed JSON ...")
};

// `name_or_path` is a registry id ("aime24", "math500", "math-sample") or a path to a .jsonl,
// .json (array) or .jsonl.gz file. Registry datasets not yet cached are downloaded unless offline.
// Errors name the file, line and field.
Result<std::vector<Problem>> load_dataset(const std::string& name_or_path, const LoadOptions& options,
                                          LoadReport* report = nullptr);

}  // namespace reval::datasets
