// `reval model info | quantize | synth | bench` driven through the real binary.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/support/test_support.h"

namespace reval {

using test::run_reval;

TEST_CASE("model info describes stories260K", "[cli][integration][conformance]") {
  if (test::shared_data_dir().empty()) {
    test::skip("../shared/data is absent");
    return;
  }
  auto result = run_reval({"model", "info", test::shared_data_dir() + "/gguf/stories260K.gguf"});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  CHECK(result.out.find("architecture:    llama") != std::string::npos);
  CHECK(result.out.find("context length:  2048") != std::string::npos);
  CHECK(result.out.find("layers:          5   embedding: 64   feed-forward: 172") != std::string::npos);
  CHECK(result.out.find("heads:           8 (kv 4)") != std::string::npos);
  CHECK(result.out.find("vocab:           512 tokens (llama") != std::string::npos);
  CHECK(result.out.find("  f32 ") != std::string::npos);
}

TEST_CASE("model info on a missing or non-GGUF file is one error line with exit 3", "[cli][integration]") {
  test::TempDir dir;
  test::write_text_file(dir.file("x.gguf"), "this is not a model, just text long enough");
  auto bad = run_reval({"model", "info", dir.file("x.gguf")});
  CHECK(bad.exit_code == 3);
  CHECK(bad.err == "reval model info: error: " + dir.file("x.gguf") +
                       ": bad magic 0x73696874 (not a GGUF file; expected \"GGUF\")\n");
  auto missing = run_reval({"model", "info", dir.file("missing.gguf")});
  CHECK(missing.exit_code == 3);
  CHECK(missing.err.find("missing.gguf") != std::string::npos);
}

TEST_CASE("model quantize writes a q8_0 copy that model info reads back", "[cli][integration][conformance]") {
  if (test::shared_data_dir().empty()) {
    test::skip("../shared/data is absent");
    return;
  }
  test::TempDir dir;
  auto q = run_reval({"model", "quantize", test::shared_data_dir() + "/gguf/stories260K.gguf", dir.file("q8.gguf"),
                      "q8_0", "--threads", "2"});
  INFO(q.err);
  REQUIRE(q.exit_code == 0);
  CHECK(q.out.find("wrote " + dir.file("q8.gguf") + ": q8_0") == 0);
  auto info = run_reval({"model", "info", dir.file("q8.gguf")});
  REQUIRE(info.exit_code == 0);
  CHECK(info.out.find("  q8_0 ") != std::string::npos);
  CHECK(info.out.find("  f16 ") != std::string::npos);  // ffn_down rows of 172 do not fit 32-blocks
}

TEST_CASE("model quantize names an unknown type with the list of choices and exits 2", "[cli][integration]") {
  test::TempDir dir;
  auto q = run_reval({"model", "quantize", dir.file("a.gguf"), dir.file("b.gguf"), "q9_9"});
  CHECK(q.exit_code == 2);
  CHECK(q.err.find("unknown quantization type 'q9_9' (one of: f32, f16, bf16, q4_0") != std::string::npos);
}

TEST_CASE("model synth writes a model that model info describes", "[cli][integration][conformance]") {
  if (test::shared_data_dir().empty()) {
    test::skip("../shared/data is absent");
    return;
  }
  test::TempDir dir;
  auto s = run_reval({"model", "synth", "--arch", "llama", "--shape", "tiny", "--layers", "1", "--tied", "--vocab",
                      test::shared_data_dir() + "/gguf/ggml-vocab-llama-spm.gguf", "--type", "f16", "--seed", "5",
                      "-o", dir.file("s.gguf")});
  INFO(s.err);
  REQUIRE(s.exit_code == 0);
  auto info = run_reval({"model", "info", dir.file("s.gguf")});
  REQUIRE(info.exit_code == 0);
  CHECK(info.out.find("architecture:    llama") != std::string::npos);
  CHECK(info.out.find("embeddings:      tied") != std::string::npos);
  CHECK(info.out.find("vocab:           32000 tokens") != std::string::npos);
  CHECK(info.out.find("  f16 ") != std::string::npos);
}

TEST_CASE("model synth without a shape is a usage error listing the shapes", "[cli][integration]") {
  auto s = run_reval({"model", "synth", "--vocab", "v.gguf", "-o", "x.gguf"});
  CHECK(s.exit_code == 2);
  CHECK(s.err.find("--shape is required (one of: tiny, qwen2-0.5b") != std::string::npos);
}

}  // namespace reval

namespace reval {

TEST_CASE("model bench measures a shared-prompt batch and reports RSS and the bandwidth limit",
          "[cli][integration][conformance]") {
  if (test::shared_data_dir().empty()) {
    test::skip("../shared/data is absent");
    return;
  }
  auto r = test::run_reval({"model", "bench", "--model", test::shared_data_dir() + "/gguf/stories260K.gguf",
                            "--threads", "1", "--prompt-tokens", "70", "--gen-tokens", "4", "--depth", "100",
                            "--batch", "3", "--reps", "1", "--mem-bw", "10", "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j.at("pp_tok_s").get<double>() > 0.0);
  CHECK(j.at("tg_tok_s").get<double>() > 0.0);
  CHECK(j.at("depth").get<int>() == 100);
  CHECK(j.at("batch").get<int>() == 3);
  CHECK(j.at("batched_tok_s").get<double>() > 0.0);
  CHECK(j.at("weights_bytes_per_token").get<std::int64_t>() > 0);
  CHECK(j.at("peak_rss_bytes").get<std::int64_t>() > 0);
  // The prompt's full block is shared by the three forks; the cache never holds three prompts.
  CHECK(j.at("kv_peak_bytes").get<std::int64_t>() > 0);
  CHECK(j.at("bw_limit_tok_s").get<double>() ==
        Approx(10e9 / j.at("weights_bytes_per_token").get<double>()));
}

TEST_CASE("model bench rejects a negative count as a usage error", "[cli][integration]") {
  auto r = test::run_reval({"model", "bench", "--model", "x.gguf", "--batch", "-1"});
  CHECK(r.exit_code == 2);
}

}  // namespace reval
