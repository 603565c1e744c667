// Expanding a suite over its problems into Requests: prompt rendering, per-sample seeds and request
// hashes (the cache key). Pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "datasets/problem.h"
#include "harness/backend.h"
#include "harness/suite.h"

namespace reval::harness {

// The seed of one sample: a hash of (run seed, problem id, sample index), independent of the number of
// samples and of the other problems, so `-n 8` after `-n 4` reuses the first four seeds. Kept below 2^31
// because some servers take the seed as a 32-bit signed integer.
std::uint64_t sample_seed(std::uint64_t run_seed, std::string_view problem_id, int sample);

// The chat messages of a problem: the optional system prompt, then the user template with "{problem}"
// replaced.
std::vector<ChatMessage> build_messages(const SuiteSpec& suite, const datasets::Problem& problem);

// sha256 over the backend identity (backend, model name, base URL or file hash), the messages, the
// sampling parameters and the seed: identical requests hash alike.
std::string request_hash(const nlohmann::json& backend_identity, const Request& request);

// Every (problem, sample) pair for samples [0, n_samples), in problem order then sample order.
std::vector<Request> expand_requests(const SuiteSpec& suite, const std::vector<datasets::Problem>& problems,
                                     const SamplingParams& sampling, int n_samples, std::uint64_t run_seed,
                                     const nlohmann::json& backend_identity);

}  // namespace reval::harness
