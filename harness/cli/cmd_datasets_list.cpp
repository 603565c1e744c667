// `reval datasets list`: the registry's datasets, their source and whether they are cached.
#include <filesystem>

#include <nlohmann/json.hpp>

#include "datasets/cache.h"
#include "datasets/registry.h"
#include "harness/cli/commands.h"

namespace reval::cli {
namespace {

// "built in", "cached", "partly cached" or "not cached" (existence only: `verify` hashes).
std::string cache_summary(const datasets::DatasetSpec& spec, const std::string& cache_root) {
  if (spec.source.kind == datasets::SourceKind::kBundled) return "built in";
  std::size_t n_present = 0;
  for (const datasets::SourcePart& part : spec.source.parts) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(datasets::part_cache_path(cache_root, spec, part), ec)) ++n_present;
  }
  if (n_present == spec.source.parts.size()) return "cached";
  return n_present == 0 ? "not cached" : "partly cached";
}

std::string rows_text(const datasets::DatasetSpec& spec) {
  const std::int64_t rows = spec.expected_rows();
  return rows < 0 ? "?" : std::to_string(rows);
}

void print_long(const datasets::DatasetSpec& spec, const std::string& cache_root, std::FILE* out) {
  std::fprintf(out, "%s\n", spec.id.c_str());
  std::fprintf(out, "  %s\n", spec.description.c_str());
  std::fprintf(out, "  rows:    %s\n", rows_text(spec).c_str());
  std::fprintf(out, "  source:  %s\n", spec.source_summary().c_str());
  if (!spec.homepage.empty()) std::fprintf(out, "  home:    %s\n", spec.homepage.c_str());
  std::fprintf(out, "  license: %s\n", spec.license.c_str());
  std::fprintf(out, "  fields:  %s\n", datasets::describe_mapping(spec.fields).c_str());
  std::fprintf(out, "  cache:   %s (%s)\n", cache_summary(spec, cache_root).c_str(),
               spec.source.kind == datasets::SourceKind::kBundled
                   ? "compiled into reval"
                   : datasets::dataset_cache_dir(cache_root, spec).c_str());
  for (const datasets::SourcePart& part : spec.source.parts) {
    if (!part.sha256.empty()) std::fprintf(out, "  sha256:  %s  %s\n", part.sha256.c_str(), part.cache_file_name().c_str());
  }
  if (!spec.notes.empty()) std::fprintf(out, "  notes:   %s\n", spec.notes.c_str());
  std::fputc('\n', out);
}

nlohmann::json spec_json(const datasets::DatasetSpec& spec, const std::string& cache_root) {
  nlohmann::json parts = nlohmann::json::array();
  for (const datasets::SourcePart& part : spec.source.parts) {
    nlohmann::json item = {{"file", part.cache_file_name()}};
    if (!part.path.empty()) item["path"] = part.path;
    if (!part.config.empty()) item["config"] = part.config;
    if (!part.split.empty()) item["split"] = part.split;
    item["sha256"] = part.sha256.empty() ? nlohmann::json() : nlohmann::json(part.sha256);
    item["rows"] = part.rows < 0 ? nlohmann::json() : nlohmann::json(part.rows);
    parts.push_back(item);
  }
  return {{"id", spec.id},
          {"description", spec.description},
          {"license", spec.license},
          {"rows", spec.expected_rows() < 0 ? nlohmann::json() : nlohmann::json(spec.expected_rows())},
          {"kind", std::string(datasets::source_kind_name(spec.source.kind))},
          {"repo", spec.source.repo},
          {"parts", parts},
          {"cache", cache_summary(spec, cache_root)}};
}

Status run_list(const ParsedArgs& args, CommandContext& ctx) {
  REVAL_ASSIGN_OR_RETURN(const datasets::Registry registry, datasets::Registry::load_default());
  const std::string cache_root = datasets::resolve_cache_dir("");
  if (args.has("--json")) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& spec : registry.datasets()) list.push_back(spec_json(spec, cache_root));
    std::fprintf(ctx.out, "%s\n", list.dump(2).c_str());
    return Status::ok_status();
  }
  if (args.has("--long")) {
    for (const auto& spec : registry.datasets()) print_long(spec, cache_root, ctx.out);
  } else {
    std::fprintf(ctx.out, "%-14s %5s  %-13s %s\n", "ID", "ROWS", "CACHE", "SOURCE");
    for (const auto& spec : registry.datasets()) {
      std::fprintf(ctx.out, "%-14s %5s  %-13s %s\n", spec.id.c_str(), rows_text(spec).c_str(),
                   cache_summary(spec, cache_root).c_str(), spec.source_summary().c_str());
    }
  }
  std::fprintf(ctx.out, "registry: %s\ncache: %s\n", registry.origin().c_str(), cache_root.c_str());
  return Status::ok_status();
}

}  // namespace

Command datasets_list_command() {
  Command command;
  command.name = "datasets list";
  command.summary = "List the known datasets, their sources and whether they are cached";
  command.usage = "reval datasets list [--long] [--json]";
  command.description =
      "Lists the datasets of the registry (datasets/registry.json, built into reval; REVAL_REGISTRY\n"
      "names a replacement file). The cache is $REVAL_CACHE, else ~/.cache/reval.";
  command.options = {
      {"--long", 'l', "", "show description, license, field mapping and checksums"},
      {"--json", 0, "", "print the list as JSON"},
  };
  command.run = run_list;
  return command;
}

}  // namespace reval::cli
