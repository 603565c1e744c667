// The body of the datasets loaders fuzz target, shared with the unit test that replays its corpus.
// The first input byte picks what the rest is fed to: 'j' dataset text (JSONL or JSON array),
// 'z' gzip data then dataset text, 'r' registry JSON, 'f' a --fields value. Each must succeed or
// return a Status, never crash, hang or read out of bounds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "datasets/field_mapping.h"
#include "datasets/gzip.h"
#include "datasets/readers.h"
#include "datasets/registry.h"

namespace reval::fuzz {

// Returns true when the input was accepted (for corpus statistics only).
inline bool run_datasets_loaders_input(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return false;
  const char mode = static_cast<char>(data[0]);
  const std::string rest(reinterpret_cast<const char*>(data + 1), size - 1);
  datasets::ParseOptions options;
  options.label = "fuzz.jsonl";
  options.skip_bad_rows = (size % 2) == 0;
  std::vector<datasets::Problem> problems;
  switch (mode) {
    case 'j':
      return datasets::parse_problems(rest, options, &problems, nullptr).ok();
    case 'z': {
      // A small output cap keeps zip bombs from exhausting memory under the fuzzer.
      auto text = datasets::gunzip(rest, "fuzz.gz", std::size_t{1} << 24);
      if (!text.ok()) return false;
      return datasets::parse_problems(*text, options, &problems, nullptr).ok();
    }
    case 'r':
      return datasets::Registry::parse(rest, "fuzz.json").ok();
    case 'f': {
      auto overrides = datasets::parse_field_overrides(rest);
      return overrides.ok() && datasets::apply_field_overrides({}, *overrides).ok();
    }
    default:
      return false;
  }
}

}  // namespace reval::fuzz
