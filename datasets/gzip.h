// gzip decompression (zlib) for .jsonl.gz datasets.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace reval::datasets {

// True when `data` starts with the gzip magic bytes (1f 8b).
bool looks_gzipped(std::string_view data);

// Decompresses a whole gzip stream (concatenated members are joined, as gunzip does). Errors
// (invalid_input) name `label` and say what is wrong: corrupt data, a truncated stream, or an output
// larger than `max_output_bytes` (resource_exhausted).
Result<std::string> gunzip(std::string_view data, const std::string& label,
                           std::size_t max_output_bytes = std::size_t{4} << 30);

}  // namespace reval::datasets
