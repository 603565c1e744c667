#include "engine/chat/chat_prompt.h"

namespace reval::chat {

Result<std::string> render_chat_prompt(const tokenizer::Tokenizer& tokenizer, const ChatTemplate& chat_template,
                                       std::span<const ChatMessage> messages, ChatRenderOptions options) {
  const tokenizer::TokenId bos = tokenizer.bos();
  options.bos_token = bos == tokenizer::kNoToken ? "" : tokenizer.token_text(bos);
  REVAL_ASSIGN_OR_RETURN(std::string text, render_chat(chat_template, messages, options));
  if (tokenizer.add_bos() && !options.bos_token.empty() && text.starts_with(options.bos_token)) {
    text.erase(0, options.bos_token.size());
  }
  return text;
}

Result<std::vector<tokenizer::TokenId>> encode_chat_prompt(const tokenizer::Tokenizer& tokenizer,
                                                           const ChatTemplate& chat_template,
                                                           std::span<const ChatMessage> messages,
                                                           ChatRenderOptions options) {
  REVAL_ASSIGN_OR_RETURN(const std::string text, render_chat_prompt(tokenizer, chat_template, messages, options));
  return tokenizer.encode(text, tokenizer::EncodeOptions{.add_special = true, .parse_special = true});
}

}  // namespace reval::chat
