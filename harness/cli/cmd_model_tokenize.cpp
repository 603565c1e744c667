// `reval model tokenize FILE TEXT`: the token ids of TEXT under FILE's vocab (vocab-only GGUFs work).
#include <cstdio>
#include <string>

#include "engine/gguf/reader.h"
#include "engine/tokenizer/tokenizer.h"
#include "harness/cli/commands.h"

namespace reval::cli {

Command model_tokenize_command() {
  Command command;
  command.name = "model tokenize";
  command.summary = "Print the token ids of a text under a GGUF file's vocab";
  command.usage = "reval model tokenize FILE TEXT [--add-special] [--parse-special] [--pieces]";
  command.description =
      "Tokenizes TEXT with the tokenizer stored in FILE's metadata (byte-level BPE or SentencePiece; a\n"
      "vocab-only GGUF is enough) and prints the ids separated by spaces. By default no BOS/EOS is added and\n"
      "text spelling a control token is tokenized as text, like llama.cpp's tokenizer tests.";
  command.options = {
      {"--add-special", 0, "", "add BOS/EOS as the file's metadata says (tokenizer.ggml.add_bos_token)"},
      {"--parse-special", 0, "", "turn text such as <|im_start|> into its control token"},
      {"--pieces", 0, "", "print one token per line: id, then the token's text as JSON-escaped bytes"},
  };
  command.min_positionals = 2;
  command.max_positionals = 2;
  command.run = [](const ParsedArgs& args, CommandContext& ctx) -> Status {
    const std::string& path = args.positionals()[0];
    const std::string& text = args.positionals()[1];
    REVAL_ASSIGN_OR_RETURN(const gguf::GgufFile file, gguf::GgufFile::open(path));
    REVAL_ASSIGN_OR_RETURN(const tokenizer::Tokenizer tok, tokenizer::Tokenizer::from_gguf(file));
    const tokenizer::EncodeOptions options{.add_special = args.has("--add-special"),
                                           .parse_special = args.has("--parse-special")};
    const std::vector<tokenizer::TokenId> ids = tok.encode(text, options);
    if (args.has("--pieces")) {
      for (const tokenizer::TokenId id : ids) {
        std::string shown;
        for (const char c : tok.token_to_piece(id, true)) {
          const auto byte = static_cast<unsigned char>(c);
          if (byte == '"' || byte == '\\') {
            shown += '\\';
            shown += c;
          } else if (byte < 0x20 || byte == 0x7F) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\u%04x", byte);
            shown += escaped;
          } else {
            shown += c;
          }
        }
        std::fprintf(ctx.out, "%d \"%s\"\n", id, shown.c_str());
      }
      return Status::ok_status();
    }
    std::string line;
    for (const tokenizer::TokenId id : ids) {
      if (!line.empty()) line += ' ';
      line += std::to_string(id);
    }
    std::fprintf(ctx.out, "%s\n", line.c_str());
    return Status::ok_status();
  };
  return command;
}

}  // namespace reval::cli
