// Chat templates of the model families reval serves, rendered by our own code (no Jinja engine):
// DeepSeek-R1 (the R1-Distill Qwen and Llama models), Qwen2.5-Instruct, Qwen2 ChatML, Llama 3 and
// Llama 3.1 Instruct. A GGUF's tokenizer.chat_template is recognized by fingerprints (distinctive
// literal text of each family); each renderer reproduces its Jinja template's output exactly for
// system/user/assistant conversations (tools are not supported). Thread-safe (pure functions).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace reval::chat {

enum class ChatTemplateKind {
  kDeepSeekR1,          // "<｜User｜>...<｜Assistant｜>", generation prompt "<｜Assistant｜><think>\n"
  kDeepSeekR1LlamaCpp,  // llama.cpp's DeepSeek-R1 variant: every user turn ends with EOS text
  kQwen25,              // ChatML with Qwen2.5's default system prompt
  kChatMl,              // ChatML; the Qwen2 flavour injects "You are a helpful assistant"
  kLlama3,              // Llama 3 Instruct
  kLlama31,             // Llama 3.1 Instruct (system header with the knowledge cutoff and date)
};

struct ChatTemplate {
  ChatTemplateKind kind = ChatTemplateKind::kDeepSeekR1;
  std::string name;            // as accepted by --chat-template
  std::string default_system;  // ChatML: system prompt inserted when the conversation has none
  // The template has llama.cpp's enable_thinking switch (adds "</think>" when thinking is off).
  bool thinking_switch = false;
};

struct ChatMessage {
  std::string role;  // "system", "user" or "assistant"
  std::string content;
};

struct ChatRenderOptions {
  bool add_generation_prompt = true;
  std::string bos_token;  // text the template writes as {{ bos_token }}
  bool enable_thinking = true;
  std::string date_string = "26 Jul 2024";  // Llama 3.1's default
};

// The built-in templates by --chat-template name: deepseek-r1, deepseek-r1-llamacpp, qwen2.5,
// qwen2, chatml, llama3, llama3.1.
const std::vector<ChatTemplate>& builtin_chat_templates();
Result<ChatTemplate> chat_template_by_name(std::string_view name);

// Recognizes Jinja template source. Unknown text is kNotFound with a message telling the user to
// pass --chat-template NAME|FILE.
Result<ChatTemplate> detect_chat_template(std::string_view jinja_source);

// Resolves the --chat-template option: "" uses `gguf_template` (tokenizer.chat_template, "" when the
// file has none); a built-in NAME; otherwise a FILE whose text is recognized like a GGUF's.
Result<ChatTemplate> resolve_chat_template(std::string_view option, std::string_view gguf_template);

// Renders a conversation as the template would. Errors: a role the template cannot render.
Result<std::string> render_chat(const ChatTemplate& chat_template, std::span<const ChatMessage> messages,
                                const ChatRenderOptions& options);

}  // namespace reval::chat
