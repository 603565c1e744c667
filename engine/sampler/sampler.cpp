#include "engine/sampler/sampler.h"

#include <algorithm>
#include <cmath>

namespace reval::engine {
namespace {

std::uint64_t splitmix64(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

bool by_value_then_id(const std::pair<float, std::int32_t>& a, const std::pair<float, std::int32_t>& b) {
  return a.first != b.first ? a.first > b.first : a.second < b.second;
}

// Sorts the first `n` of the candidates in decreasing order; the rest are left unspecified.
void sort_top(std::vector<std::pair<float, std::int32_t>>& c, std::size_t n) {
  n = std::min(n, c.size());
  std::partial_sort(c.begin(), c.begin() + static_cast<std::ptrdiff_t>(n), c.end(), by_value_then_id);
}

// Nucleus sampling looks only at tokens within kNucleusCut nats (after temperature) of the best one:
// the rest of a 151,936-entry vocabulary is summed as a bound (each is below exp(-kNucleusCut) of
// the best), and the exact tail sum is computed only when that bound could move the nucleus edge.
constexpr float kNucleusCut = 20.0f;

// The smallest n whose first-n mass of the sorted prefix reaches target, widening the sorted prefix
// as needed; c.size() + 1 when even all of c does not reach it.
std::size_t nucleus_size(std::vector<std::pair<float, std::int32_t>>& c, std::size_t& sorted, double target) {
  while (true) {
    double cumulative = 0.0;
    std::size_t n = 0;
    while (n < sorted && cumulative < target) cumulative += c[n++].first;
    if (cumulative >= target) return std::max<std::size_t>(1, n);
    if (sorted == c.size()) return c.size() + 1;
    sorted = std::min(c.size(), sorted * 8);
    sort_top(c, sorted);
  }
}

// Exponentiates the candidates against the largest (c[0] after sort_top) and returns their sum.
double exponentiate(std::vector<std::pair<float, std::int32_t>>& c) {
  const float max_logit = c[0].first;
  double total = 0.0;
  for (auto& [value, id] : c) {
    value = std::exp(value - max_logit);
    total += value;
  }
  return total;
}

// Fills c with every token's temperature-scaled logit.
void fill_all(std::span<const float> logits, float inv_t, std::vector<std::pair<float, std::int32_t>>& c) {
  c.resize(logits.size());
  for (std::size_t i = 0; i < logits.size(); ++i) c[i] = {logits[i] * inv_t, static_cast<std::int32_t>(i)};
}

// Fills scratch.candidates with the filtered, renormalized distribution in decreasing order.
// Top-k and top-p start from the tokens within kNucleusCut nats of the best (usually a small part of
// the vocabulary): top-k needs nothing else when at least k are there (it renormalizes over its k);
// top-p bounds the rest's mass and sums it exactly only when the bound could move the nucleus edge.
// Either falls back to every token when the near ones do not settle it, so the result is always the
// one the whole vocabulary gives.
void build_distribution(std::span<const float> logits, const SamplingConfig& config, SamplerScratch& scratch) {
  auto& c = scratch.candidates;
  const float inv_t = 1.0f / config.temperature;
  const bool use_top_k = config.top_k > 0 && static_cast<std::size_t>(config.top_k) < logits.size();
  const bool use_top_p = config.top_p < 1.0f;
  const float max_scaled = logits[static_cast<std::size_t>(argmax(logits))] * inv_t;
  const float floor = max_scaled - kNucleusCut;
  bool near_only = false;
  if (use_top_k || use_top_p) {
    c.clear();
    for (std::size_t i = 0; i < logits.size(); ++i) {
      const float x = logits[i] * inv_t;
      if (x >= floor) c.emplace_back(x, static_cast<std::int32_t>(i));
    }
    near_only = !use_top_k || c.size() >= static_cast<std::size_t>(config.top_k);
  }
  if (!near_only) fill_all(logits, inv_t, c);
  // Tokens left out whose mass still counts (none after top-k: it keeps only its k).
  const std::size_t n_tail = near_only && !use_top_k ? logits.size() - c.size() : 0;
  if (use_top_k) {
    const auto k = static_cast<std::ptrdiff_t>(config.top_k);
    std::nth_element(c.begin(), c.begin() + k - 1, c.end(), by_value_then_id);
    c.resize(static_cast<std::size_t>(k));
  }
  // Nucleus sets are usually small: sort a prefix first and widen only if its mass is not enough.
  std::size_t sorted = std::min<std::size_t>(c.size(), 1024);
  sort_top(c, sorted);
  double total = exponentiate(c);
  std::size_t keep = c.size();
  if (use_top_p) {
    const double p = config.top_p;
    const std::size_t n_low = nucleus_size(c, sorted, p * total);
    std::size_t n = n_low;
    if (n_tail > 0) {
      const double tail_bound = static_cast<double>(n_tail) * std::exp(static_cast<double>(-kNucleusCut));
      n = nucleus_size(c, sorted, p * (total + tail_bound));
      if (n != n_low) {
        double tail = 0.0;
        for (float value : logits) {
          const float x = value * inv_t;
          if (x < floor) tail += std::exp(static_cast<double>(x - max_scaled));
        }
        n = nucleus_size(c, sorted, p * (total + tail));
      }
      if (n > c.size()) {  // the nucleus reaches below the cut: start over with every token
        fill_all(logits, inv_t, c);
        sorted = std::min<std::size_t>(c.size(), 1024);
        sort_top(c, sorted);
        total = exponentiate(c);
        n = nucleus_size(c, sorted, p * total);
      }
    }
    keep = std::min(n, c.size());
  } else if (sorted < c.size()) {
    std::sort(c.begin(), c.end(), by_value_then_id);
  }
  c.resize(std::min(keep, c.size()));
  if (config.min_p > 0.0f) {
    // c[0] is the most likely token; its weight is exp(0) = 1, so the threshold is min_p itself.
    std::size_t n = 1;
    while (n < c.size() && c[n].first >= config.min_p) ++n;
    c.resize(n);
  }
  double kept = 0.0;
  for (const auto& entry : c) kept += entry.first;
  for (auto& entry : c) entry.first = static_cast<float>(entry.first / kept);
}

}  // namespace

Rng::Rng(std::uint64_t seed) {
  for (std::uint64_t& s : state_) s = splitmix64(seed);
}

std::uint64_t Rng::next_u64() {
  const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
  const std::uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = rotl(state_[3], 45);
  return result;
}

double Rng::next_double() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

std::uint64_t derive_sample_seed(std::uint64_t run_seed, std::string_view problem_id, int sample_index) {
  // FNV-1a over the problem id, then splitmix rounds mixing in the seed and the index.
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char ch : problem_id) h = (h ^ ch) * 0x100000001b3ULL;
  std::uint64_t x = run_seed ^ h;
  const std::uint64_t a = splitmix64(x);
  x = a ^ static_cast<std::uint64_t>(static_cast<std::uint32_t>(sample_index));
  return splitmix64(x);
}

std::int32_t argmax(std::span<const float> logits) {
  // Chunks of 256: the chunk's maximum is a branch-free loop the compiler vectorizes, and only a
  // chunk that beats the best so far is scanned for the (first) index.
  constexpr std::size_t kChunk = 256;
  std::size_t best = 0;
  for (std::size_t begin = 0; begin < logits.size(); begin += kChunk) {
    const std::size_t end = std::min(logits.size(), begin + kChunk);
    // Eight independent lanes (no reassociation needed, so the compiler may use vector max).
    float lane[8];
    for (float& m : lane) m = logits[begin];
    std::size_t i = begin;
    for (; i + 8 <= end; i += 8) {
      for (std::size_t j = 0; j < 8; ++j) lane[j] = logits[i + j] > lane[j] ? logits[i + j] : lane[j];
    }
    for (; i < end; ++i) lane[0] = logits[i] > lane[0] ? logits[i] : lane[0];
    float chunk_max = lane[0];
    for (float m : lane) chunk_max = m > chunk_max ? m : chunk_max;
    if (chunk_max <= logits[best]) continue;
    for (std::size_t k = begin; k < end; ++k) {
      if (logits[k] > logits[best]) best = k;
    }
  }
  return static_cast<std::int32_t>(best);
}

std::int32_t sample_token(std::span<const float> logits, const SamplingConfig& config, Rng& rng,
                          SamplerScratch& scratch) {
  if (config.temperature <= 0.0f || config.top_k == 1) return argmax(logits);
  build_distribution(logits, config, scratch);
  const double u = rng.next_double();
  double cumulative = 0.0;
  for (const auto& [p, id] : scratch.candidates) {
    cumulative += p;
    if (u < cumulative) return id;
  }
  return scratch.candidates.back().second;  // rounding left u just above the total
}

std::vector<std::pair<std::int32_t, float>> top_log_probs(std::span<const float> logits, int k) {
  const float max_logit = logits[static_cast<std::size_t>(argmax(logits))];
  double sum = 0.0;
  for (float value : logits) sum += std::exp(static_cast<double>(value - max_logit));
  const double log_z = static_cast<double>(max_logit) + std::log(sum);
  std::vector<std::pair<float, std::int32_t>> c(logits.size());
  for (std::size_t i = 0; i < logits.size(); ++i) c[i] = {logits[i], static_cast<std::int32_t>(i)};
  sort_top(c, static_cast<std::size_t>(std::max(0, k)));
  std::vector<std::pair<std::int32_t, float>> out;
  for (std::size_t i = 0; i < std::min(c.size(), static_cast<std::size_t>(std::max(0, k))); ++i) {
    out.emplace_back(c[i].second, static_cast<float>(c[i].first - log_z));
  }
  return out;
}

std::vector<std::pair<std::int32_t, float>> filtered_distribution(std::span<const float> logits,
                                                                  const SamplingConfig& config,
                                                                  SamplerScratch& scratch) {
  std::vector<std::pair<std::int32_t, float>> out;
  if (config.temperature <= 0.0f || config.top_k == 1) {
    out.emplace_back(argmax(logits), 1.0f);
    return out;
  }
  build_distribution(logits, config, scratch);
  for (const auto& [p, id] : scratch.candidates) out.emplace_back(id, p);
  return out;
}

}  // namespace reval::engine
