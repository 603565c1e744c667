// Every GGUF metadata key and tensor name reval reads or writes, spelled as on disk, in one place.
// Keys under an architecture prefix ("qwen2.context_length") are stored as suffixes; build the
// full key with arch_key(arch, kContextLength). Tensor names: see the tensors namespace.
#pragma once

#include <string>
#include <string_view>

namespace reval::gguf {

namespace keys {

// general.*
inline constexpr std::string_view kGeneralArchitecture = "general.architecture";
inline constexpr std::string_view kGeneralName = "general.name";
inline constexpr std::string_view kGeneralAlignment = "general.alignment";
inline constexpr std::string_view kGeneralFileType = "general.file_type";
inline constexpr std::string_view kGeneralQuantizationVersion = "general.quantization_version";
inline constexpr std::string_view kGeneralBasename = "general.basename";
inline constexpr std::string_view kGeneralSizeLabel = "general.size_label";

// <arch>.* (suffixes; see arch_key)
inline constexpr std::string_view kContextLength = "context_length";
inline constexpr std::string_view kEmbeddingLength = "embedding_length";
inline constexpr std::string_view kBlockCount = "block_count";
inline constexpr std::string_view kFeedForwardLength = "feed_forward_length";
inline constexpr std::string_view kVocabSize = "vocab_size";
inline constexpr std::string_view kHeadCount = "attention.head_count";
inline constexpr std::string_view kHeadCountKv = "attention.head_count_kv";
inline constexpr std::string_view kKeyLength = "attention.key_length";
inline constexpr std::string_view kValueLength = "attention.value_length";
inline constexpr std::string_view kLayerNormRmsEpsilon = "attention.layer_norm_rms_epsilon";
inline constexpr std::string_view kRopeDimensionCount = "rope.dimension_count";
inline constexpr std::string_view kRopeFreqBase = "rope.freq_base";
inline constexpr std::string_view kRopeScalingType = "rope.scaling.type";
inline constexpr std::string_view kRopeScalingFactor = "rope.scaling.factor";
inline constexpr std::string_view kRopeScalingOriginalContextLength = "rope.scaling.original_context_length";

// tokenizer.*
inline constexpr std::string_view kTokenizerModel = "tokenizer.ggml.model";
inline constexpr std::string_view kTokenizerPre = "tokenizer.ggml.pre";
inline constexpr std::string_view kTokenizerTokens = "tokenizer.ggml.tokens";
inline constexpr std::string_view kTokenizerTokenType = "tokenizer.ggml.token_type";
inline constexpr std::string_view kTokenizerScores = "tokenizer.ggml.scores";
inline constexpr std::string_view kTokenizerMerges = "tokenizer.ggml.merges";
inline constexpr std::string_view kTokenizerBosId = "tokenizer.ggml.bos_token_id";
inline constexpr std::string_view kTokenizerEosId = "tokenizer.ggml.eos_token_id";
inline constexpr std::string_view kTokenizerEotId = "tokenizer.ggml.eot_token_id";
inline constexpr std::string_view kTokenizerEomId = "tokenizer.ggml.eom_token_id";
inline constexpr std::string_view kTokenizerUnknownId = "tokenizer.ggml.unknown_token_id";
inline constexpr std::string_view kTokenizerSeparatorId = "tokenizer.ggml.seperator_token_id";  // sic, as on disk
inline constexpr std::string_view kTokenizerPaddingId = "tokenizer.ggml.padding_token_id";
inline constexpr std::string_view kTokenizerAddBos = "tokenizer.ggml.add_bos_token";
inline constexpr std::string_view kTokenizerAddEos = "tokenizer.ggml.add_eos_token";
inline constexpr std::string_view kTokenizerAddSpacePrefix = "tokenizer.ggml.add_space_prefix";
inline constexpr std::string_view kTokenizerChatTemplate = "tokenizer.chat_template";

}  // namespace keys

// "qwen2" + "context_length" -> "qwen2.context_length".
inline std::string arch_key(std::string_view arch, std::string_view suffix) {
  std::string key;
  key.reserve(arch.size() + 1 + suffix.size());
  key.append(arch).append(".").append(suffix);
  return key;
}

namespace tensors {

// Whole-model tensors.
inline constexpr std::string_view kTokenEmbd = "token_embd.weight";
inline constexpr std::string_view kOutputNorm = "output_norm.weight";
inline constexpr std::string_view kOutput = "output.weight";
inline constexpr std::string_view kRopeFreqs = "rope_freqs.weight";

// Per-layer tensor suffixes; the full name is block_tensor(layer, suffix) = "blk.<layer>.<suffix>".
inline constexpr std::string_view kAttnNorm = "attn_norm.weight";
inline constexpr std::string_view kAttnQ = "attn_q.weight";
inline constexpr std::string_view kAttnK = "attn_k.weight";
inline constexpr std::string_view kAttnV = "attn_v.weight";
inline constexpr std::string_view kAttnQBias = "attn_q.bias";
inline constexpr std::string_view kAttnKBias = "attn_k.bias";
inline constexpr std::string_view kAttnVBias = "attn_v.bias";
inline constexpr std::string_view kAttnOutput = "attn_output.weight";
inline constexpr std::string_view kFfnNorm = "ffn_norm.weight";
inline constexpr std::string_view kFfnGate = "ffn_gate.weight";
inline constexpr std::string_view kFfnUp = "ffn_up.weight";
inline constexpr std::string_view kFfnDown = "ffn_down.weight";

inline std::string block_tensor(int layer, std::string_view suffix) {
  std::string name = "blk." + std::to_string(layer) + ".";
  name.append(suffix);
  return name;
}

}  // namespace tensors

}  // namespace reval::gguf
