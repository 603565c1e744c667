// Reading a Vocab from GGUF metadata (the tokenizer.* keys, see engine/gguf/keys.h), with the
// defaults llama.cpp applies when a key is absent: SPM adds BOS and a dummy space prefix; BPE adds
// BOS only for the Llama 3 pre-tokenizer family; the EOT token is found by its text when the file
// does not name it.
#pragma once

#include "common/result.h"
#include "engine/tokenizer/vocab.h"

namespace reval::gguf {
class GgufFile;
}

namespace reval::tokenizer {

// Errors name the file and key ("m.gguf: tokenizer.ggml.scores: 10 values for 12 tokens") and are
// kUnimplemented for a tokenizer model or pre-tokenizer reval does not support.
Result<Vocab> vocab_from_gguf(const gguf::GgufFile& file);

}  // namespace reval::tokenizer
