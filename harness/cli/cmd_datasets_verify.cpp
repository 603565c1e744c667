// `reval datasets verify [NAME...]`: re-hash cached dataset files against their checksums.
#include "datasets/cache.h"
#include "datasets/registry.h"
#include "harness/cli/commands.h"

namespace reval::cli {
namespace {

Status run_verify(const ParsedArgs& args, CommandContext& ctx) {
  REVAL_ASSIGN_OR_RETURN(const datasets::Registry registry, datasets::Registry::load_default());
  std::vector<const datasets::DatasetSpec*> specs;
  for (const std::string& name : args.positionals()) {
    REVAL_ASSIGN_OR_RETURN(const datasets::DatasetSpec* spec, registry.lookup(name));
    specs.push_back(spec);
  }
  if (specs.empty()) {
    for (const auto& spec : registry.datasets()) specs.push_back(&spec);
  }
  const std::string cache_root = datasets::resolve_cache_dir("");
  std::size_t n_ok = 0, n_bad = 0, n_missing = 0, n_unverified = 0;
  for (const datasets::DatasetSpec* spec : specs) {
    if (spec->source.kind == datasets::SourceKind::kBundled) continue;
    for (const datasets::SourcePart& part : spec->source.parts) {
      REVAL_ASSIGN_OR_RETURN(const datasets::PartCheck check, datasets::check_cached_part(cache_root, *spec, part));
      const std::string file_name = part.cache_file_name();
      const char* name = file_name.c_str();
      switch (check.state) {
        case datasets::CacheState::kMissing:
          ++n_missing;
          std::fprintf(ctx.out, "%-14s %-24s not fetched\n", spec->id.c_str(), name);
          break;
        case datasets::CacheState::kOk:
          ++n_ok;
          std::fprintf(ctx.out, "%-14s %-24s ok (sha256 %s, from the %s)\n", spec->id.c_str(), name,
                       check.actual.c_str(), check.expected_from.c_str());
          break;
        case datasets::CacheState::kUnverified:
          ++n_unverified;
          std::fprintf(ctx.out, "%-14s %-24s unverified (no checksum known; 'reval datasets fetch %s --offline' records it)\n",
                       spec->id.c_str(), name, spec->id.c_str());
          break;
        case datasets::CacheState::kMismatch:
          ++n_bad;
          std::fprintf(ctx.out, "%-14s %-24s MISMATCH: expected sha256 %s (%s), got %s: %s\n", spec->id.c_str(), name,
                       check.expected.c_str(), check.expected_from.c_str(), check.actual.c_str(), check.path.c_str());
          break;
      }
    }
  }
  std::fprintf(ctx.out, "%zu ok, %zu mismatched, %zu unverified, %zu not fetched (cache: %s)\n", n_ok, n_bad,
               n_unverified, n_missing, cache_root.c_str());
  if (n_bad > 0) {
    std::fprintf(ctx.err, "reval datasets verify: %zu cached file%s changed; 'reval datasets fetch NAME --force' downloads again\n",
                 n_bad, n_bad == 1 ? "" : "s");
    ctx.exit_code = ExitCode::kFailure;
  }
  return Status::ok_status();
}

}  // namespace

Command datasets_verify_command() {
  Command command;
  command.name = "datasets verify";
  command.summary = "Check cached dataset files against their checksums (exit 1 on a mismatch)";
  command.usage = "reval datasets verify [NAME...]";
  command.description =
      "Hashes every cached file of the named datasets (all when none is named) and compares it with\n"
      "the registry's sha256, or, where the registry names none, with the checksum recorded when the\n"
      "file was fetched. Exits 1 when any file does not match; files not fetched are only listed.";
  command.max_positionals = -1;
  command.run = run_verify;
  return command;
}

}  // namespace reval::cli
