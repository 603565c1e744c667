// libFuzzer target for the tokenizers: any byte string, under every pre-tokenizer and both models,
// must tokenize without crashing, split into words that tile it, decode back to itself, and stream-
// decode to the same bytes. The vocabs are built in-process (byte alphabet, a few merges and special
// tokens) so the target needs no data files.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "engine/tokenizer/pre_tokenizer.h"
#include "engine/tokenizer/stream_decoder.h"
#include "engine/tokenizer/tokenizer.h"
#include "engine/tokenizer/unicode.h"

namespace {

using namespace reval::tokenizer;

void require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "tokenizer_fuzz: %s\n", what);
    std::abort();
  }
}

Tokenizer make_bpe(PreTokenizerKind pre) {
  Vocab v;
  v.model = VocabModel::kBpe;
  v.pre = pre;
  v.ignore_merges = pre == PreTokenizerKind::kLlama3;
  for (const std::string& symbol : byte_level_alphabet()) v.tokens.push_back(symbol);
  const auto enc = [](std::string_view raw) {
    std::string s;
    byte_level_encode(raw, s);
    return s;
  };
  for (const char* pair : {"t h", "th e", "a n", "i n", "an d", "\xC4\xA0 t", "\xC4\xA0t he", "1 2"}) {
    v.merges.emplace_back(pair);
    std::string merged(pair);
    merged.erase(merged.find(' '), 1);
    v.tokens.push_back(merged);
  }
  v.tokens.push_back(enc("the "));  // a token no merge reaches (ignore_merges only)
  v.types.assign(v.tokens.size(), TokenType::kNormal);
  v.tokens.emplace_back("<|ctl|>");
  v.types.push_back(TokenType::kControl);
  v.tokens.emplace_back("<tool>");
  v.types.push_back(TokenType::kUserDefined);
  return Tokenizer::create(std::move(v)).value();
}

Tokenizer make_spm() {
  Vocab v;
  v.model = VocabModel::kSpm;
  v.tokens = {"<unk>", "<s>", "</s>"};
  v.types = {TokenType::kUnknown, TokenType::kControl, TokenType::kControl};
  for (int b = 0; b < 256; ++b) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "<0x%02X>", b);
    v.tokens.emplace_back(hex);
    v.types.push_back(TokenType::kByte);
  }
  float score = -1;
  for (const char* piece : {"\xE2\x96\x81", "\xE2\x96\x81t", "\xE2\x96\x81the", "th", "he", "e", "t", "h", "a",
                            "\xE2\x96\x81\xE2\x96\x81", "\xC3\xA9"}) {
    v.tokens.emplace_back(piece);
    v.types.push_back(TokenType::kNormal);
    score -= 0.5f;
  }
  v.scores.assign(v.tokens.size(), 0.0f);
  for (std::size_t i = 259; i < v.tokens.size(); ++i) v.scores[i] = -static_cast<float>(i - 258);
  v.unk_id = 0;
  v.bos_id = 1;
  v.eos_id = 2;
  v.add_bos = true;
  v.add_space_prefix = true;
  return Tokenizer::create(std::move(v)).value();
}

void check(const Tokenizer& tok, std::string_view text) {
  const std::vector<TokenId> ids = tok.encode(text);
  const bool spm = tok.vocab().model == VocabModel::kSpm;
  // SPM writes spaces as U+2581, so a literal U+2581 in the input decodes as a space.
  const bool lossy = spm && text.find("\xE2\x96\x81") != std::string_view::npos;
  if (!lossy) require(tok.decode(ids, DecodeOptions{.strip_dummy_prefix = spm}) == text, "decode(encode(x)) != x");
  StreamDecoder stream(tok);
  std::string streamed;
  for (const TokenId id : ids) streamed += stream.push(id);
  streamed += stream.flush();
  require(streamed == tok.decode(ids), "streamed text differs from decode");
  (void)tok.encode(text, EncodeOptions{.add_special = true, .parse_special = true});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<Tokenizer> tokenizers = [] {
    std::vector<Tokenizer> t;
    for (const auto pre : {PreTokenizerKind::kGpt2, PreTokenizerKind::kLlama3, PreTokenizerKind::kQwen2,
                           PreTokenizerKind::kQwen35, PreTokenizerKind::kDeepSeekLlm, PreTokenizerKind::kDeepSeekCoder}) {
      t.push_back(make_bpe(pre));
    }
    t.push_back(make_spm());
    return t;
  }();
  // Copy into an exactly-sized allocation so AddressSanitizer catches a read past the end.
  const std::string text(reinterpret_cast<const char*>(data), size);
  for (const Tokenizer& tok : tokenizers) {
    if (tok.vocab().model == VocabModel::kBpe) {
      std::vector<WordSpan> words;
      split_words(tok.vocab().pre, text, words);
      std::size_t expected = 0;
      for (const WordSpan& w : words) {
        require(w.begin == expected && w.end > w.begin, "words do not tile the text");
        expected = w.end;
      }
      require(expected == text.size(), "words do not cover the text");
    }
    // "<tool>" is user-defined and always matched, so every text round-trips.
    check(tok, text);
  }
  return 0;
}
