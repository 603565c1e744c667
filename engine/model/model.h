// A loaded Llama/Qwen2-family model: hyper-parameters read from GGUF metadata and views of the weight
// tensors inside the memory-mapped file, except Q8_0/Q4_K/Q6_K matrices repacked at load into the interleaved
// layout of the AVX-512/AMX kernels (owned by the model; see interleave_weights) and the small
// norm/bias vectors (copied as floats). Immutable after load_model(); safe to share across threads.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "engine/gguf/reader.h"
#include "engine/kernels/matmul.h"
#include "engine/model/arch.h"

namespace reval::engine {

struct ModelHparams {
  const ArchSpec* arch = nullptr;
  std::int64_t n_vocab = 0;
  std::int64_t n_ctx_train = 0;
  int n_embd = 0;
  int n_layer = 0;
  int n_head = 0;
  int n_head_kv = 0;
  int head_dim = 0;
  int n_rot = 0;
  int n_ff = 0;
  float rms_eps = 1e-5f;
  float rope_freq_base = 10000.0f;
  float rope_freq_scale = 1.0f;
};

// Weight matrices: `rows` outputs of `cols` inputs in the tensor's type, in the mapped file or in
// Model::repacked.
using Matrix = kernels::WeightMatrix;

struct LayerWeights {
  std::vector<float> attn_norm;
  Matrix wq, wk, wv, wo;
  std::vector<float> bq, bk, bv;  // empty when the architecture has no Q/K/V bias
  std::vector<float> ffn_norm;
  Matrix ffn_gate, ffn_up, ffn_down;
};

struct Model {
  Model(gguf::GgufFile gguf_file, std::string file_path) : file(std::move(gguf_file)), path(std::move(file_path)) {}

  gguf::GgufFile file;
  std::string path;
  ModelHparams hparams;
  Matrix token_embd;
  std::vector<float> output_norm;
  Matrix output;  // token_embd itself when the file has no output.weight (tied embeddings)
  bool tied_output = false;
  std::vector<float> rope_freq_factors;  // rope_freqs.weight (Llama 3.1 scaling); empty when absent
  std::vector<LayerWeights> layers;

  struct FreeDeleter {
    void operator()(std::uint8_t* p) const { std::free(p); }
  };
  // Memory of the repacked matrices.
  std::vector<std::unique_ptr<std::uint8_t[], FreeDeleter>> repacked;
};

// Reads hyper-parameters from the metadata of `file`; errors name the key.
Result<ModelHparams> read_hparams(const gguf::GgufFile& file);

// Repacks every Q8_0, Q4_K and Q6_K matrix the forward pass multiplies by (rows a multiple of 16) into
// its interleaved layout (engine/kernels/interleaved.h) when the active kernel tier has kernels for it
// (AVX-512 and above), REVAL_REPACK is not "0" and the copy fits in 90% of the available memory (a
// model larger than RAM keeps running from the page cache). Each matrix's file pages are released as
// its slices are copied, so the resident set stays near the file size. Called by load_model; returns
// the number of bytes repacked.
std::int64_t interleave_weights(Model& model);

// Opens and validates a model: architecture supported, every tensor present with the expected shape
// and a type the kernels implement. Errors read "PATH: TENSOR: problem".
Result<std::unique_ptr<Model>> load_model(const std::string& path);
// The same over an already opened file (tests).
Result<std::unique_ptr<Model>> load_model(gguf::GgufFile file, std::string path);

}  // namespace reval::engine
