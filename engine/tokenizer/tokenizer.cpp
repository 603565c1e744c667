#include "engine/tokenizer/tokenizer.h"

#include <algorithm>
#include <array>

#include "common/check.h"
#include "engine/tokenizer/bpe.h"
#include "engine/tokenizer/pre_tokenizer.h"
#include "engine/tokenizer/special_tokens.h"
#include "engine/tokenizer/spm.h"
#include "engine/tokenizer/unicode.h"

namespace reval::tokenizer {
namespace {

constexpr std::string_view kSpmSpace = "\xE2\x96\x81";  // U+2581 LOWER ONE EIGHTH BLOCK

// Token texts that end a turn in the chat formats llama.cpp knows; generation stops on them.
constexpr std::array<std::string_view, 10> kEndOfGenerationTexts = {
    "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|eom_id|>",
    "<EOT>", "<|end_of_text|>", "<｜end▁of▁sentence｜>", "<end_of_utterance>"};

std::string replace_all(std::string_view text, std::string_view from, std::string_view to) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t pos = 0;;) {
    const std::size_t hit = text.find(from, pos);
    if (hit == std::string_view::npos) {
      out.append(text.substr(pos));
      return out;
    }
    out.append(text.substr(pos, hit - pos)).append(to);
    pos = hit + from.size();
  }
}

// "<0x0A>" -> 0x0A; -1 if the text is not a byte token's spelling.
int parse_byte_token(std::string_view text) {
  if (text.size() != 6 || text.substr(0, 3) != "<0x" || text[5] != '>') return -1;
  int value = 0;
  for (const char c : text.substr(3, 2)) {
    value *= 16;
    if (c >= '0' && c <= '9') value += c - '0';
    else if (c >= 'A' && c <= 'F') value += c - 'A' + 10;
    else if (c >= 'a' && c <= 'f') value += c - 'a' + 10;
    else return -1;
  }
  return value;
}

}  // namespace

struct Tokenizer::Impl {
  Vocab vocab;
  TokenIndex index;
  std::unique_ptr<BpeModel> bpe;
  std::unique_ptr<SpmModel> spm;
  std::unique_ptr<SpecialTokenMatcher> specials;
  std::vector<std::string> pieces;       // id -> bytes it decodes to
  std::vector<bool> hidden_unless_special;  // control and unknown tokens
  std::vector<bool> eog_flag;
  std::vector<TokenId> eog;
};

Result<Tokenizer> Tokenizer::create(Vocab vocab) {
  REVAL_RETURN_IF_ERROR(validate_vocab(vocab));
  auto impl = std::make_shared<Impl>();
  impl->vocab = std::move(vocab);
  const Vocab& v = impl->vocab;
  const std::size_t n = v.tokens.size();
  impl->index.reserve(n);
  for (std::size_t id = 0; id < n; ++id) {
    // A duplicated text maps to its last id, as in llama.cpp's token_to_id.
    impl->index[v.tokens[id]] = static_cast<TokenId>(id);
  }
  if (v.model == VocabModel::kBpe) {
    REVAL_ASSIGN_OR_RETURN(BpeModel bpe, BpeModel::build(v, impl->index));
    impl->bpe = std::make_unique<BpeModel>(std::move(bpe));
  } else {
    impl->spm = std::make_unique<SpmModel>(v, impl->index);
  }
  impl->specials = std::make_unique<SpecialTokenMatcher>(v);

  impl->pieces.resize(n);
  impl->hidden_unless_special.assign(n, false);
  for (std::size_t id = 0; id < n; ++id) {
    const std::string& text = v.tokens[id];
    std::string& piece = impl->pieces[id];
    switch (v.type_of(static_cast<TokenId>(id))) {
      case TokenType::kNormal:
        if (v.model == VocabModel::kBpe) {
          byte_level_decode(text, piece);
        } else {
          piece = replace_all(text, kSpmSpace, " ");
        }
        break;
      case TokenType::kByte: {
        const int byte = parse_byte_token(text);
        piece = byte >= 0 ? std::string(1, static_cast<char>(byte)) : text;
        break;
      }
      case TokenType::kUserDefined:
        piece = text;
        break;
      case TokenType::kControl:
      case TokenType::kUnknown:
        piece = text;
        impl->hidden_unless_special[id] = true;
        break;
      case TokenType::kUnused:
      case TokenType::kUndefined:
        break;  // decodes to nothing, as in llama.cpp
    }
  }

  impl->eog_flag.assign(n, false);
  const auto add_eog = [&](TokenId id) {
    if (id == kNoToken || impl->eog_flag[static_cast<std::size_t>(id)]) return;
    impl->eog_flag[static_cast<std::size_t>(id)] = true;
    impl->eog.push_back(id);
  };
  add_eog(v.eos_id);
  add_eog(v.eot_id);
  add_eog(v.eom_id);
  for (const std::string_view text : kEndOfGenerationTexts) {
    if (const auto it = impl->index.find(text); it != impl->index.end()) add_eog(it->second);
  }
  return Tokenizer(std::move(impl));
}

const Vocab& Tokenizer::vocab() const { return impl_->vocab; }
std::int32_t Tokenizer::n_vocab() const { return static_cast<std::int32_t>(impl_->vocab.tokens.size()); }

const std::string& Tokenizer::token_text(TokenId id) const {
  REVAL_CHECK(id >= 0 && id < n_vocab());
  return impl_->vocab.tokens[static_cast<std::size_t>(id)];
}

TokenId Tokenizer::find_token(std::string_view text) const {
  const auto it = impl_->index.find(text);
  return it == impl_->index.end() ? kNoToken : it->second;
}

bool Tokenizer::is_end_of_generation(TokenId id) const {
  return id >= 0 && id < n_vocab() && impl_->eog_flag[static_cast<std::size_t>(id)];
}

const std::vector<TokenId>& Tokenizer::end_of_generation_tokens() const { return impl_->eog; }

bool Tokenizer::is_control(TokenId id) const {
  return id >= 0 && id < n_vocab() && impl_->vocab.type_of(id) == TokenType::kControl;
}

std::vector<TokenId> Tokenizer::encode(std::string_view text, EncodeOptions options) const {
  std::vector<TokenId> out;
  out.reserve(text.size() / 3 + 2);
  encode(text, options, out);
  return out;
}

void Tokenizer::encode(std::string_view text, EncodeOptions options, std::vector<TokenId>& out) const {
  const Vocab& v = impl_->vocab;
  if (options.add_special && v.add_bos) out.push_back(v.bos_id);
  std::vector<Fragment> fragments;
  impl_->specials->partition(text, options.parse_special, fragments);
  bool after_special = true;  // the start of the text counts as following a special token (SPM prefix)
  for (const Fragment& fragment : fragments) {
    if (fragment.token != kNoToken) {
      out.push_back(fragment.token);
      after_special = true;
      continue;
    }
    encode_text(fragment.text, after_special, out);
    after_special = false;
  }
  if (options.add_special && v.add_eos) out.push_back(v.eos_id);
}

void Tokenizer::encode_text(std::string_view text, bool after_special, std::vector<TokenId>& out) const {
  const Vocab& v = impl_->vocab;
  if (v.model == VocabModel::kSpm) {
    std::string escaped;
    escaped.reserve(text.size() + 8);
    if (v.add_space_prefix && after_special) escaped.append(kSpmSpace);
    escaped.append(replace_all(text, " ", kSpmSpace));
    impl_->spm->encode(escaped, out);
    return;
  }
  thread_local std::vector<WordSpan> words;
  words.clear();
  split_words(v.pre, text, words);
  for (const WordSpan& w : words) {
    impl_->bpe->encode_word(text.substr(w.begin, w.end - w.begin), v.ignore_merges, out);
  }
}

std::string_view Tokenizer::token_to_piece(TokenId id, bool render_special) const {
  REVAL_CHECK(id >= 0 && id < n_vocab());
  const auto i = static_cast<std::size_t>(id);
  if (impl_->hidden_unless_special[i] && !render_special) return {};
  return impl_->pieces[i];
}

std::string Tokenizer::decode(std::span<const TokenId> ids, DecodeOptions options) const {
  std::string out;
  bool strip = options.strip_dummy_prefix && impl_->vocab.model == VocabModel::kSpm && impl_->vocab.add_space_prefix;
  for (const TokenId id : ids) {
    std::string_view piece = token_to_piece(id, options.render_special);
    if (strip && !piece.empty() && !is_control(id)) {
      if (piece.front() == ' ') piece.remove_prefix(1);
      strip = false;
    }
    out.append(piece);
  }
  return out;
}

}  // namespace reval::tokenizer
