#include "datasets/download.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>

#include <cstdlib>
#include <filesystem>
#include <algorithm>
#include <memory>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/log.h"
#include "common/progress.h"
#include "common/sha256.h"
#include "common/strings.h"
#include "datasets/cache.h"
#include "datasets/readers.h"

namespace reval::datasets {
namespace {

std::string env_or(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return (value == nullptr || value[0] == '\0') ? fallback : std::string(value);
}

std::string without_trailing_slash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

// The temp file a part is downloaded into; it becomes the cached file only by rename.
class TempFile {
 public:
  explicit TempFile(std::string final_path)
      : final_path_(std::move(final_path)), path_(final_path_ + ".tmp-" + std::to_string(::getpid())) {}
  ~TempFile() {
    close();
    if (!committed_) std::remove(path_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  const std::string& path() const { return path_; }
  std::uint64_t n_bytes() const { return n_bytes_; }
  Sha256& hasher() { return hasher_; }

  // Truncates (a retried download starts over).
  Status reset() {
    close();
    file_ = std::fopen(path_.c_str(), "wb");
    if (file_ == nullptr) return errno_error("create " + path_, errno);
    hasher_.reset();
    n_bytes_ = 0;
    return Status::ok_status();
  }
  Status write(std::string_view chunk) {
    if (file_ == nullptr) REVAL_RETURN_IF_ERROR(reset());
    if (std::fwrite(chunk.data(), 1, chunk.size(), file_) != chunk.size()) return errno_error("write " + path_, errno);
    hasher_.update(chunk);
    n_bytes_ += chunk.size();
    return Status::ok_status();
  }
  Status finish_writing() {
    if (file_ == nullptr) REVAL_RETURN_IF_ERROR(reset());
    const bool ok = std::fflush(file_) == 0 && ::fsync(fileno(file_)) == 0;
    const int saved = errno;
    close();
    if (!ok) return errno_error("flush " + path_, saved);
    return Status::ok_status();
  }
  Status commit() {
    if (std::rename(path_.c_str(), final_path_.c_str()) != 0) {
      return errno_error("rename " + path_ + " to " + final_path_, errno);
    }
    committed_ = true;
    return Status::ok_status();
  }

 private:
  void close() {
    if (file_ != nullptr) std::fclose(file_);
    file_ = nullptr;
  }

  std::string final_path_;
  std::string path_;
  std::FILE* file_ = nullptr;
  Sha256 hasher_;
  std::uint64_t n_bytes_ = 0;
  bool committed_ = false;
};

std::unique_ptr<ProgressReporter> make_progress(const FetchOptions& options, const std::string& label,
                                                const std::string& unit) {
  if (options.progress_out == nullptr) return nullptr;
  ProgressOptions progress_options;
  progress_options.out = options.progress_out;
  progress_options.unit = unit;
  progress_options.plain_interval_s = 5.0;
  return std::make_unique<ProgressReporter>(label, 0, progress_options);
}

// Checks a file that is about to enter the cache (or is found there unrecorded): every row parses
// with the dataset's mapping and the row count is the expected one. Returns the row count.
Result<std::size_t> validate_rows(const std::string& path, const std::string& label, const DatasetSpec& spec,
                                  const SourcePart& part) {
  ParseOptions parse_options;
  parse_options.label = label;
  parse_options.mapping = spec.fields;
  parse_options.id_prefix = part.id_prefix;
  std::vector<Problem> problems;
  ParseStats stats;
  REVAL_RETURN_IF_ERROR(load_problems_from_file(path, parse_options, &problems, &stats));
  if (part.rows >= 0 && static_cast<std::int64_t>(stats.n_rows) != part.rows) {
    return invalid_input_error(label + ": expected " + std::to_string(part.rows) + " rows, got " +
                               std::to_string(stats.n_rows) + " (the registry pins the row count; the source changed "
                               "or the download is incomplete)");
  }
  return stats.n_rows;
}

Status download_hf_file(const std::string& url, const FetchOptions& options, const std::string& label,
                        TempFile* temp) {
  auto progress = make_progress(options, label, "KiB");
  std::uint64_t shown_kib = 0;
  HttpSink sink;
  sink.reset = [&] { return temp->reset(); };
  sink.write = [&](std::string_view chunk) { return temp->write(chunk); };
  HttpProgress on_progress = [&](std::uint64_t done, std::uint64_t total) {
    if (!progress) return;
    if (total > 0) progress->set_total(total / 1024);
    const std::uint64_t kib = done / 1024;
    if (kib > shown_kib) progress->advance(kib - shown_kib);
    shown_kib = kib;
  };
  return http_get(url, options.http, sink, on_progress);
}

// One page of the datasets-server rows API:
//   {"features": [...], "rows": [{"row_idx": i, "row": {...}, "truncated_cells": [...]}], "num_rows_total": N}
struct RowsPage {
  std::vector<nlohmann::ordered_json> rows;
  std::int64_t total = 0;
  std::string truncated;  // the truncated_cells of the first cut row ("" when none was cut)
};

Result<RowsPage> get_rows_page(const std::string& url, const HttpOptions& http) {
  using ordered = nlohmann::ordered_json;
  REVAL_ASSIGN_OR_RETURN(const std::string body, http_get_text(url, http));
  ordered document;
  try {
    document = ordered::parse(body);
  } catch (const nlohmann::json::exception& e) {
    return network_error("GET " + url + ": the response is not JSON (" + std::string(e.what()) + ")");
  }
  const auto rows = document.find("rows");
  const auto total = document.find("num_rows_total");
  if (!document.is_object() || rows == document.end() || !rows->is_array() || total == document.end() ||
      !total->is_number_integer()) {
    return network_error("GET " + url + ": unexpected response (expected {\"rows\": [...], \"num_rows_total\": N})");
  }
  RowsPage page;
  page.total = total->get<std::int64_t>();
  for (const auto& entry : *rows) {
    const auto row = entry.find("row");
    if (!entry.is_object() || row == entry.end() || !row->is_object()) {
      return network_error("GET " + url + ": a rows[] entry has no \"row\" object");
    }
    if (auto cut = entry.find("truncated_cells"); cut != entry.end() && cut->is_array() && !cut->empty()) {
      if (page.truncated.empty()) page.truncated = cut->dump();
    }
    page.rows.push_back(*row);
  }
  return page;
}

// Pages through the rows API, writing each row object as one JSONL line. The server truncates
// cells to keep a page under its size limit, so a page with a truncated cell is asked for again in
// smaller pages, down to one row (growing back afterwards); a single row still truncated is an error.
Status download_hf_rows(const DatasetSpec& spec, const SourcePart& part, const FetchOptions& options,
                        const std::string& label, TempFile* temp, std::string* first_url) {
  const std::string endpoint = effective_rows_endpoint(options);
  REVAL_RETURN_IF_ERROR(temp->reset());
  auto progress = make_progress(options, label, "rows");
  int length = spec.source.page_size;
  std::int64_t offset = 0;
  std::int64_t total = -1;
  while (total < 0 || offset < total) {
    const std::string url = hf_rows_url(endpoint, spec.source, part, offset, length);
    if (first_url->empty()) *first_url = url;
    REVAL_ASSIGN_OR_RETURN(const RowsPage page, get_rows_page(url, options.http));
    if (total < 0) {
      total = page.total;
      if (progress) progress->set_total(static_cast<std::uint64_t>(total));
    } else if (page.total != total) {
      return network_error("GET " + url + ": num_rows_total changed from " + std::to_string(total) + " to " +
                           std::to_string(page.total) + " while paging");
    }
    if (!page.truncated.empty()) {
      if (length > 1) {
        length = std::max(1, length / 2);
        continue;
      }
      return network_error("GET " + url + ": the server truncated cells " + page.truncated + " of row " +
                           std::to_string(offset) + " even alone; use an hf_file source for this dataset");
    }
    if (page.rows.empty()) {
      if (offset < total) {
        return network_error("GET " + url + ": no rows at offset " + std::to_string(offset) + " of " +
                             std::to_string(total));
      }
      break;
    }
    for (const auto& row : page.rows) {
      REVAL_RETURN_IF_ERROR(temp->write(row.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n"));
    }
    offset += static_cast<std::int64_t>(page.rows.size());
    if (progress) progress->advance(page.rows.size());
    length = std::min(spec.source.page_size, length * 2);  // back towards full pages after a cut
  }
  return Status::ok_status();
}

// Looks at a cached copy: returns true when it can be used as it is.
Result<bool> use_cached_copy(const std::string& cache_root, const DatasetSpec& spec, const SourcePart& part,
                             const FetchOptions& options, FetchedPart* fetched) {
  REVAL_ASSIGN_OR_RETURN(const PartCheck check, check_cached_part(cache_root, spec, part));
  fetched->path = check.path;
  fetched->sha256 = check.actual;
  fetched->checksum_pinned = !part.sha256.empty();
  switch (check.state) {
    case CacheState::kMissing:
      if (options.offline) {
        return not_found_error(check.path + " is not in the cache and --offline forbids downloading it");
      }
      return false;
    case CacheState::kMismatch:
      if (options.offline) {
        return invalid_input_error("cached " + check.path + " has sha256 " + check.actual +
                                   ", expected " + check.expected + " (" + check.expected_from +
                                   "); fetch it again without --offline");
      }
      REVAL_LOG_WARN(spec.id + ": cached " + check.path + " does not match its checksum; downloading it again");
      return false;
    case CacheState::kOk:
    case CacheState::kUnverified: {
      if (options.force && !options.offline) return false;
      auto n_rows = validate_rows(check.path, check.path, spec, part);
      if (!n_rows.ok()) {
        if (options.offline) return n_rows.status();
        REVAL_LOG_WARN(n_rows.status().message() + "; downloading it again");
        return false;
      }
      fetched->n_rows = *n_rows;
      // Unverified: placed there by hand (or the record was lost). It has the right rows; record
      // its checksum so later changes are noticed.
      if (check.state == CacheState::kUnverified) REVAL_RETURN_IF_ERROR(record_checksum(check.path, check.actual));
      return true;
    }
  }
  return false;
}

// Removes temp files that interrupted fetches (Ctrl-C, a crash) left beside `final_path`; a temp
// file whose process is still alive belongs to a concurrent fetch and is left alone.
void remove_stale_temp_files(const std::string& final_path) {
  const std::filesystem::path target(final_path);
  const std::string prefix = target.filename().string() + ".tmp-";
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(target.parent_path(), ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    const auto pid = parse_int(name.substr(prefix.size()));
    if (pid && *pid > 0 && ::kill(static_cast<pid_t>(*pid), 0) != 0 && errno == ESRCH) {
      std::filesystem::remove(entry.path(), ec);
    }
  }
}

Status fetch_part(const std::string& cache_root, const DatasetSpec& spec, const SourcePart& part,
                  const FetchOptions& options, FetchedPart* fetched) {
  REVAL_ASSIGN_OR_RETURN(const bool cached, use_cached_copy(cache_root, spec, part, options, fetched));
  if (cached) return Status::ok_status();

  std::error_code ec;
  std::filesystem::create_directories(dataset_cache_dir(cache_root, spec), ec);
  if (ec) return io_error("create " + dataset_cache_dir(cache_root, spec) + ": " + ec.message());
  const std::string final_path = part_cache_path(cache_root, spec, part);
  const std::string label = spec.id + " " + part.cache_file_name();
  remove_stale_temp_files(final_path);
  TempFile temp(final_path);
  if (spec.source.kind == SourceKind::kHfFile) {
    fetched->url = hf_file_url(effective_hf_endpoint(options), spec.source, part);
    REVAL_RETURN_IF_ERROR(download_hf_file(fetched->url, options, label, &temp));
  } else {
    REVAL_RETURN_IF_ERROR(download_hf_rows(spec, part, options, label, &temp, &fetched->url));
  }
  REVAL_RETURN_IF_ERROR(temp.finish_writing());
  const std::string actual = temp.hasher().finish_hex();
  if (!part.sha256.empty() && actual != part.sha256) {
    return invalid_input_error("checksum mismatch for " + fetched->url + ": expected sha256 " +
                               part.sha256 + ", got " + actual + " (" + std::to_string(temp.n_bytes()) +
                               " bytes); the download was deleted");
  }
  REVAL_ASSIGN_OR_RETURN(fetched->n_rows, validate_rows(temp.path(), fetched->url, spec, part));
  // The record goes first: a crash between the two writes leaves a record without a file (treated
  // as missing) or one that does not match the old file (reported by verify, repaired by fetch),
  // never a file that looks verified but is not.
  REVAL_RETURN_IF_ERROR(record_checksum(final_path, actual));
  REVAL_RETURN_IF_ERROR(temp.commit());
  fetched->path = final_path;
  fetched->sha256 = actual;
  fetched->downloaded = true;
  return Status::ok_status();
}

}  // namespace

std::string effective_hf_endpoint(const FetchOptions& options) {
  if (!options.hf_endpoint.empty()) return without_trailing_slash(options.hf_endpoint);
  return without_trailing_slash(env_or("REVAL_HF_ENDPOINT", "https://huggingface.co"));
}

std::string effective_rows_endpoint(const FetchOptions& options) {
  if (!options.rows_endpoint.empty()) return without_trailing_slash(options.rows_endpoint);
  return without_trailing_slash(env_or("REVAL_HF_ROWS_ENDPOINT", "https://datasets-server.huggingface.co"));
}

std::string hf_file_url(const std::string& endpoint, const DatasetSource& source, const SourcePart& part) {
  return endpoint + "/datasets/" + source.repo + "/resolve/" + source.revision + "/" + part.path;
}

std::string hf_rows_url(const std::string& endpoint, const DatasetSource& source, const SourcePart& part,
                        std::int64_t offset, int length) {
  return endpoint + "/rows?dataset=" + url_encode(source.repo) + "&config=" + url_encode(part.config) +
         "&split=" + url_encode(part.split) + "&offset=" + std::to_string(offset) +
         "&length=" + std::to_string(length);
}

Status fetch_dataset(const DatasetSpec& spec, const FetchOptions& options_in, FetchReport* report) {
  FetchOptions options = options_in;
  if (options.http.bearer_token.empty()) options.http.bearer_token = env_or("HF_TOKEN", "");
  const std::string cache_root = resolve_cache_dir(options.cache_dir);
  FetchReport local_report;
  if (report == nullptr) report = &local_report;
  for (const SourcePart& part : spec.source.parts) {
    FetchedPart fetched;
    if (spec.source.kind == SourceKind::kBundled) {
      fetched.path = "";
      report->parts.push_back(fetched);
      continue;
    }
    Status status = fetch_part(cache_root, spec, part, options, &fetched);
    if (!status.ok()) return status.with_context("fetch " + spec.id);
    report->parts.push_back(std::move(fetched));
  }
  return Status::ok_status();
}

}  // namespace reval::datasets
