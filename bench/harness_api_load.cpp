// Load benchmark of the harness's api path: ApiBackend (libcurl multi) + RunStore appends, against a
// server that answers instantly (fast_openai_server). Prints sustained requests/s and the process RSS
// every 10% of the run, as JSON lines, so flat memory over 100,000 requests can be checked.
//
// Usage: harness_api_load BASE_URL N_REQUESTS CONCURRENCY RUN_DIR
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "harness/backends/api_backend.h"
#include "harness/request_plan.h"
#include "harness/run_store.h"

namespace {

long rss_kib() {
  std::ifstream status("/proc/self/status");
  std::string key;
  long value = 0;
  while (status >> key) {
    if (key == "VmRSS:") {
      status >> value;
      return value;
    }
    status.ignore(1 << 12, '\n');
  }
  return -1;
}

double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace reval::harness;
  if (argc != 5) {
    std::fprintf(stderr, "usage: harness_api_load BASE_URL N_REQUESTS CONCURRENCY RUN_DIR\n");
    return 2;
  }
  const std::string base_url = argv[1];
  const long n_requests = std::atol(argv[2]);
  const int concurrency = std::atoi(argv[3]);
  const std::string run_dir = argv[4];
  std::filesystem::remove_all(run_dir);

  ApiOptions options;
  options.base_url = base_url;
  options.model = "bench-model";
  options.concurrency = concurrency;
  options.timeout_s = 30;
  auto backend = ApiBackend::create(options);
  if (!backend.ok()) {
    std::fprintf(stderr, "%s\n", backend.status().message().c_str());
    return 1;
  }
  auto store = RunStore::open(run_dir, {{"settings", {{"bench", true}}}}, true);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().message().c_str());
    return 1;
  }
  const long rss_before_requests = rss_kib();
  const nlohmann::json identity = (*backend)->identity();
  std::vector<Request> requests;
  requests.reserve(static_cast<std::size_t>(n_requests));
  for (long i = 0; i < n_requests; ++i) {
    Request request;
    request.problem_id = "p" + std::to_string(i);
    request.messages = {{"user", "Problem " + std::to_string(i) +
                                     ": find the number of ordered pairs (a, b) of positive integers with 1/a + 1/b = "
                                     "1/12.\nPlease reason step by step, and put your final answer within \\boxed{}."}};
    request.seed = sample_seed(0, request.problem_id, 0);
    request.request_hash = request_hash(identity, request);
    requests.push_back(std::move(request));
  }
  const long rss_start = rss_kib();
  std::printf("{\"phase\":\"start\",\"rss_kib_before_requests\":%ld,\"rss_kib\":%ld}\n", rss_before_requests, rss_start);
  const double start = now_s();
  long done = 0;
  long n_errors = 0;
  const long step = std::max(1L, n_requests / 10);
  std::atomic<bool> stop{false};
  double window_start = start;
  const reval::Status status = (*backend)->run(requests, [&](Completion c) {
    if (c.finish_reason == "error") ++n_errors;
    if (!(*store)->append(c).ok()) stop = true;
    ++done;
    if (done % step == 0) {
      const double t = now_s();
      std::printf("{\"done\":%ld,\"elapsed_s\":%.3f,\"window_req_per_s\":%.0f,\"rss_kib\":%ld}\n", done, t - start,
                  static_cast<double>(step) / (t - window_start), rss_kib());
      std::fflush(stdout);
      window_start = t;
    }
  }, stop);
  const double elapsed = now_s() - start;
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const double cpu_s = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                       static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  std::printf("{\"phase\":\"end\",\"ok\":%s,\"requests\":%ld,\"errors\":%ld,\"concurrency\":%d,\"elapsed_s\":%.3f,"
              "\"req_per_s\":%.0f,\"client_cpu_s\":%.2f,\"client_cpu_us_per_req\":%.1f,\"rss_kib\":%ld,"
              "\"attempts\":%lld}\n",
              status.ok() ? "true" : "false", done, n_errors, concurrency, elapsed, static_cast<double>(done) / elapsed,
              cpu_s, cpu_s * 1e6 / static_cast<double>(done), rss_kib(),
              static_cast<long long>((*backend)->counters().n_attempts));
  return status.ok() && done == n_requests ? 0 : 1;
}
