// membw: the machine's memory read bandwidth, the ceiling of single-stream decode (every weight is
// read once per token). Reads (AVX2 loads summed into a checksum, so nothing is optimized away)
//  - an anonymous buffer larger than the last-level cache (default 1 GiB; L3 is 300 MiB on the
//    evaluation VM), with 1 thread and with N threads (each reads its own slice);
//  - optionally a file through mmap (the model file: what the engine actually streams), after one
//    warm-up pass so the pages are resident.
// Each figure is the best of --reps passes (bandwidth is a ceiling: the best pass is the least
// disturbed by other processes). Prints one JSON object: {"single_gbs":..,"all_gbs":..,"threads":N,
// "file_single_gbs":..,"file_all_gbs":..}.
//   usage: membw [--mib N] [--threads N] [--reps R] [--file PATH]
#include <fcntl.h>
#include <immintrin.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

__attribute__((target("avx2"))) std::uint64_t read_avx2(const std::uint8_t* p, std::size_t n) {
  __m256i a0 = _mm256_setzero_si256(), a1 = a0, a2 = a0, a3 = a0;
  std::size_t i = 0;
  for (; i + 128 <= n; i += 128) {
    a0 = _mm256_xor_si256(a0, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i)));
    a1 = _mm256_xor_si256(a1, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i + 32)));
    a2 = _mm256_xor_si256(a2, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i + 64)));
    a3 = _mm256_xor_si256(a3, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i + 96)));
  }
  const __m256i x = _mm256_xor_si256(_mm256_xor_si256(a0, a1), _mm256_xor_si256(a2, a3));
  std::uint64_t out[4];
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), x);
  std::uint64_t sum = out[0] ^ out[1] ^ out[2] ^ out[3];
  for (; i < n; ++i) sum ^= p[i];
  return sum;
}

std::uint64_t read_plain(const std::uint8_t* p, std::size_t n) {
  std::uint64_t sum = 0;
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t v;
    std::memcpy(&v, p + i, 8);
    sum ^= v;
  }
  for (; i < n; ++i) sum ^= p[i];
  return sum;
}

std::uint64_t read_bytes(const std::uint8_t* p, std::size_t n) {
  static const bool avx2 = __builtin_cpu_supports("avx2");
  return avx2 ? read_avx2(p, n) : read_plain(p, n);
}

volatile std::uint64_t g_sink = 0;

// GB/s (1e9 bytes per second) of the best of `reps` passes over [p, p + n) split across `threads`.
double measure(const std::uint8_t* p, std::size_t n, int threads, int reps) {
  double best = 0.0;
  for (int r = 0; r < reps; ++r) {
    std::vector<std::uint64_t> sums(static_cast<std::size_t>(threads));
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> workers;
    const std::size_t slice = n / static_cast<std::size_t>(threads);
    for (int t = 0; t < threads; ++t) {
      const std::size_t begin = slice * static_cast<std::size_t>(t);
      const std::size_t len = t + 1 == threads ? n - begin : slice;
      workers.emplace_back([&, t, begin, len] { sums[static_cast<std::size_t>(t)] = read_bytes(p + begin, len); });
    }
    for (auto& w : workers) w.join();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    for (std::uint64_t s : sums) g_sink = g_sink ^ s;
    best = std::max(best, static_cast<double>(n) / seconds / 1e9);
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t mib = 1024;
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  int reps = 5;
  std::string file;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--mib" && has_value) {
      mib = std::strtoull(argv[++i], nullptr, 10);
    } else if (arg == "--threads" && has_value) {
      threads = std::atoi(argv[++i]);
    } else if (arg == "--reps" && has_value) {
      reps = std::atoi(argv[++i]);
    } else if (arg == "--file" && has_value) {
      file = argv[++i];
    } else {
      std::fprintf(stderr, "usage: membw [--mib N] [--threads N] [--reps R] [--file PATH]\n");
      return 2;
    }
  }
  if (mib == 0 || threads < 1 || reps < 1) {
    std::fprintf(stderr, "membw: --mib, --threads and --reps must be positive\n");
    return 2;
  }
  const std::size_t n = mib << 20;
  std::vector<std::uint8_t> buffer(n);
  for (std::size_t i = 0; i < n; i += 4096) buffer[i] = static_cast<std::uint8_t>(i >> 12);  // touch every page
  const double single = measure(buffer.data(), n, 1, reps);
  const double all = measure(buffer.data(), n, threads, reps);
  std::printf("{\"buffer_mib\":%zu,\"threads\":%d,\"single_gbs\":%.3f,\"all_gbs\":%.3f", mib, threads, single, all);
  if (!file.empty()) {
    const int fd = ::open(file.c_str(), O_RDONLY);
    struct stat st {};
    if (fd < 0 || ::fstat(fd, &st) != 0 || st.st_size <= 0) {
      std::fprintf(stderr, "\nmembw: %s: cannot open or empty\n", file.c_str());
      return 3;
    }
    const auto size = static_cast<std::size_t>(st.st_size);
    void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd);
    if (map == MAP_FAILED) {
      std::fprintf(stderr, "\nmembw: %s: mmap failed\n", file.c_str());
      return 3;
    }
    const auto* bytes = static_cast<const std::uint8_t*>(map);
    g_sink = g_sink ^ read_bytes(bytes, size);  // warm-up: fault the pages in
    const double file_single = measure(bytes, size, 1, reps);
    const double file_all = measure(bytes, size, threads, reps);
    std::printf(",\"file\":\"%s\",\"file_bytes\":%zu,\"file_single_gbs\":%.3f,\"file_all_gbs\":%.3f", file.c_str(),
                size, file_single, file_all);
    ::munmap(map, size);
  }
  std::printf("}\n");
  return 0;
}
