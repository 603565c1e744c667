// Turning a conversation into prompt tokens for a model: render its chat template, then tokenize
// with special tokens parsed. BOS follows the GGUF metadata exactly: when the vocab adds BOS itself
// (tokenizer.ggml.add_bos_token), the template's leading BOS text is dropped so it is not doubled.
#pragma once

#include <span>
#include <vector>

#include "common/result.h"
#include "engine/chat/chat_template.h"
#include "engine/tokenizer/tokenizer.h"

namespace reval::chat {

// `options.bos_token` is filled from the tokenizer. Errors: those of render_chat.
Result<std::vector<tokenizer::TokenId>> encode_chat_prompt(const tokenizer::Tokenizer& tokenizer,
                                                           const ChatTemplate& chat_template,
                                                           std::span<const ChatMessage> messages,
                                                           ChatRenderOptions options = {});

// The rendered text that encode_chat_prompt tokenizes (for display and logs).
Result<std::string> render_chat_prompt(const tokenizer::Tokenizer& tokenizer, const ChatTemplate& chat_template,
                                       std::span<const ChatMessage> messages, ChatRenderOptions options = {});

}  // namespace reval::chat
