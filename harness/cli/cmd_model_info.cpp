// `reval model info FILE`: what a GGUF model is (architecture, size, types, tokenizer, template).
#include <cinttypes>
#include <cstdio>

#include "common/strings.h"
#include "engine/gguf/model_summary.h"
#include "engine/gguf/reader.h"
#include "engine/kernels/type_traits.h"
#include "harness/cli/commands.h"

namespace reval::cli {
namespace {

std::string or_dash(const std::optional<std::uint32_t>& v) { return v ? std::to_string(*v) : "-"; }

std::string params_text(std::uint64_t n) {
  char buf[64];
  if (n >= 1000000000ull) {
    std::snprintf(buf, sizeof buf, "%.2f B", static_cast<double>(n) / 1e9);
  } else if (n >= 1000000ull) {
    std::snprintf(buf, sizeof buf, "%.2f M", static_cast<double>(n) / 1e6);
  } else {
    std::snprintf(buf, sizeof buf, "%" PRIu64, n);
  }
  return buf;
}

void print_summary(const gguf::ModelSummary& s, std::FILE* out) {
  std::fprintf(out, "file:            %s (GGUF v%u, %s)\n", s.path.c_str(), s.version, format_bytes(s.file_size).c_str());
  if (!s.name.empty()) std::fprintf(out, "name:            %s\n", s.name.c_str());
  std::fprintf(out, "architecture:    %s\n", s.architecture.empty() ? "-" : s.architecture.c_str());
  std::fprintf(out, "parameters:      %s (%d tensors, %s of tensor data)\n", params_text(s.n_params).c_str(),
               s.n_tensors, format_bytes(s.tensor_bytes).c_str());
  if (s.n_params > 0) {
    std::fprintf(out, "bits per weight: %.2f\n", 8.0 * static_cast<double>(s.tensor_bytes) / static_cast<double>(s.n_params));
  }
  std::fprintf(out, "context length:  %s\n", or_dash(s.context_length).c_str());
  std::fprintf(out, "layers:          %s   embedding: %s   feed-forward: %s\n", or_dash(s.n_layers).c_str(),
               or_dash(s.n_embd).c_str(), or_dash(s.n_ff).c_str());
  std::fprintf(out, "heads:           %s (kv %s)\n", or_dash(s.n_head).c_str(), or_dash(s.n_head_kv).c_str());
  if (s.rope_freq_base) std::fprintf(out, "rope base:       %g\n", static_cast<double>(*s.rope_freq_base));
  if (s.n_tensors > 0) std::fprintf(out, "embeddings:      %s\n", s.tied_embeddings ? "tied (no output.weight)" : "untied");
  std::fprintf(out, "vocab:           %zu tokens (%s%s%s)\n", s.vocab_size,
               s.tokenizer_model.empty() ? "no tokenizer" : s.tokenizer_model.c_str(), s.tokenizer_pre.empty() ? "" : ", pre ",
               s.tokenizer_pre.c_str());
  std::fprintf(out, "bos / eos:       %s / %s\n", or_dash(s.bos_id).c_str(), or_dash(s.eos_id).c_str());
  std::fprintf(out, "chat template:   %s\n", s.has_chat_template ? s.chat_template_family.c_str() : "none");
  if (!s.type_mix.empty()) {
    std::fprintf(out, "tensor types:\n");
    for (const auto& [type, share] : s.type_mix) {
      const bool computable = kernels::is_supported_weight_type(type);
      std::fprintf(out, "  %-8s %4d tensors  %10s  %5.1f%% of weights%s\n", std::string(gguf::tensor_type_name(type)).c_str(),
                   share.n_tensors, format_bytes(share.n_bytes).c_str(),
                   100.0 * static_cast<double>(share.n_elements) / static_cast<double>(s.n_params),
                   computable ? "" : "  (not supported by the builtin engine)");
    }
  }
}

}  // namespace

Command model_info_command() {
  Command command;
  command.name = "model info";
  command.summary = "Describe a GGUF model: architecture, parameters, tensor types, context, tokenizer";
  command.usage = "reval model info FILE.gguf [--metadata]";
  command.description =
      "Reads the GGUF header (nothing is loaded into memory) and prints the architecture, parameter count,\n"
      "tensor-type mix, size, context length, tokenizer and chat template. --metadata also lists every\n"
      "metadata key with its value (arrays shown by length).";
  command.options = {{"--metadata", 0, "", "also list every metadata key"}};
  command.min_positionals = 1;
  command.max_positionals = 1;
  command.run = [](const ParsedArgs& args, CommandContext& ctx) -> Status {
    REVAL_ASSIGN_OR_RETURN(const gguf::GgufFile file, gguf::GgufFile::open(args.positionals()[0]));
    REVAL_ASSIGN_OR_RETURN(const gguf::ModelSummary summary, gguf::summarize_model(file));
    print_summary(summary, ctx.out);
    if (args.has("--metadata")) {
      std::fprintf(ctx.out, "metadata:\n");
      for (const gguf::GgufKeyValue& kv : file.metadata()) {
        std::fprintf(ctx.out, "  %-45s %s\n", std::string(kv.key).c_str(), kv.value.to_display_string().c_str());
      }
    }
    return Status::ok_status();
  };
  return command;
}

}  // namespace reval::cli
