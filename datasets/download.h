// Fetching registry datasets into the cache: Hugging Face files (hf_file) and the datasets-server
// rows API (hf_rows, paged, written to the cache as JSONL). Every file is written to a temp file,
// checked (sha256 when the registry knows it, row count, every row parses with the field mapping) and
// only then renamed into place; on any failure the temp file is deleted and the cache is unchanged.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "common/result.h"
#include "datasets/http_client.h"
#include "datasets/registry.h"

namespace reval::datasets {

struct FetchOptions {
  std::string cache_dir;      // "" = resolve_cache_dir("")
  bool offline = false;       // never touch the network: a part missing from the cache is an error
  bool force = false;         // download again even when a good copy is cached
  std::string hf_endpoint;    // "" = $REVAL_HF_ENDPOINT, else https://huggingface.co
  std::string rows_endpoint;  // "" = $REVAL_HF_ROWS_ENDPOINT, else https://datasets-server.huggingface.co
  HttpOptions http;           // http.bearer_token defaults to $HF_TOKEN
  std::FILE* progress_out = stderr;  // nullptr: no progress output
};

struct FetchedPart {
  std::string path;         // the cached file ("" for bundled parts)
  std::string url;          // where it came from ("" when it was already cached)
  std::string sha256;
  std::size_t n_rows = 0;
  bool downloaded = false;  // false: a good copy was already cached (or the part is bundled)
  bool checksum_pinned = false;  // the registry names the checksum (else it was recorded on first fetch)
};

struct FetchReport {
  std::vector<FetchedPart> parts;
};

// Makes every part of `spec` present and checked in the cache. Errors: network_error for HTTP and
// transfer failures (naming the URL and status), invalid_input for a checksum mismatch ("expected X,
// got Y"), a row-count mismatch or a row that does not parse, not_found when offline and not cached.
Status fetch_dataset(const DatasetSpec& spec, const FetchOptions& options, FetchReport* report = nullptr);

// The endpoints after applying the environment defaults.
std::string effective_hf_endpoint(const FetchOptions& options);
std::string effective_rows_endpoint(const FetchOptions& options);

// https://huggingface.co/datasets/<repo>/resolve/<revision>/<path>
std::string hf_file_url(const std::string& endpoint, const DatasetSource& source, const SourcePart& part);
// https://datasets-server.huggingface.co/rows?dataset=<repo>&config=..&split=..&offset=..&length=..
std::string hf_rows_url(const std::string& endpoint, const DatasetSource& source, const SourcePart& part,
                        std::int64_t offset, int length);

}  // namespace reval::datasets
