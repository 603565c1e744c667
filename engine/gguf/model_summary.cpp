#include "engine/gguf/model_summary.h"

#include "engine/gguf/keys.h"

namespace reval::gguf {
namespace {

Status optional_u32(const GgufFile& file, std::string_view key, std::optional<std::uint32_t>* out) {
  if (file.find(key) == nullptr) return Status::ok_status();
  REVAL_ASSIGN_OR_RETURN(*out, file.get_u32(key));
  return Status::ok_status();
}

}  // namespace

std::string chat_template_family(std::string_view text) {
  if (text.find("<｜Assistant｜>") != std::string_view::npos) return "deepseek-r1";
  if (text.find("<|start_header_id|>") != std::string_view::npos) return "llama-3";
  if (text.find("<|im_start|>") != std::string_view::npos) return "chatml";
  return "unknown";
}

Result<ModelSummary> summarize_model(const GgufFile& file) {
  ModelSummary s;
  s.path = file.name();
  s.version = file.version();
  s.file_size = file.file_size();
  if (file.find(keys::kGeneralArchitecture) != nullptr) {
    REVAL_ASSIGN_OR_RETURN(std::string_view arch, file.get_string(keys::kGeneralArchitecture));
    s.architecture = std::string(arch);
  }
  if (file.find(keys::kGeneralName) != nullptr) {
    REVAL_ASSIGN_OR_RETURN(std::string_view name, file.get_string(keys::kGeneralName));
    s.name = std::string(name);
  }
  REVAL_RETURN_IF_ERROR(optional_u32(file, keys::kGeneralFileType, &s.file_type));
  if (!s.architecture.empty()) {
    const std::string& a = s.architecture;
    REVAL_RETURN_IF_ERROR(optional_u32(file, arch_key(a, keys::kContextLength), &s.context_length));
    REVAL_RETURN_IF_ERROR(optional_u32(file, arch_key(a, keys::kBlockCount), &s.n_layers));
    REVAL_RETURN_IF_ERROR(optional_u32(file, arch_key(a, keys::kEmbeddingLength), &s.n_embd));
    REVAL_RETURN_IF_ERROR(optional_u32(file, arch_key(a, keys::kFeedForwardLength), &s.n_ff));
    REVAL_RETURN_IF_ERROR(optional_u32(file, arch_key(a, keys::kHeadCount), &s.n_head));
    REVAL_RETURN_IF_ERROR(optional_u32(file, arch_key(a, keys::kHeadCountKv), &s.n_head_kv));
    if (file.find(arch_key(a, keys::kRopeFreqBase)) != nullptr) {
      REVAL_ASSIGN_OR_RETURN(s.rope_freq_base, file.get_f32(arch_key(a, keys::kRopeFreqBase)));
    }
  }
  for (const GgufTensorInfo& t : file.tensors()) {
    s.n_params += t.n_elements;
    s.tensor_bytes += t.n_bytes;
    ++s.n_tensors;
    TensorTypeShare& share = s.type_mix[t.type];
    ++share.n_tensors;
    share.n_elements += t.n_elements;
    share.n_bytes += t.n_bytes;
  }
  s.tied_embeddings = file.find_tensor(tensors::kTokenEmbd) != nullptr && file.find_tensor(tensors::kOutput) == nullptr;
  if (file.find(keys::kTokenizerModel) != nullptr) {
    REVAL_ASSIGN_OR_RETURN(std::string_view model, file.get_string(keys::kTokenizerModel));
    s.tokenizer_model = std::string(model);
  }
  if (file.find(keys::kTokenizerPre) != nullptr) {
    REVAL_ASSIGN_OR_RETURN(std::string_view pre, file.get_string(keys::kTokenizerPre));
    s.tokenizer_pre = std::string(pre);
  }
  if (const GgufValue* tokens = file.find(keys::kTokenizerTokens); tokens != nullptr) {
    if (tokens->type() != ValueType::kArray) {
      return invalid_input_error(file.name() + ": key '" + std::string(keys::kTokenizerTokens) + "': expected an array");
    }
    s.vocab_size = tokens->size();
  }
  REVAL_RETURN_IF_ERROR(optional_u32(file, keys::kTokenizerBosId, &s.bos_id));
  REVAL_RETURN_IF_ERROR(optional_u32(file, keys::kTokenizerEosId, &s.eos_id));
  if (file.find(keys::kTokenizerChatTemplate) != nullptr) {
    REVAL_ASSIGN_OR_RETURN(std::string_view tmpl, file.get_string(keys::kTokenizerChatTemplate));
    s.has_chat_template = true;
    s.chat_template_family = chat_template_family(tmpl);
  }
  return s;
}

}  // namespace reval::gguf
