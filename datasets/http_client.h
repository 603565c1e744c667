// A small blocking HTTP GET over libcurl's easy API for the dataset downloader: streams the body to
// a callback, reports progress, follows redirects, retries when the server asks to (429, 502-504),
// and turns every failure into one Status naming the URL. Thread-safe (one curl handle per call).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace reval::datasets {

struct HttpOptions {
  std::string user_agent = "reval";
  std::string bearer_token;     // sent as "Authorization: Bearer ..." when set; never logged
  long connect_timeout_s = 30;
  long stall_timeout_s = 60;    // abort when fewer than 1 byte/s arrives for this long
  int max_attempts = 4;         // total tries when the server answers 429, 502, 503 or 504
  double retry_delay_s = 1.0;   // before the first retry; doubled after each
};

// Called with (bytes received, bytes expected or 0 when unknown).
using HttpProgress = std::function<void(std::uint64_t, std::uint64_t)>;

struct HttpSink {
  // Called before each attempt: drop whatever an earlier attempt wrote.
  std::function<Status()> reset;
  // Called with each chunk of a successful (2xx) response body; a non-ok Status aborts the transfer.
  std::function<Status(std::string_view)> write;
};

// GETs `url` into `sink`. Errors: network_error "GET <url>: HTTP 404 (Not Found): <server message>"
// for HTTP status >= 400, "GET <url>: <what curl says>" for transfer failures (refused, reset,
// partial body, timeout), or the sink's own error.
Status http_get(const std::string& url, const HttpOptions& options, const HttpSink& sink,
                const HttpProgress& progress = {});

// GETs a whole (small) response body as text.
Result<std::string> http_get_text(const std::string& url, const HttpOptions& options);

// Percent-encodes a query parameter value (RFC 3986 unreserved characters stay as they are).
std::string url_encode(std::string_view text);

}  // namespace reval::datasets
