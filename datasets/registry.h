// The registry of known datasets (datasets/registry.json, embedded at build time; REVAL_REGISTRY
// names a replacement file): where each comes from, how its fields map to reval's Problem, and the
// checksums and row counts the downloader and `reval datasets verify` check.
//
// registry.json:
//   {"format": 1, "datasets": [{
//      "id": "math500", "description": "...", "license": "...", "homepage": "...", "notes": "...",
//      "fields": {"id": "unique_id" | null, "problem": "problem", "answer": "answer" | null},
//      "source": {"kind": "hf_file" | "hf_rows" | "bundled", "repo": "org/name", "revision": "main",
//                 "page_size": 100,
//                 "parts": [{"path": "test.jsonl"} | {"config": "default", "split": "test"},
//                           + optional "sha256": "<64 hex>", "rows": N, "id_prefix": "..."]}}]}
//   hf_file: https://huggingface.co/datasets/<repo>/resolve/<revision>/<path>
//   hf_rows: https://datasets-server.huggingface.co/rows?dataset=<repo>&config=..&split=..&offset=..&length=..
//   bundled: a file under datasets/ compiled into reval (the sample sets)
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "datasets/field_mapping.h"

namespace reval::datasets {

enum class SourceKind { kHfFile, kHfRows, kBundled };

std::string_view source_kind_name(SourceKind kind);

// One file of a dataset: a file in a HF repo, one config/split of the rows API, or a bundled file.
struct SourcePart {
  std::string path;          // hf_file and bundled
  std::string config;        // hf_rows
  std::string split;         // hf_rows
  std::string sha256;        // expected checksum of the cached bytes; "" = not known
  std::int64_t rows = -1;    // expected row count; -1 = not known
  std::string id_prefix;     // prefix of row-number ids when the mapping has no id field

  // The file name this part has in the cache ("test.jsonl", "default-test.jsonl").
  std::string cache_file_name() const;
};

struct DatasetSource {
  SourceKind kind = SourceKind::kHfFile;
  std::string repo;               // "HuggingFaceH4/MATH-500"
  std::string revision = "main";  // hf_file
  int page_size = 100;            // hf_rows: rows per request (the API allows at most 100)
  std::vector<SourcePart> parts;
};

struct DatasetSpec {
  std::string id;
  std::string description;
  std::string license;
  std::string homepage;
  std::string notes;
  FieldMapping fields;
  DatasetSource source;

  // Sum of the parts' row counts, or -1 when any is unknown.
  std::int64_t expected_rows() const;
  // "hf_file HuggingFaceH4/MATH-500 test.jsonl", for listings.
  std::string source_summary() const;
};

class Registry {
 public:
  // Parses and validates registry JSON; errors name `origin`, the dataset and the key.
  static Result<Registry> parse(std::string_view json_text, const std::string& origin);

  // The registry reval uses: the file named by $REVAL_REGISTRY when set, else the embedded one.
  static Result<Registry> load_default();

  const std::vector<DatasetSpec>& datasets() const { return datasets_; }
  const std::string& origin() const { return origin_; }
  std::vector<std::string> ids() const;

  // The dataset with this id, or nullptr.
  const DatasetSpec* find(std::string_view id) const;
  // find(), or a not_found error with a "did you mean" and the known ids.
  Result<const DatasetSpec*> lookup(std::string_view id) const;

 private:
  std::string origin_;
  std::vector<DatasetSpec> datasets_;
};

}  // namespace reval::datasets
