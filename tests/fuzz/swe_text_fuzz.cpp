// Untrusted text into the SWE grader: model responses (diff extraction and hunk repair), patches
// (file lists, path checks), test logs (every parser family) and instance rows. Invariants: no crash,
// a found diff ends in '\n', repairing twice changes nothing more, and parsed ids are never empty.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "graders/swe/diff_extract.h"
#include "graders/swe/instance.h"
#include "graders/swe/log_parsers.h"
#include "graders/swe/patch_files.h"

namespace swe = reval::graders::swe;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  swe::ExtractedDiff extracted = swe::extract_diff(text);
  if (extracted.found) {
    if (extracted.diff.empty() || extracted.diff.back() != '\n') __builtin_trap();
    int n_repaired = 0;
    bool malformed = false;
    std::string again = swe::repair_hunk_counts(extracted.diff, &n_repaired, &malformed);
    if (malformed || n_repaired != 0 || again != extracted.diff) __builtin_trap();
  }

  for (const swe::PatchFile& file : swe::patch_files(text)) {
    if (file.path() != (file.new_path.empty() ? file.old_path : file.new_path)) __builtin_trap();
  }
  swe::check_patch_paths(text).ignore();

  for (const auto& [name, config] : swe::builtin_log_parsers()) {
    for (const auto& [id, status] : swe::parse_test_log(config, text)) {
      if (id.empty()) __builtin_trap();
      (void)status;
    }
  }

  nlohmann::json row = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!row.is_discarded() && row.is_object()) swe::parse_instance(row).status().ignore();
  return 0;
}
