// `reval model quantize IN OUT TYPE`: re-encodes a GGUF model's weights in another tensor type.
#include <chrono>
#include <cstdio>

#include "common/strings.h"
#include "engine/quantize/quantize_model.h"
#include "harness/cli/commands.h"

namespace reval::cli {

Command model_quantize_command() {
  Command command;
  command.name = "model quantize";
  command.summary = "Quantize a GGUF model (F32/F16/BF16 -> Q8_0, Q4_K_M, ...)";
  command.usage = "reval model quantize IN.gguf OUT.gguf TYPE [--threads N]";
  command.description =
      "Every 2-D weight gets TYPE; norms and biases stay as they are; metadata is copied.\n"
      "TYPE: f32 f16 bf16 q4_0 q4_1 q5_0 q5_1 q8_0 q4_k q5_k q6_k, or the mixes q4_k_m / q5_k_m\n"
      "(output.weight and the attn_v / ffn_down of a third of the layers in Q6_K, as llama.cpp's mixes).\n"
      "K-quants search each sub-block's scale for the least squared error. A row length that is not a\n"
      "multiple of the type's block falls back to Q5_0/Q5_1/Q8_0 (K types) or F16.";
  command.options = {{"--threads", 't', "N", "threads (default: all)"}};
  command.min_positionals = 3;
  command.max_positionals = 3;
  command.run = [](const ParsedArgs& args, CommandContext& ctx) -> Status {
    const std::string& in = args.positionals()[0];
    const std::string& out = args.positionals()[1];
    REVAL_ASSIGN_OR_RETURN(const quantize::QuantizePlan plan, quantize::parse_quantize_plan(args.positionals()[2]));
    REVAL_ASSIGN_OR_RETURN(const std::optional<std::int64_t> threads, args.int_value("--threads"));
    const auto start = std::chrono::steady_clock::now();
    REVAL_ASSIGN_OR_RETURN(const quantize::QuantizeStats stats,
                           quantize::quantize_model(in, out, plan, static_cast<int>(threads.value_or(0))));
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::fprintf(ctx.out, "wrote %s: %s, %d tensors (%d converted, %d with a fallback type), %s -> %s in %s\n",
                 out.c_str(), plan.name.c_str(), stats.n_tensors, stats.n_quantized, stats.n_fallback,
                 format_bytes(stats.bytes_in).c_str(), format_bytes(stats.bytes_out).c_str(),
                 format_duration(seconds).c_str());
    return Status::ok_status();
  };
  return command;
}

}  // namespace reval::cli
