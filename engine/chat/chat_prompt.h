// Turning a conversation into prompt tokens for a model: render its chat template, then tokenize
// with special tokens parsed. BOS follows the GGUF metadata exactly: when the vocab adds BOS itself
// (tokenizer.ggml.add_bos_token), the template's leading BOS text is dropped so it is not doubled.
#pragma once

#include <span>
#include <vector>

#include "common/result.h"
#include "engine/chat/chat_template.h"
#include "engine/tokenizer/tokenizer.h"

namespace reval::gguf {
class GgufFile;
}

namespace reval::chat {

// The chat template for a model file: resolve_chat_template(option, the file's tokenizer.chat_template).
// Errors name the file; an unrecognized or missing template asks for --chat-template NAME|FILE.
Result<ChatTemplate> chat_template_for_model(const gguf::GgufFile& file, std::string_view option);

// `options.bos_token` is filled from the tokenizer. Errors: those of render_chat.
Result<std::vector<tokenizer::TokenId>> encode_chat_prompt(const tokenizer::Tokenizer& tokenizer,
                                                           const ChatTemplate& chat_template,
                                                           std::span<const ChatMessage> messages,
                                                           ChatRenderOptions options = {});

// The rendered text that encode_chat_prompt tokenizes (for display and logs).
Result<std::string> render_chat_prompt(const tokenizer::Tokenizer& tokenizer, const ChatTemplate& chat_template,
                                       std::span<const ChatMessage> messages, ChatRenderOptions options = {});

}  // namespace reval::chat
