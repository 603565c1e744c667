// Drives llama.cpp (via the pinned node-llama-cpp package and ../shared/tools/llref) as the reference
// for the engine conformance tests: install once into a cache folder, make model files, and run
// greedy generation with per-step top-k log-probabilities.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace reval::test {

// The llref folder (node-llama-cpp installed, scripts copied), or "" with `why` set when the shared
// data or npm is unavailable (the caller skips).
std::string llref_dir(std::string* why);

struct ReferenceStep {
  std::int32_t token = 0;                               // llama.cpp's greedy choice
  std::vector<std::pair<std::int32_t, double>> top;     // (token, log-probability), most likely first
};

struct ReferenceRun {
  std::vector<std::int32_t> prompt_tokens;
  std::vector<ReferenceStep> steps;
};

// Runs llref.mjs on `model` with either a text prompt (BOS per the file's metadata) or raw token ids.
// Fails the current test (REQUIRE) when the runner fails.
ReferenceRun run_reference(const std::string& llref, const std::string& model, const std::string& prompt,
                           const std::vector<std::int32_t>& tokens, int n_steps, int top_k);

// Path of a conformance model under the build folder's cache, created on first use by `make` (a
// shell command line that writes the file given as $OUT). Returns "" and fails the test on error.
std::string cached_model(const std::string& name, const std::string& make_command);

}  // namespace reval::test
