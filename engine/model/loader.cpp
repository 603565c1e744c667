// Maps GGUF tensor names to the model's weights and checks every shape against the hyper-parameters.
#include <string>
#include <utility>

#include "engine/gguf/keys.h"
#include "engine/model/model.h"

namespace reval::engine {
namespace {

namespace tensors = gguf::tensors;

std::string shape_string(const gguf::GgufTensorInfo& t) {
  std::string s = "[";
  for (int d = 0; d < t.n_dims; ++d) s += (d ? ", " : "") + std::to_string(t.ne[static_cast<std::size_t>(d)]);
  return s + "]";
}

Result<const gguf::GgufTensorInfo*> find(const gguf::GgufFile& file, std::string_view name) {
  const gguf::GgufTensorInfo* t = file.find_tensor(name);
  if (t == nullptr) return not_found_error(std::string(name) + ": tensor missing");
  return t;
}

Result<Matrix> load_matrix(const gguf::GgufFile& file, std::string_view name, std::int64_t n_in, std::int64_t n_out) {
  REVAL_ASSIGN_OR_RETURN(const gguf::GgufTensorInfo* t, find(file, name));
  if (t->n_dims != 2 || t->ne[0] != static_cast<std::uint64_t>(n_in) || t->ne[1] != static_cast<std::uint64_t>(n_out)) {
    return invalid_input_error(std::string(name) + ": shape " + shape_string(*t) + ", expected [" +
                               std::to_string(n_in) + ", " + std::to_string(n_out) + "]");
  }
  return Matrix::from_tensor(*t);
}

// Small 1-D tensors (norms, biases, rope factors) are converted to owned floats.
Result<std::vector<float>> load_vector(const gguf::GgufFile& file, std::string_view name, std::int64_t n) {
  REVAL_ASSIGN_OR_RETURN(const gguf::GgufTensorInfo* t, find(file, name));
  if (t->n_dims != 1 || t->ne[0] != static_cast<std::uint64_t>(n)) {
    return invalid_input_error(std::string(name) + ": shape " + shape_string(*t) + ", expected [" +
                               std::to_string(n) + "]");
  }
  const kernels::TypeTraits* traits = kernels::type_traits(t->type);
  if (traits == nullptr || n % traits->block_size != 0) {
    return unimplemented_error(std::string(name) + ": tensor type " + std::string(gguf::tensor_type_name(t->type)) +
                               " is not supported");
  }
  std::vector<float> values(static_cast<std::size_t>(n));
  traits->dequantize_row(t->data, values.data(), n);
  return values;
}

Status load_layer(const gguf::GgufFile& file, const ModelHparams& hp, int il, LayerWeights& l) {
  const auto name = [il](std::string_view suffix) { return tensors::block_tensor(il, suffix); };
  const std::int64_t n_embd = hp.n_embd;
  const std::int64_t n_q = static_cast<std::int64_t>(hp.n_head) * hp.head_dim;
  const std::int64_t n_kv = static_cast<std::int64_t>(hp.n_head_kv) * hp.head_dim;
  REVAL_ASSIGN_OR_RETURN(l.attn_norm, load_vector(file, name(tensors::kAttnNorm), n_embd));
  REVAL_ASSIGN_OR_RETURN(l.wq, load_matrix(file, name(tensors::kAttnQ), n_embd, n_q));
  REVAL_ASSIGN_OR_RETURN(l.wk, load_matrix(file, name(tensors::kAttnK), n_embd, n_kv));
  REVAL_ASSIGN_OR_RETURN(l.wv, load_matrix(file, name(tensors::kAttnV), n_embd, n_kv));
  REVAL_ASSIGN_OR_RETURN(l.wo, load_matrix(file, name(tensors::kAttnOutput), n_q, n_embd));
  if (hp.arch->qkv_bias) {
    REVAL_ASSIGN_OR_RETURN(l.bq, load_vector(file, name(tensors::kAttnQBias), n_q));
    REVAL_ASSIGN_OR_RETURN(l.bk, load_vector(file, name(tensors::kAttnKBias), n_kv));
    REVAL_ASSIGN_OR_RETURN(l.bv, load_vector(file, name(tensors::kAttnVBias), n_kv));
  }
  REVAL_ASSIGN_OR_RETURN(l.ffn_norm, load_vector(file, name(tensors::kFfnNorm), n_embd));
  REVAL_ASSIGN_OR_RETURN(l.ffn_gate, load_matrix(file, name(tensors::kFfnGate), n_embd, hp.n_ff));
  REVAL_ASSIGN_OR_RETURN(l.ffn_up, load_matrix(file, name(tensors::kFfnUp), n_embd, hp.n_ff));
  REVAL_ASSIGN_OR_RETURN(l.ffn_down, load_matrix(file, name(tensors::kFfnDown), hp.n_ff, n_embd));
  return Status::ok_status();
}

Status load_weights(Model& model) {
  const gguf::GgufFile& file = model.file;
  ModelHparams& hp = model.hparams;
  REVAL_ASSIGN_OR_RETURN(const gguf::GgufTensorInfo* embd, find(file, tensors::kTokenEmbd));
  if (embd->n_dims != 2 || embd->ne[1] == 0 || embd->ne[1] > (1u << 24)) {
    return invalid_input_error(std::string(tensors::kTokenEmbd) + ": shape " + shape_string(*embd) +
                               " is not [n_embd, n_vocab]");
  }
  hp.n_vocab = static_cast<std::int64_t>(embd->ne[1]);
  REVAL_ASSIGN_OR_RETURN(model.token_embd, load_matrix(file, tensors::kTokenEmbd, hp.n_embd, hp.n_vocab));
  REVAL_ASSIGN_OR_RETURN(model.output_norm, load_vector(file, tensors::kOutputNorm, hp.n_embd));
  if (file.find_tensor(tensors::kOutput) != nullptr) {
    REVAL_ASSIGN_OR_RETURN(model.output, load_matrix(file, tensors::kOutput, hp.n_embd, hp.n_vocab));
  } else {
    model.output = model.token_embd;
    model.tied_output = true;
  }
  if (file.find_tensor(tensors::kRopeFreqs) != nullptr) {
    REVAL_ASSIGN_OR_RETURN(model.rope_freq_factors, load_vector(file, tensors::kRopeFreqs, hp.n_rot / 2));
  }
  model.layers.resize(static_cast<std::size_t>(hp.n_layer));
  for (int il = 0; il < hp.n_layer; ++il) {
    REVAL_RETURN_IF_ERROR(load_layer(file, hp, il, model.layers[static_cast<std::size_t>(il)]));
  }
  return Status::ok_status();
}

}  // namespace

Result<std::unique_ptr<Model>> load_model(gguf::GgufFile file, std::string path) {
  auto model = std::make_unique<Model>(std::move(file), std::move(path));
  auto hparams = read_hparams(model->file);
  if (!hparams.ok()) return hparams.status().with_context(model->path);
  model->hparams = hparams.value();
  REVAL_RETURN_IF_ERROR(load_weights(*model).with_context(model->path));
  interleave_weights(*model);
  return model;
}

Result<std::unique_ptr<Model>> load_model(const std::string& path) {
  REVAL_ASSIGN_OR_RETURN(gguf::GgufFile file, gguf::GgufFile::open(path));
  return load_model(std::move(file), path);
}

}  // namespace reval::engine
