// Renders a conversation into the model's chat template (engine/chat) for the builtin backend.
#include "engine/chat/chat_prompt.h"
#include "engine/gguf/keys.h"
#include "harness/backends/builtin_backend.h"

namespace reval::harness {

Result<std::string> render_chat_prompt(const engine::Session& session, const std::vector<ChatMessage>& messages,
                                       const std::string& chat_template) {
  std::string_view gguf_template;
  if (const gguf::GgufValue* v = session.model().file.find(gguf::keys::kTokenizerChatTemplate);
      v != nullptr && v->type() == gguf::ValueType::kString) {
    gguf_template = v->as_string();
  }
  auto resolved = chat::resolve_chat_template(chat_template, gguf_template);
  if (!resolved.ok()) return resolved.status().with_context(session.model().path);
  std::vector<chat::ChatMessage> chat_messages;
  for (const ChatMessage& m : messages) chat_messages.push_back({m.role, m.content});
  return chat::render_chat_prompt(session.tokenizer(), resolved.value(), chat_messages);
}

}  // namespace reval::harness
