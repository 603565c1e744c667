#include "datasets/load.h"

#include <filesystem>

#include "common/log.h"
#include "common/strings.h"
#include "datasets/cache.h"
#include "datasets/download.h"
#include "datasets/embedded.h"
#include "datasets/readers.h"
#include "datasets/registry.h"

namespace reval::datasets {
namespace {

Status load_registry_dataset(const DatasetSpec& spec, const LoadOptions& options, std::vector<Problem>* problems,
                             LoadReport* report) {
  REVAL_ASSIGN_OR_RETURN(const FieldMapping mapping, apply_field_overrides(spec.fields, options.fields));
  const std::string cache_root = resolve_cache_dir(options.cache_dir);
  if (spec.source.kind != SourceKind::kBundled) {
    // Downloads what is missing (or, offline, fails naming the missing file).
    FetchOptions fetch_options;
    fetch_options.cache_dir = cache_root;
    fetch_options.offline = options.offline;
    // Download progress is shown unless the user asked for errors only (-q).
    fetch_options.progress_out = log_enabled(LogLevel::kWarn) ? stderr : nullptr;
    Status fetched = fetch_dataset(spec, fetch_options);
    if (!fetched.ok()) {
      if (options.offline && fetched.code() == StatusCode::kNotFound) {
        return not_found_error("dataset '" + spec.id + "' is not in the cache (" + cache_root +
                               "); run 'reval datasets fetch " + spec.id + "' while online");
      }
      return fetched;
    }
  }
  std::vector<std::string> sources;
  ParseStats stats;
  for (const SourcePart& part : spec.source.parts) {
    ParseOptions parse_options;
    parse_options.mapping = mapping;
    parse_options.id_prefix = part.id_prefix;
    parse_options.skip_bad_rows = options.skip_bad_rows;
    if (spec.source.kind == SourceKind::kBundled) {
      const EmbeddedFile* file = find_embedded_file(part.path);
      if (file == nullptr) {
        return not_found_error("dataset '" + spec.id + "': bundled file datasets/" + part.path +
                               " is not built into reval");
      }
      parse_options.label = "datasets/" + part.path;
      REVAL_RETURN_IF_ERROR(parse_problems(file->contents, parse_options, problems, &stats));
    } else {
      parse_options.label = part_cache_path(cache_root, spec, part);
      REVAL_RETURN_IF_ERROR(load_problems_from_file(parse_options.label, parse_options, problems, &stats));
    }
    sources.push_back(parse_options.label);
  }
  report->source = join(sources, ", ");
  report->n_rows = stats.n_rows;
  report->n_skipped = stats.n_skipped;
  report->first_skip_reason = stats.first_skip_reason;
  return Status::ok_status();
}

Status load_file_dataset(const std::string& path, const LoadOptions& options, std::vector<Problem>* problems,
                         LoadReport* report) {
  REVAL_ASSIGN_OR_RETURN(const FieldMapping mapping, apply_field_overrides(FieldMapping{}, options.fields));
  ParseOptions parse_options;
  parse_options.label = path;
  parse_options.mapping = mapping;
  parse_options.skip_bad_rows = options.skip_bad_rows;
  ParseStats stats;
  REVAL_RETURN_IF_ERROR(load_problems_from_file(path, parse_options, problems, &stats));
  report->source = path;
  report->n_rows = stats.n_rows;
  report->n_skipped = stats.n_skipped;
  report->first_skip_reason = stats.first_skip_reason;
  return Status::ok_status();
}

// A name that was meant as a file path (it has a slash or a data-file extension).
bool looks_like_path(const std::string& name) {
  return name.find('/') != std::string::npos || name.ends_with(".jsonl") || name.ends_with(".json") ||
         name.ends_with(".gz");
}

}  // namespace

Result<std::vector<Problem>> load_dataset(const std::string& name_or_path, const LoadOptions& options,
                                          LoadReport* report) {
  LoadReport local_report;
  if (report == nullptr) report = &local_report;
  *report = LoadReport{};
  std::vector<Problem> problems;
  REVAL_ASSIGN_OR_RETURN(const Registry registry, Registry::load_default());
  std::error_code ec;
  if (const DatasetSpec* spec = registry.find(name_or_path)) {
    REVAL_RETURN_IF_ERROR(load_registry_dataset(*spec, options, &problems, report));
  } else if (std::filesystem::is_regular_file(name_or_path, ec)) {
    REVAL_RETURN_IF_ERROR(load_file_dataset(name_or_path, options, &problems, report));
  } else if (looks_like_path(name_or_path)) {
    return not_found_error("no such dataset file: " + name_or_path);
  } else {
    return registry.lookup(name_or_path).status();
  }
  // An empty dataset would make every later step (runs, statistics) vacuous: say so here.
  if (problems.empty()) {
    if (report->n_skipped > 0) {
      return invalid_input_error(report->source + ": every row was bad (" + std::to_string(report->n_skipped) +
                                 " skipped; first: " + report->first_skip_reason + ")");
    }
    return invalid_input_error(report->source + ": no rows");
  }
  return problems;
}

}  // namespace reval::datasets
