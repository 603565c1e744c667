#include "engine/chat/chat_template.h"

#include <algorithm>
#include <filesystem>

#include "common/files.h"
#include "engine/tokenizer/unicode.h"

namespace reval::chat {
namespace {

constexpr std::string_view kDeepSeekUser = "<｜User｜>";
constexpr std::string_view kDeepSeekAssistant = "<｜Assistant｜>";
constexpr std::string_view kDeepSeekEos = "<｜end▁of▁sentence｜>";
constexpr std::string_view kQwen25System = "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.";
constexpr std::string_view kQwen2System = "You are a helpful assistant";

std::string names_list() {
  std::string names;
  for (const ChatTemplate& t : builtin_chat_templates()) {
    if (!names.empty()) names += ", ";
    names += t.name;
  }
  return names;
}

Status unknown_role(const ChatTemplate& t, const ChatMessage& m) {
  return invalid_input_error("chat template " + t.name + ": cannot render a message with role '" + m.role +
                             "' (supported: system, user, assistant)");
}

// Jinja's `trim` (Python str.strip()): drops leading and trailing whitespace characters.
std::string_view trim(std::string_view s) {
  const auto is_space_at = [&](std::size_t pos, std::size_t& length) {
    const tokenizer::Utf8Char ch = tokenizer::decode_utf8(s, pos);
    length = ch.length;
    return ch.valid && (tokenizer::codepoint_info(ch.cp).is_whitespace() || (ch.cp >= 0x1C && ch.cp <= 0x1F));
  };
  std::size_t begin = 0;
  std::size_t length = 0;
  while (begin < s.size() && is_space_at(begin, length)) begin += length;
  std::size_t end = s.size();
  while (end > begin) {
    // Step back to the start of the last character.
    std::size_t start = end - 1;
    while (start > begin && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
    if (!is_space_at(start, length) || start + length != end) break;
    end = start;
  }
  return s.substr(begin, end - begin);
}

Result<std::string> render_deepseek(const ChatTemplate& t, std::span<const ChatMessage> messages,
                                    const ChatRenderOptions& options) {
  const bool eos_after_user = t.kind == ChatTemplateKind::kDeepSeekR1LlamaCpp;
  // The template collects the (last) system message and writes it right after BOS.
  std::string_view system;
  for (const ChatMessage& m : messages) {
    if (m.role == "system") system = m.content;
  }
  std::string out = options.bos_token;
  out.append(system);
  for (const ChatMessage& m : messages) {
    if (m.role == "system") continue;
    if (m.role == "user") {
      out.append(kDeepSeekUser).append(m.content);
      if (eos_after_user) out.append(kDeepSeekEos);
    } else if (m.role == "assistant") {
      // Earlier turns lose their reasoning: only the text after the last </think> is kept.
      std::string_view content = m.content;
      if (const std::size_t end = content.rfind("</think>"); end != std::string_view::npos) {
        content.remove_prefix(end + std::string_view("</think>").size());
      }
      out.append(kDeepSeekAssistant).append(content).append(kDeepSeekEos);
    } else {
      return unknown_role(t, m);
    }
  }
  if (options.add_generation_prompt) {
    out.append(kDeepSeekAssistant).append("<think>\n");
    if (t.thinking_switch && !options.enable_thinking) out.append("</think>");
  }
  return out;
}

Result<std::string> render_chatml(const ChatTemplate& t, std::span<const ChatMessage> messages,
                                  const ChatRenderOptions& options) {
  std::string out;
  const bool has_system = !messages.empty() && messages.front().role == "system";
  // Qwen2.5 writes its default system prompt whenever the first message is not a system message;
  // Qwen2's ChatML only before a first message (so not for an empty conversation).
  if (!has_system && !t.default_system.empty() && (t.kind == ChatTemplateKind::kQwen25 || !messages.empty())) {
    out.append("<|im_start|>system\n").append(t.default_system).append("<|im_end|>\n");
  }
  for (const ChatMessage& m : messages) {
    if (m.role != "system" && m.role != "user" && m.role != "assistant") return unknown_role(t, m);
    out.append("<|im_start|>").append(m.role).append("\n").append(m.content).append("<|im_end|>\n");
  }
  if (options.add_generation_prompt) out.append("<|im_start|>assistant\n");
  return out;
}

Result<std::string> render_llama3(const ChatTemplate& t, std::span<const ChatMessage> messages,
                                  const ChatRenderOptions& options) {
  std::string out;
  const auto append_turn = [&](std::string_view role, std::string_view content) {
    out.append("<|start_header_id|>").append(role).append("<|end_header_id|>\n\n").append(trim(content)).append("<|eot_id|>");
  };
  if (t.kind == ChatTemplateKind::kLlama31) {
    out.append(options.bos_token);
    std::string_view system;
    if (!messages.empty() && messages.front().role == "system") {
      system = trim(messages.front().content);
      messages = messages.subspan(1);
    }
    out.append("<|start_header_id|>system<|end_header_id|>\n\n")
        .append("Cutting Knowledge Date: December 2023\n")
        .append("Today Date: ")
        .append(options.date_string)
        .append("\n\n")
        .append(system)
        .append("<|eot_id|>");
  } else if (!messages.empty()) {
    out.append(options.bos_token);  // Llama 3 prefixes BOS to the first message
  }
  for (const ChatMessage& m : messages) {
    if (m.role != "system" && m.role != "user" && m.role != "assistant") return unknown_role(t, m);
    append_turn(m.role, m.content);
  }
  if (options.add_generation_prompt) out.append("<|start_header_id|>assistant<|end_header_id|>\n\n");
  return out;
}

// Template text with whitespace removed and double quotes made single, so fingerprints survive
// reformatting of the Jinja source.
std::string normalize(std::string_view source) {
  std::string out;
  out.reserve(source.size());
  for (const char c : source) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    out.push_back(c == '"' ? '\'' : c);
  }
  return out;
}

bool contains(std::string_view haystack, std::string_view needle) { return haystack.find(needle) != std::string_view::npos; }

}  // namespace

const std::vector<ChatTemplate>& builtin_chat_templates() {
  static const std::vector<ChatTemplate> templates = {
      {ChatTemplateKind::kDeepSeekR1, "deepseek-r1", "", false},
      {ChatTemplateKind::kDeepSeekR1LlamaCpp, "deepseek-r1-llamacpp", "", false},
      {ChatTemplateKind::kQwen25, "qwen2.5", std::string(kQwen25System), false},
      {ChatTemplateKind::kChatMl, "qwen2", std::string(kQwen2System), false},
      {ChatTemplateKind::kChatMl, "chatml", "", false},
      {ChatTemplateKind::kLlama3, "llama3", "", false},
      {ChatTemplateKind::kLlama31, "llama3.1", "", false},
  };
  return templates;
}

Result<ChatTemplate> chat_template_by_name(std::string_view name) {
  for (const ChatTemplate& t : builtin_chat_templates()) {
    if (t.name == name) return t;
  }
  return not_found_error("unknown chat template name '" + std::string(name) + "' (built-in: " + names_list() + ")");
}

Result<ChatTemplate> detect_chat_template(std::string_view jinja_source) {
  const std::string s = normalize(jinja_source);
  const auto named = [](std::string_view name) { return chat_template_by_name(name).value(); };
  if (contains(s, kDeepSeekUser) && contains(s, kDeepSeekAssistant)) {
    ChatTemplate t = contains(s, "'<｜User｜>'+message['content']+'<｜end▁of▁sentence｜>'") ? named("deepseek-r1-llamacpp")
                                                                                        : named("deepseek-r1");
    t.thinking_switch = contains(s, "enable_thinking");
    return t;
  }
  if (contains(s, "<|im_start|>") && contains(s, "<|im_end|>")) {
    if (contains(s, normalize(kQwen25System))) return named("qwen2.5");
    // Newer ChatML families (Qwen3 with <think> handling) render differently: not ours.
    if (!contains(s, "<think>") && !contains(s, "reasoning_content") && !contains(s, "tools")) {
      return named(contains(s, normalize(kQwen2System)) ? "qwen2" : "chatml");
    }
  }
  if (contains(s, "<|start_header_id|>") && contains(s, "<|end_header_id|>") && contains(s, "<|eot_id|>")) {
    return named(contains(s, "CuttingKnowledgeDate") ? "llama3.1" : "llama3");
  }
  return not_found_error("unrecognized chat template; pass --chat-template NAME|FILE (NAME one of: " + names_list() +
                         "; FILE a Jinja template of one of these families)");
}

Result<ChatTemplate> resolve_chat_template(std::string_view option, std::string_view gguf_template) {
  if (option.empty()) {
    if (gguf_template.empty()) {
      return not_found_error("the model has no tokenizer.chat_template; pass --chat-template NAME|FILE (NAME one of: " +
                             names_list() + ")");
    }
    auto detected = detect_chat_template(gguf_template);
    if (!detected.ok()) return detected.status().with_context("tokenizer.chat_template");
    return detected;
  }
  if (auto named = chat_template_by_name(option); named.ok()) return named;
  const std::string path(option);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return not_found_error("--chat-template '" + path + "' is neither a built-in name (" + names_list() +
                           ") nor a file");
  }
  REVAL_ASSIGN_OR_RETURN(const std::string text, read_file(path));
  auto detected = detect_chat_template(text);
  if (!detected.ok()) return detected.status().with_context(path);
  return detected;
}

Result<std::string> render_chat(const ChatTemplate& chat_template, std::span<const ChatMessage> messages,
                                const ChatRenderOptions& options) {
  switch (chat_template.kind) {
    case ChatTemplateKind::kDeepSeekR1:
    case ChatTemplateKind::kDeepSeekR1LlamaCpp:
      return render_deepseek(chat_template, messages, options);
    case ChatTemplateKind::kQwen25:
    case ChatTemplateKind::kChatMl:
      return render_chatml(chat_template, messages, options);
    case ChatTemplateKind::kLlama3:
    case ChatTemplateKind::kLlama31:
      return render_llama3(chat_template, messages, options);
  }
  return internal_error("render_chat: unknown template kind");
}

}  // namespace reval::chat
