// Our quantizer against llama.cpp's on the same tensors: a random-weight model is synthesized in F32,
// quantized by llama.cpp (../shared/tools/llref/quantize.py, llama_model_quantize from the libllama
// that node-llama-cpp ships) and by reval. Two things are checked per type:
//  - our dequantizers decode llama.cpp's blocks with llama.cpp's expected error (layouts are right);
//  - our quantizer's RMSE is within 10% of llama.cpp's.
// Needs node-llama-cpp installed (REVAL_LLAMA_LIB_DIR, or ~/.cache/reval/llref as the llref README
// sets it up); skipped otherwise.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "engine/gguf/reader.h"
#include "engine/kernels/type_traits.h"
#include "engine/quantize/quantize_row.h"
#include "engine/synth/synthesize.h"
#include "tests/support/test_support.h"

namespace reval::quantize {
namespace {

std::string llama_lib_dir() {
  if (const char* env = std::getenv("REVAL_LLAMA_LIB_DIR"); env != nullptr) return env;
  const char* home = std::getenv("HOME");
  const std::string dir = std::string(home ? home : "") +
                          "/.cache/reval/llref/node_modules/@node-llama-cpp/linux-x64/bins/linux-x64";
  return std::filesystem::exists(dir + "/libllama.v0.4.0.so") ? dir : "";
}

struct Errors {
  double ours = 0;
  double theirs = 0;
  double power = 0;
};

// Accumulates squared errors of llama.cpp's and our quantization of every quantized tensor.
Errors compare(const gguf::GgufFile& original, const gguf::GgufFile& quantized) {
  Errors e;
  for (const gguf::GgufTensorInfo& t : quantized.tensors()) {
    const gguf::GgufTensorInfo* o = original.find_tensor(t.name);
    if (o == nullptr || o->type != TensorType::kF32 || t.type == TensorType::kF32) continue;
    const kernels::TypeTraits& traits = *kernels::type_traits(t.type);
    const auto cols = static_cast<std::int64_t>(t.ne[0]);
    std::vector<float> theirs(static_cast<std::size_t>(cols));
    std::vector<float> ours(static_cast<std::size_t>(cols));
    std::vector<std::uint8_t> q(static_cast<std::size_t>(traits.row_bytes(cols)));
    for (std::uint64_t r = 0; r < t.n_rows(); ++r) {
      const float* x = reinterpret_cast<const float*>(o->data) + r * t.ne[0];
      traits.dequantize_row(t.data + r * t.row_bytes(), theirs.data(), cols);
      quantize_row(t.type, x, q.data(), cols);
      traits.dequantize_row(q.data(), ours.data(), cols);
      for (std::int64_t c = 0; c < cols; ++c) {
        e.theirs += (static_cast<double>(theirs[c]) - x[c]) * (theirs[c] - x[c]);
        e.ours += (static_cast<double>(ours[c]) - x[c]) * (ours[c] - x[c]);
        e.power += static_cast<double>(x[c]) * x[c];
      }
    }
  }
  return e;
}

}  // namespace

TEST_CASE("our quantizers are within 10% of llama.cpp's error on the same tensors",
          "[engine][quantize][conformance][slow]") {
  if (test::shared_data_dir().empty()) {
    test::skip("../shared/data is absent");
    return;
  }
  const std::string lib = llama_lib_dir();
  if (lib.empty()) {
    test::skip("node-llama-cpp is not installed (see ../shared/tools/llref/README.md)");
    return;
  }
  test::TempDir dir;
  synth::SynthOptions options;
  options.arch = "llama";
  options.shape = "tiny";
  options.n_layers = 1;
  options.vocab_path = test::shared_data_dir() + "/gguf/ggml-vocab-llama-spm.gguf";
  options.out = dir.file("f32.gguf");
  REQUIRE(synth::synthesize_model(options).ok());
  auto original = gguf::GgufFile::open(options.out);
  REQUIRE(original.ok());
  const std::string script = test::shared_data_dir() + "/../tools/llref/quantize.py";
  // llama.cpp's ftype names; --pure gives every 2-D weight the base type.
  const char* ftypes[] = {"Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0", "Q4_K_S", "Q5_K_S", "Q6_K"};
  std::printf("quantizer relative RMSE, reval vs llama.cpp (same tensors):\n");
  for (const char* ftype : ftypes) {
    const std::string out = dir.file(std::string(ftype) + ".gguf");
    const test::CommandResult run =
        test::run_command("/usr/bin/python3", {script, options.out, out, ftype, "--pure", "--threads", "1"}, "",
                          {"LLAMA_LIB_DIR=" + lib}, 600);
    INFO(ftype << ": " << run.err);
    REQUIRE(run.exit_code == 0);
    auto quantized = gguf::GgufFile::open(out);
    REQUIRE(quantized.ok());
    const Errors e = compare(*original, *quantized);
    REQUIRE(e.power > 0);
    const double ours = std::sqrt(e.ours / e.power);
    const double theirs = std::sqrt(e.theirs / e.power);
    std::printf("  %-7s reval %.5f  llama.cpp %.5f  ratio %.3f\n", ftype, ours, theirs, ours / theirs);
    INFO(ftype << ": reval " << ours << ", llama.cpp " << theirs);
    // llama.cpp's blocks decoded by our dequantizers land at the error such a type has (< 10% at 4 bits):
    // a layout mistake would decode garbage.
    CHECK(theirs < 0.1);
    CHECK(ours <= 1.10 * theirs);
  }
}

}  // namespace reval::quantize
