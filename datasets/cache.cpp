#include "datasets/cache.h"

#include <cstdlib>
#include <filesystem>

#include "common/files.h"
#include "common/sha256.h"
#include "common/strings.h"

namespace reval::datasets {
namespace {

std::string env_or_empty(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

std::string base_name(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

std::string resolve_cache_dir(const std::string& explicit_dir) {
  if (!explicit_dir.empty()) return explicit_dir;
  if (std::string dir = env_or_empty("REVAL_CACHE"); !dir.empty()) return dir;
  if (std::string xdg = env_or_empty("XDG_CACHE_HOME"); !xdg.empty()) return xdg + "/reval";
  if (std::string home = env_or_empty("HOME"); !home.empty()) return home + "/.cache/reval";
  // No HOME (a bare service environment): fall back to the working directory rather than fail.
  return ".cache/reval";
}

std::string dataset_cache_dir(const std::string& cache_root, const DatasetSpec& spec) {
  return cache_root + "/datasets/" + spec.id;
}

std::string part_cache_path(const std::string& cache_root, const DatasetSpec& spec, const SourcePart& part) {
  return dataset_cache_dir(cache_root, spec) + "/" + part.cache_file_name();
}

std::string checksum_path(const std::string& file_path) { return file_path + ".sha256"; }

Status record_checksum(const std::string& file_path, const std::string& sha256_hex) {
  return write_file_atomic(checksum_path(file_path), sha256_hex + "  " + base_name(file_path) + "\n");
}

Result<std::string> read_recorded_checksum(const std::string& file_path) {
  const std::string record_path = checksum_path(file_path);
  std::error_code ec;
  if (!std::filesystem::exists(record_path, ec)) return std::string();
  REVAL_ASSIGN_OR_RETURN(const std::string text, read_file(record_path));
  const std::string_view line = trim(text);
  const std::string digest(line.substr(0, line.find(' ')));
  if (digest.size() != 64 || digest.find_first_not_of("0123456789abcdef") != std::string::npos) {
    return invalid_input_error(record_path + ": not a sha256 record (expected \"<64 hex digits>  <file>\")");
  }
  return digest;
}

Result<PartCheck> check_cached_part(const std::string& cache_root, const DatasetSpec& spec, const SourcePart& part) {
  PartCheck check;
  check.path = part_cache_path(cache_root, spec, part);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(check.path, ec)) return check;
  if (!part.sha256.empty()) {
    check.expected = part.sha256;
    check.expected_from = "registry";
  } else {
    REVAL_ASSIGN_OR_RETURN(check.expected, read_recorded_checksum(check.path));
    if (!check.expected.empty()) check.expected_from = "fetch record";
  }
  REVAL_ASSIGN_OR_RETURN(check.actual, sha256_file_hex(check.path));
  if (check.expected.empty()) {
    check.state = CacheState::kUnverified;
  } else {
    check.state = check.actual == check.expected ? CacheState::kOk : CacheState::kMismatch;
  }
  return check;
}

std::string_view cache_state_name(CacheState state) {
  switch (state) {
    case CacheState::kMissing: return "missing";
    case CacheState::kOk: return "ok";
    case CacheState::kMismatch: return "MISMATCH";
    case CacheState::kUnverified: return "unverified";
  }
  return "?";
}

}  // namespace reval::datasets
