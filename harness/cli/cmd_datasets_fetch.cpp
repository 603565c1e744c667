// `reval datasets fetch NAME...`: download registry datasets into the cache, checked.
#include "common/log.h"
#include "common/strings.h"
#include "datasets/download.h"
#include "datasets/registry.h"
#include "harness/cli/commands.h"

namespace reval::cli {
namespace {

Status run_fetch(const ParsedArgs& args, CommandContext& ctx) {
  REVAL_ASSIGN_OR_RETURN(const datasets::Registry registry, datasets::Registry::load_default());
  // Resolve every name first, so a typo in the third name fails before anything is downloaded.
  std::vector<const datasets::DatasetSpec*> specs;
  for (const std::string& name : args.positionals()) {
    REVAL_ASSIGN_OR_RETURN(const datasets::DatasetSpec* spec, registry.lookup(name));
    specs.push_back(spec);
  }
  datasets::FetchOptions options;
  options.offline = args.has("--offline");
  options.force = args.has("--force");
  if (options.offline && options.force) return usage_error("--force downloads again; it cannot be combined with --offline");
  options.progress_out = log_enabled(LogLevel::kWarn) ? ctx.err : nullptr;  // -q: errors only
  for (const datasets::DatasetSpec* spec : specs) {
    if (spec->source.kind == datasets::SourceKind::kBundled) {
      std::fprintf(ctx.out, "%s: built into reval; nothing to fetch\n", spec->id.c_str());
      continue;
    }
    datasets::FetchReport report;
    REVAL_RETURN_IF_ERROR(datasets::fetch_dataset(*spec, options, &report));
    for (const datasets::FetchedPart& part : report.parts) {
      std::fprintf(ctx.out, "%s: %s  %zu rows  sha256 %s (%s)  %s\n", spec->id.c_str(), part.path.c_str(),
                   part.n_rows, part.sha256.c_str(), part.checksum_pinned ? "matches the registry" : "recorded",
                   part.downloaded ? ("downloaded from " + part.url).c_str() : "already cached");
    }
  }
  return Status::ok_status();
}

}  // namespace

Command datasets_fetch_command() {
  Command command;
  command.name = "datasets fetch";
  command.summary = "Download datasets into the cache (checksum-checked)";
  command.usage = "reval datasets fetch NAME... [--offline] [--force]";
  command.description =
      "Downloads each dataset's files from Hugging Face into the cache ($REVAL_CACHE, else\n"
      "~/.cache/reval). A file is written to a temp file, checked (sha256 where the registry names one,\n"
      "row count, every row parses) and only then renamed into place; anything that fails is deleted.\n"
      "A file already cached is checked and kept. With --offline nothing is downloaded: the command\n"
      "checks what is cached (and records the checksum of files placed there by hand).\n"
      "Environment: HF_TOKEN (gated datasets), REVAL_HF_ENDPOINT, REVAL_HF_ROWS_ENDPOINT (mirrors).";
  command.options = {
      {"--offline", 0, "", "never use the network; only check the cache"},
      {"--force", 0, "", "download again even when a good copy is cached"},
  };
  command.min_positionals = 1;
  command.max_positionals = -1;
  command.run = run_fetch;
  return command;
}

}  // namespace reval::cli
