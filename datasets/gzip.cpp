#include "datasets/gzip.h"

#include <zlib.h>

namespace reval::datasets {

bool looks_gzipped(std::string_view data) {
  return data.size() >= 2 && static_cast<unsigned char>(data[0]) == 0x1f && static_cast<unsigned char>(data[1]) == 0x8b;
}

Result<std::string> gunzip(std::string_view data, const std::string& label, std::size_t max_output_bytes) {
  if (data.size() > 0xffffffffu) return resource_exhausted_error(label + ": gzip files over 4 GiB are not supported");
  z_stream stream{};
  // 16 + MAX_WBITS: expect a gzip header and trailer (RFC 1952), not a raw zlib stream.
  if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) return internal_error(label + ": zlib init failed");
  std::string output;
  char buffer[1 << 16];
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  Status failure;
  while (true) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    const int rc = inflate(&stream, Z_NO_FLUSH);
    output.append(buffer, sizeof buffer - stream.avail_out);
    if (output.size() > max_output_bytes) {
      failure = resource_exhausted_error(label + ": decompressed data is larger than " +
                                         std::to_string(max_output_bytes) + " bytes");
      break;
    }
    if (rc == Z_STREAM_END) {
      // Another gzip member may follow (files made with `cat a.gz b.gz`).
      if (stream.avail_in == 0) break;
      if (inflateReset(&stream) != Z_OK) {
        failure = invalid_input_error(label + ": corrupt gzip data after member end");
        break;
      }
      continue;
    }
    // No progress although there is room for output: the input ended inside the stream.
    if (rc == Z_BUF_ERROR && stream.avail_out != 0) {
      failure = invalid_input_error(label + ": truncated gzip data (the file ends inside the compressed stream)");
      break;
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      failure = invalid_input_error(label + ": corrupt gzip data (" +
                                    std::string(stream.msg != nullptr ? stream.msg : "zlib error") + ")");
      break;
    }
  }
  inflateEnd(&stream);
  if (!failure.ok()) return failure;
  return output;
}

}  // namespace reval::datasets
