// Tokenizer throughput (MB/s of UTF-8 input) on a long English + LaTeX math text, for the real vocabs
// in ../shared/data/gguf: encode (plain text, and with special-token parsing) and decode.
// Run: build/release/bench/tokenizer_bench [--benchmark_filter=qwen2]
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "engine/gguf/reader.h"
#include "engine/tokenizer/tokenizer.h"

namespace {

using reval::tokenizer::Tokenizer;

// An original reasoning-style passage (prose, LaTeX, code, numbers, a little non-ASCII); the
// benchmark text is many copies with varying numbers so words and digit runs are not all identical.
constexpr const char* kPassage =
    "Let us find all real numbers $x$ such that $x^2 - {A}x + {B} = 0$. By the quadratic formula,\n"
    "\\[ x = \\frac{{A} \\pm \\sqrt{{A}^2 - 4 \\cdot {B}}}{2}. \\]\n"
    "The discriminant is $\\Delta = {A}^2 - 4({B})$, which we compute carefully: first square, then\n"
    "subtract. If $\\Delta < 0$ there are no real roots; otherwise there are one or two. Wait, let me\n"
    "double-check the arithmetic: {A} times {A} is {C}, and four times {B} is {D}.\n\n"
    "In code: `def roots(a, b, c): return (-b + (b*b - 4*a*c) ** 0.5) / (2*a)`  # naive\n"
    "Therefore the answer is $\\boxed{{E}}$. Résumé: the café's naïve approach fails ≈ 3% of the time.\n";

std::string make_text(std::size_t n_bytes) {
  std::string text;
  for (long i = 1; text.size() < n_bytes; ++i) {
    std::string p = kPassage;
    const long a = 3 + i % 97;
    const long b = 1 + (i * 7) % 53;
    const std::pair<std::string, std::string> subs[] = {
        {"{A}", std::to_string(a)}, {"{B}", std::to_string(b)}, {"{C}", std::to_string(a * a)},
        {"{D}", std::to_string(4 * b)}, {"{E}", std::to_string(a * a - 4 * b)}};
    for (const auto& [from, to] : subs) {
      for (std::size_t pos; (pos = p.find(from)) != std::string::npos;) p.replace(pos, from.size(), to);
    }
    text += p;
  }
  return text;
}

const std::string& bench_text() {
  static const std::string text = make_text(1 << 20);
  return text;
}

void bench_encode(benchmark::State& state, const Tokenizer* tok, bool parse_special) {
  const std::string& text = bench_text();
  std::size_t n_tokens = 0;
  for (auto _ : state) {
    auto ids = tok->encode(text, {.add_special = false, .parse_special = parse_special});
    n_tokens = ids.size();
    benchmark::DoNotOptimize(ids.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.counters["tokens"] = static_cast<double>(n_tokens);
  state.counters["bytes/token"] = static_cast<double>(text.size()) / static_cast<double>(n_tokens);
}

void bench_decode(benchmark::State& state, const Tokenizer* tok) {
  const std::string& text = bench_text();
  const auto ids = tok->encode(text);
  for (auto _ : state) {
    std::string out = tok->decode(ids);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  const std::string dir = std::filesystem::path(REVAL_SHARED_DATA_DIR).string() + "/gguf";
  static std::vector<std::unique_ptr<Tokenizer>> tokenizers;
  for (const char* name : {"qwen2", "llama-bpe", "deepseek-llm", "gpt-2", "llama-spm"}) {
    const std::string path = dir + "/ggml-vocab-" + name + ".gguf";
    auto file = reval::gguf::GgufFile::open(path);
    if (!file.ok()) {
      std::fprintf(stderr, "skipping %s: %s\n", name, file.status().to_string().c_str());
      continue;
    }
    auto tok = Tokenizer::from_gguf(*file);
    if (!tok.ok()) {
      std::fprintf(stderr, "skipping %s: %s\n", name, tok.status().to_string().c_str());
      continue;
    }
    tokenizers.push_back(std::make_unique<Tokenizer>(std::move(tok).value()));
    const Tokenizer* t = tokenizers.back().get();
    benchmark::RegisterBenchmark((std::string("encode/") + name).c_str(), bench_encode, t, false)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark((std::string("encode_parse_special/") + name).c_str(), bench_encode, t, true)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark((std::string("decode/") + name).c_str(), bench_decode, t)->Unit(benchmark::kMillisecond);
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
