// Renders a conversation into the model's chat template (engine/chat) for the builtin backend.
#include "harness/backends/builtin_backend.h"

namespace reval::harness {

Result<std::string> render_chat_prompt(const engine::Session& session, const std::vector<ChatMessage>& messages,
                                       const std::string& chat_template) {
  (void)session;
  (void)messages;
  (void)chat_template;
  return unimplemented_error("chat templates are not available in this build yet (engine/chat)");
}

}  // namespace reval::harness
