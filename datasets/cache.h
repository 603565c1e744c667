// The dataset cache: where fetched files live and how their checksums are recorded and checked.
//   <cache>/datasets/<id>/<part file>          the bytes as downloaded (hf_rows parts: rows as JSONL)
//   <cache>/datasets/<id>/<part file>.sha256   "sha256  <file>" (sha256sum format), written with the file
// <cache> is $REVAL_CACHE, else $XDG_CACHE_HOME/reval, else ~/.cache/reval. Files appear only by
// rename after their checksum was checked, so a file in the cache is never partial.
#pragma once

#include <string>

#include "common/result.h"
#include "datasets/registry.h"

namespace reval::datasets {

// The cache root: `explicit_dir` when not empty, else from the environment as above.
std::string resolve_cache_dir(const std::string& explicit_dir);

std::string dataset_cache_dir(const std::string& cache_root, const DatasetSpec& spec);
std::string part_cache_path(const std::string& cache_root, const DatasetSpec& spec, const SourcePart& part);
std::string checksum_path(const std::string& file_path);

// Writes the checksum record of `file_path` (atomically).
Status record_checksum(const std::string& file_path, const std::string& sha256_hex);
// The recorded checksum, or "" when there is no record; a malformed record is an error.
Result<std::string> read_recorded_checksum(const std::string& file_path);

enum class CacheState {
  kMissing,     // not fetched
  kOk,          // present and its checksum matches the registry (or the record made when it was fetched)
  kMismatch,    // present but its checksum differs: corrupt or changed
  kUnverified,  // present, but neither the registry nor a record says what its checksum should be
};

struct PartCheck {
  std::string path;
  CacheState state = CacheState::kMissing;
  std::string expected;  // the checksum it should have ("" when unknown)
  std::string actual;    // the checksum it has ("" when missing)
  std::string expected_from;  // "registry" or "fetch record"
};

// Checks one cached part (hashes the file when present).
Result<PartCheck> check_cached_part(const std::string& cache_root, const DatasetSpec& spec, const SourcePart& part);

std::string_view cache_state_name(CacheState state);

}  // namespace reval::datasets
