#include "engine/tokenizer/gguf_vocab.h"

#include <array>
#include <string>

#include "engine/gguf/keys.h"
#include "engine/gguf/reader.h"
#include "engine/tokenizer/tokenizer.h"

namespace reval::tokenizer {
namespace {

namespace keys = gguf::keys;

// Token texts llama.cpp treats as the end-of-turn token when tokenizer.ggml.eot_token_id is absent;
// they are forced to the control type so they are never produced from plain text.
constexpr std::array<std::string_view, 9> kEndOfTurnTexts = {
    "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>",
    "<|end_of_text|>", "<EOT>", "<｜end▁of▁sentence｜>", "<end_of_utterance>"};

std::string field(const gguf::GgufFile& file, std::string_view key) {
  return file.name() + ": " + std::string(key);
}

// A special-token id key: absent keeps `fallback`; a value outside the vocab (llama.cpp writes
// 0xFFFFFFFF or -1 for "none") means no token.
Result<TokenId> read_token_id(const gguf::GgufFile& file, std::string_view key, std::size_t n_tokens,
                              TokenId fallback) {
  const gguf::GgufValue* value = file.find(key);
  if (value == nullptr) return fallback;
  if (!value->is_integer()) return invalid_input_error(field(file, key) + ": expected an integer token id");
  const bool negative = (value->type() == gguf::ValueType::kI8 || value->type() == gguf::ValueType::kI16 ||
                         value->type() == gguf::ValueType::kI32 || value->type() == gguf::ValueType::kI64) &&
                        value->as_i64() < 0;
  if (negative) return kNoToken;
  const std::uint64_t id = value->as_u64();
  return id < n_tokens ? static_cast<TokenId>(id) : kNoToken;
}

Status read_model_and_pre(const gguf::GgufFile& file, Vocab& vocab) {
  REVAL_ASSIGN_OR_RETURN(const std::string_view model, file.get_string(keys::kTokenizerModel));
  if (file.find(keys::kTokenizerPre) != nullptr) {
    REVAL_ASSIGN_OR_RETURN(const std::string_view pre, file.get_string(keys::kTokenizerPre));
    vocab.pre_name = std::string(pre);
  }
  if (model == "llama") {
    vocab.model = VocabModel::kSpm;
    vocab.pre = PreTokenizerKind::kNone;
    vocab.add_bos = true;
    vocab.add_space_prefix = true;
    return Status::ok_status();
  }
  if (model != "gpt2") {
    return unimplemented_error(field(file, keys::kTokenizerModel) + ": tokenizer model '" + std::string(model) +
                               "' is not supported (supported: gpt2, llama)");
  }
  vocab.model = VocabModel::kBpe;
  if (vocab.pre_name.empty()) {
    return unimplemented_error(field(file, keys::kTokenizerPre) +
                               ": missing; reval needs the pre-tokenizer name of a gpt2 vocab");
  }
  auto spec = pre_tokenizer_from_name(vocab.pre_name);
  if (!spec.ok()) return spec.status().with_context(field(file, keys::kTokenizerPre));
  vocab.pre = spec->kind;
  vocab.ignore_merges = spec->ignore_merges;
  vocab.add_bos = spec->add_bos;
  return Status::ok_status();
}

Status read_token_arrays(const gguf::GgufFile& file, Vocab& vocab) {
  REVAL_ASSIGN_OR_RETURN(const auto tokens, file.get_string_array(keys::kTokenizerTokens));
  const std::size_t n = tokens.size();
  if (n == 0) return invalid_input_error(field(file, keys::kTokenizerTokens) + ": empty");
  vocab.tokens.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    // llama.cpp's placeholder for an empty token, so every text stays distinct and non-empty.
    vocab.tokens.push_back(tokens[i].empty() ? "[EMPTY_" + std::to_string(i) + "]" : std::string(tokens[i]));
  }
  if (file.find(keys::kTokenizerScores) != nullptr) {
    REVAL_ASSIGN_OR_RETURN(vocab.scores, file.get_array<float>(keys::kTokenizerScores));
    if (vocab.scores.size() < n) {
      return invalid_input_error(field(file, keys::kTokenizerScores) + ": " + std::to_string(vocab.scores.size()) +
                                 " values for " + std::to_string(n) + " tokens");
    }
    vocab.scores.resize(n);
  }
  if (file.find(keys::kTokenizerTokenType) != nullptr) {
    REVAL_ASSIGN_OR_RETURN(const auto types, file.get_array<std::int32_t>(keys::kTokenizerTokenType));
    if (types.size() < n) {
      return invalid_input_error(field(file, keys::kTokenizerTokenType) + ": " + std::to_string(types.size()) +
                                 " values for " + std::to_string(n) + " tokens");
    }
    vocab.types.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      const std::int32_t t = types[i];
      vocab.types.push_back(t >= 0 && t <= 6 ? static_cast<TokenType>(t) : TokenType::kUndefined);
    }
  }
  if (vocab.model == VocabModel::kBpe) {
    REVAL_ASSIGN_OR_RETURN(const auto merges, file.get_string_array(keys::kTokenizerMerges));
    vocab.merges.assign(merges.begin(), merges.end());
  }
  return Status::ok_status();
}

Status read_special_tokens(const gguf::GgufFile& file, Vocab& vocab) {
  const std::size_t n = vocab.tokens.size();
  const bool spm = vocab.model == VocabModel::kSpm;
  REVAL_ASSIGN_OR_RETURN(vocab.bos_id, read_token_id(file, keys::kTokenizerBosId, n, spm ? 1 : kNoToken));
  REVAL_ASSIGN_OR_RETURN(vocab.eos_id, read_token_id(file, keys::kTokenizerEosId, n, spm ? 2 : kNoToken));
  REVAL_ASSIGN_OR_RETURN(vocab.unk_id, read_token_id(file, keys::kTokenizerUnknownId, n, spm ? 0 : kNoToken));
  REVAL_ASSIGN_OR_RETURN(vocab.eot_id, read_token_id(file, keys::kTokenizerEotId, n, kNoToken));
  REVAL_ASSIGN_OR_RETURN(vocab.eom_id, read_token_id(file, keys::kTokenizerEomId, n, kNoToken));
  REVAL_ASSIGN_OR_RETURN(vocab.pad_id, read_token_id(file, keys::kTokenizerPaddingId, n, kNoToken));
  REVAL_ASSIGN_OR_RETURN(vocab.add_bos, file.get_bool_or(keys::kTokenizerAddBos, vocab.add_bos));
  REVAL_ASSIGN_OR_RETURN(vocab.add_eos, file.get_bool_or(keys::kTokenizerAddEos, vocab.add_eos));
  REVAL_ASSIGN_OR_RETURN(vocab.add_space_prefix, file.get_bool_or(keys::kTokenizerAddSpacePrefix, vocab.add_space_prefix));
  if (vocab.add_bos && vocab.bos_id == kNoToken) vocab.add_bos = false;
  if (vocab.add_eos && vocab.eos_id == kNoToken) vocab.add_eos = false;

  // End-of-turn tokens by text: the first one present becomes eot_id when the file names none, and
  // all of them are control tokens whatever their stored type.
  for (const std::string_view text : kEndOfTurnTexts) {
    for (std::size_t id = 0; id < n; ++id) {
      if (vocab.tokens[id] != text) continue;
      if (vocab.eot_id == kNoToken) vocab.eot_id = static_cast<TokenId>(id);
      if (vocab.types.empty()) vocab.types.assign(n, TokenType::kNormal);
      vocab.types[id] = TokenType::kControl;
    }
  }
  return Status::ok_status();
}

}  // namespace

Result<Vocab> vocab_from_gguf(const gguf::GgufFile& file) {
  Vocab vocab;
  REVAL_RETURN_IF_ERROR(read_model_and_pre(file, vocab));
  REVAL_RETURN_IF_ERROR(read_token_arrays(file, vocab));
  REVAL_RETURN_IF_ERROR(read_special_tokens(file, vocab));
  return vocab;
}

Result<Tokenizer> Tokenizer::from_gguf(const gguf::GgufFile& file) {
  REVAL_ASSIGN_OR_RETURN(Vocab vocab, vocab_from_gguf(file));
  auto tokenizer = Tokenizer::create(std::move(vocab));
  if (!tokenizer.ok()) return tokenizer.status().with_context(file.name());
  return tokenizer;
}

}  // namespace reval::tokenizer
