#include "engine/tokenizer/vocab.h"

#include <array>
#include <string>

namespace reval::tokenizer {
namespace {

struct PreTokenizerName {
  std::string_view name;
  PreTokenizerSpec spec;
};

// tokenizer.ggml.pre values written by llama.cpp's convert_hf_to_gguf.py for the regex families
// implemented in pre_tokenizer.cpp. Llama 3 tokenizers emit a word that is itself a token without
// applying merges (HF's ignore_merges) and add BOS by default.
constexpr std::array kPreTokenizerNames = {
    PreTokenizerName{"gpt-2", {PreTokenizerKind::kGpt2, false, false}},
    PreTokenizerName{"phi-2", {PreTokenizerKind::kGpt2, false, false}},
    PreTokenizerName{"llama-bpe", {PreTokenizerKind::kLlama3, true, true}},
    PreTokenizerName{"llama3", {PreTokenizerKind::kLlama3, true, true}},
    PreTokenizerName{"llama-v3", {PreTokenizerKind::kLlama3, true, true}},
    PreTokenizerName{"falcon3", {PreTokenizerKind::kLlama3, true, true}},
    PreTokenizerName{"dbrx", {PreTokenizerKind::kLlama3, false, false}},
    PreTokenizerName{"smaug-bpe", {PreTokenizerKind::kLlama3, false, false}},
    PreTokenizerName{"qwen2", {PreTokenizerKind::kQwen2, false, false}},
    PreTokenizerName{"deepseek-r1-qwen", {PreTokenizerKind::kQwen2, false, false}},
    PreTokenizerName{"stablelm2", {PreTokenizerKind::kQwen2, false, false}},
    PreTokenizerName{"qwen35", {PreTokenizerKind::kQwen35, false, false}},
    PreTokenizerName{"deepseek-llm", {PreTokenizerKind::kDeepSeekLlm, false, false}},
    PreTokenizerName{"deepseek-coder", {PreTokenizerKind::kDeepSeekCoder, false, false}},
};

}  // namespace

Result<PreTokenizerSpec> pre_tokenizer_from_name(std::string_view name) {
  for (const auto& entry : kPreTokenizerNames) {
    if (entry.name == name) return entry.spec;
  }
  std::string supported;
  for (const auto& entry : kPreTokenizerNames) {
    if (!supported.empty()) supported += ", ";
    supported += entry.name;
  }
  return unimplemented_error("pre-tokenizer '" + std::string(name) + "' is not supported (supported: " +
                             supported + ")");
}

std::string_view pre_tokenizer_kind_name(PreTokenizerKind kind) {
  switch (kind) {
    case PreTokenizerKind::kNone: return "none";
    case PreTokenizerKind::kGpt2: return "gpt2";
    case PreTokenizerKind::kLlama3: return "llama3";
    case PreTokenizerKind::kQwen2: return "qwen2";
    case PreTokenizerKind::kQwen35: return "qwen35";
    case PreTokenizerKind::kDeepSeekLlm: return "deepseek-llm";
    case PreTokenizerKind::kDeepSeekCoder: return "deepseek-coder";
  }
  return "unknown";
}

Status validate_vocab(const Vocab& vocab) {
  const std::size_t n = vocab.tokens.size();
  if (n == 0) return invalid_input_error("vocab: no tokens");
  if (n > static_cast<std::size_t>(INT32_MAX / 2)) return invalid_input_error("vocab: too many tokens");
  if (!vocab.scores.empty() && vocab.scores.size() != n) {
    return invalid_input_error("vocab: " + std::to_string(vocab.scores.size()) + " scores for " +
                               std::to_string(n) + " tokens");
  }
  if (!vocab.types.empty() && vocab.types.size() != n) {
    return invalid_input_error("vocab: " + std::to_string(vocab.types.size()) + " token types for " +
                               std::to_string(n) + " tokens");
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (vocab.tokens[i].empty()) return invalid_input_error("vocab: token " + std::to_string(i) + " is empty");
  }
  const std::pair<const char*, TokenId> ids[] = {{"bos", vocab.bos_id}, {"eos", vocab.eos_id},
                                                 {"eot", vocab.eot_id}, {"eom", vocab.eom_id},
                                                 {"unknown", vocab.unk_id}, {"padding", vocab.pad_id}};
  for (const auto& [what, id] : ids) {
    if (id != kNoToken && (id < 0 || static_cast<std::size_t>(id) >= n)) {
      return invalid_input_error("vocab: " + std::string(what) + " token id " + std::to_string(id) +
                                 " outside the vocab of " + std::to_string(n));
    }
  }
  if (vocab.add_bos && vocab.bos_id == kNoToken) return invalid_input_error("vocab: add_bos without a bos token");
  if (vocab.add_eos && vocab.eos_id == kNoToken) return invalid_input_error("vocab: add_eos without an eos token");
  if (vocab.model == VocabModel::kBpe && vocab.pre == PreTokenizerKind::kNone) {
    return invalid_input_error("vocab: a BPE vocab needs a pre-tokenizer");
  }
  return Status::ok_status();
}

}  // namespace reval::tokenizer
