#include "datasets/http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

namespace reval::datasets {
namespace {

constexpr std::size_t kMaxErrorBodyBytes = 2048;

void ensure_curl_initialized() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string reason_phrase(long status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 410: return "Gone";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "";
  }
}

// The server's own explanation: the "error" field of a JSON body (HF's APIs), else the text.
std::string summarize_error_body(const std::string& body) {
  if (body.empty()) return "";
  try {
    const auto document = nlohmann::json::parse(body);
    if (document.is_object() && document.contains("error") && document["error"].is_string()) {
      return document["error"].get<std::string>();
    }
  } catch (const nlohmann::json::exception&) {
    // Not JSON: use the text itself.
  }
  std::string text = body.substr(0, 200);
  for (char& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return text;
}

bool is_retryable(long status) { return status == 429 || status == 502 || status == 503 || status == 504; }

struct Transfer {
  CURL* curl = nullptr;
  const HttpSink* sink = nullptr;
  const HttpProgress* progress = nullptr;
  Status sink_status;
  long status = 0;
  std::string error_body;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t n_bytes = size * count;
  // Asked per chunk: the code is that of the response being received (redirect bodies are not delivered).
  curl_easy_getinfo(transfer->curl, CURLINFO_RESPONSE_CODE, &transfer->status);
  if (transfer->status >= 400) {
    // Keep the start of an error body for the message; it never reaches the sink.
    const std::size_t room = kMaxErrorBodyBytes - std::min(kMaxErrorBodyBytes, transfer->error_body.size());
    transfer->error_body.append(data, std::min(room, n_bytes));
    return n_bytes;
  }
  transfer->sink_status = transfer->sink->write(std::string_view(data, n_bytes));
  return transfer->sink_status.ok() ? n_bytes : 0;  // 0 makes curl stop with CURLE_WRITE_ERROR
}

int on_progress(void* user, curl_off_t total, curl_off_t now, curl_off_t, curl_off_t) {
  auto* transfer = static_cast<Transfer*>(user);
  if (transfer->status < 400 && *transfer->progress) {
    (*transfer->progress)(static_cast<std::uint64_t>(now), static_cast<std::uint64_t>(total));
  }
  return 0;
}

// One attempt. Returns the transfer error (or ok) and sets *http_status.
Status get_once(const std::string& url, const HttpOptions& options, const HttpSink& sink, const HttpProgress& progress,
                long* http_status) {
  ensure_curl_initialized();
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return internal_error("GET " + url + ": curl_easy_init failed");
  Transfer transfer;
  transfer.curl = curl;
  transfer.sink = &sink;
  transfer.progress = &progress;
  char error_buffer[CURL_ERROR_SIZE] = {0};
  curl_slist* headers = nullptr;
  if (!options.bearer_token.empty()) {
    headers = curl_slist_append(headers, ("Authorization: Bearer " + options.bearer_token).c_str());
  }
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, options.user_agent.c_str());
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);  // HF's resolve/ URLs redirect to a CDN
  curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 10L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, options.connect_timeout_s);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, options.stall_timeout_s);
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");  // accept whatever compression curl supports
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &transfer);
  const CURLcode code = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &transfer.status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  *http_status = transfer.status;

  if (!transfer.sink_status.ok()) return transfer.sink_status;
  if (transfer.status >= 400) {
    std::string message = "GET " + url + ": HTTP " + std::to_string(transfer.status);
    if (std::string phrase = reason_phrase(transfer.status); !phrase.empty()) message += " (" + phrase + ")";
    if (std::string detail = summarize_error_body(transfer.error_body); !detail.empty()) message += ": " + detail;
    return network_error(message);
  }
  if (code != CURLE_OK) {
    std::string message = "GET " + url + ": " + curl_easy_strerror(code);
    if (error_buffer[0] != '\0') message += " (" + std::string(error_buffer) + ")";
    if (code == CURLE_PARTIAL_FILE || code == CURLE_RECV_ERROR || code == CURLE_GOT_NOTHING) {
      message += "; the connection was closed before the whole response arrived";
    }
    return network_error(message);
  }
  return Status::ok_status();
}

}  // namespace

Status http_get(const std::string& url, const HttpOptions& options, const HttpSink& sink,
                const HttpProgress& progress) {
  double delay_s = options.retry_delay_s;
  Status last;
  for (int attempt = 1; attempt <= std::max(1, options.max_attempts); ++attempt) {
    if (sink.reset) REVAL_RETURN_IF_ERROR(sink.reset());
    long status = 0;
    last = get_once(url, options, sink, progress, &status);
    if (last.ok() || !is_retryable(status) || attempt == options.max_attempts) break;
    std::this_thread::sleep_for(std::chrono::duration<double>(delay_s));
    delay_s *= 2;
  }
  return last;
}

Result<std::string> http_get_text(const std::string& url, const HttpOptions& options) {
  std::string body;
  HttpSink sink;
  sink.reset = [&body] {
    body.clear();
    return Status::ok_status();
  };
  sink.write = [&body](std::string_view chunk) {
    if (body.size() + chunk.size() > (std::size_t{256} << 20)) {
      return resource_exhausted_error("response larger than 256 MiB");
    }
    body.append(chunk);
    return Status::ok_status();
  };
  REVAL_RETURN_IF_ERROR(http_get(url, options, sink));
  return body;
}

std::string url_encode(std::string_view text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                            c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

}  // namespace reval::datasets
