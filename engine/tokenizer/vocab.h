// Vocab: everything a tokenizer needs, as plain data. It comes from GGUF metadata
// (vocab_from_gguf in gguf_vocab.h) or is built by hand in tests. The names of the kinds are spelled as
// GGUF stores them (tokenizer.ggml.model, tokenizer.ggml.pre, tokenizer.ggml.token_type values).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace reval::tokenizer {

using TokenId = std::int32_t;
inline constexpr TokenId kNoToken = -1;

// tokenizer.ggml.token_type values (llama.cpp's llama_token_type numbering, as written by its converters).
enum class TokenType : std::int32_t {
  kUndefined = 0,
  kNormal = 1,
  kUnknown = 2,
  kControl = 3,
  kUserDefined = 4,
  kUnused = 5,
  kByte = 6,
};

// tokenizer.ggml.model: "gpt2" (byte-level BPE with merges) or "llama" (SentencePiece-style, scores).
enum class VocabModel { kBpe, kSpm };

// The pre-tokenizer splitting text into words before BPE, one per distinct regex family
// (tokenizer.ggml.pre names map onto these; see pre_tokenizer_from_name).
enum class PreTokenizerKind {
  kNone,           // SPM: no splitting
  kGpt2,           // 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)
  kLlama3,         // Llama 3: case-insensitive contractions, [^\r\n\p{L}\p{N}]?\p{L}+, \p{N}{1,3}, ...
  kQwen2,          // as kLlama3 but single digits (\p{N})
  kQwen35,         // as kQwen2 but letters runs include marks ([\p{L}\p{M}]+)
  kDeepSeekLlm,    // DeepSeek LLM: a sequence of six splitting regexes
  kDeepSeekCoder,  // DeepSeek Coder: a sequence of five splitting regexes
};

struct PreTokenizerSpec {
  PreTokenizerKind kind = PreTokenizerKind::kNone;
  bool ignore_merges = false;  // a word that is itself a token is emitted whole (Llama 3)
  bool add_bos = false;        // default for add_bos when the GGUF does not say
};

// Maps a tokenizer.ggml.pre value for a gpt2-model vocab; an unknown name is kUnimplemented naming
// it and the supported names.
Result<PreTokenizerSpec> pre_tokenizer_from_name(std::string_view name);
std::string_view pre_tokenizer_kind_name(PreTokenizerKind kind);

struct Vocab {
  VocabModel model = VocabModel::kBpe;
  std::string pre_name;  // tokenizer.ggml.pre as found ("" if absent)
  PreTokenizerKind pre = PreTokenizerKind::kNone;
  bool ignore_merges = false;

  std::vector<std::string> tokens;  // id -> text (byte-level encoded for BPE, with U+2581 for SPM)
  std::vector<float> scores;        // id -> score; empty means all 0 (only SPM uses them)
  std::vector<TokenType> types;     // id -> type; empty means all kNormal
  std::vector<std::string> merges;  // BPE merges "left right", highest priority first

  TokenId bos_id = kNoToken;
  TokenId eos_id = kNoToken;
  TokenId eot_id = kNoToken;  // end of turn (<|eot_id|>, <|im_end|>, ...)
  TokenId eom_id = kNoToken;
  TokenId unk_id = kNoToken;
  TokenId pad_id = kNoToken;
  bool add_bos = false;
  bool add_eos = false;
  bool add_space_prefix = false;  // SPM: prepend " " to text at the start and after special tokens

  TokenType type_of(TokenId id) const {
    return types.empty() ? TokenType::kNormal : types[static_cast<std::size_t>(id)];
  }
};

// Checks sizes and ids (scores/types lengths, special ids inside the vocab, non-empty tokens);
// errors name the field.
Status validate_vocab(const Vocab& vocab);

}  // namespace reval::tokenizer
