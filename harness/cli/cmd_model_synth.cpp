// `reval model synth`: a random-weight GGUF with a real architecture shape and a real vocab.
#include <chrono>
#include <cstdio>

#include "common/strings.h"
#include "engine/synth/model_shapes.h"
#include "engine/synth/synthesize.h"
#include "harness/cli/commands.h"

namespace reval::cli {

Command model_synth_command() {
  Command command;
  command.name = "model synth";
  command.summary = "Write a random-weight GGUF model with a real architecture shape and vocab";
  command.usage =
      "reval model synth --shape SHAPE --vocab VOCAB.gguf -o OUT.gguf [--arch qwen2|llama] [--type TYPE] [--seed S]";
  command.description =
      "Weights are Gaussian with scaled init (1/sqrt(fan-in), residual branches scaled by 1/sqrt(2 layers),\n"
      "logits of std ~3), deterministic for a seed whatever the thread count. Tokenizer metadata is copied\n"
      "from VOCAB.gguf (e.g. ../shared/data/gguf/ggml-vocab-qwen2.gguf). r1-distill-* shapes get the\n"
      "DeepSeek-R1 special tokens, BOS and chat template. TYPE as for `model quantize` (default f32).\n"
      "Shapes: " + synth::model_shape_names() + ".";
  command.options = {
      {"--shape", 0, "SHAPE", "architecture shape (see above)"},
      {"--arch", 0, "ARCH", "qwen2 or llama (default: the shape's)"},
      {"--vocab", 0, "FILE", "GGUF to copy tokenizer.* metadata from"},
      {"--type", 0, "TYPE", "weight type (default f32)"},
      {"--seed", 0, "S", "random seed (default 1)"},
      {"--output", 'o', "FILE", "output GGUF"},
      {"--layers", 0, "N", "override the layer count (real widths, fewer layers)"},
      {"--r1", 0, "", "force the DeepSeek-R1 flavour"},
      {"--no-r1", 0, "", "disable the DeepSeek-R1 flavour"},
      {"--tied", 0, "", "tie the output matrix to the token embedding"},
      {"--untied", 0, "", "give the model its own output.weight"},
      {"--threads", 't', "N", "threads (default: all)"},
  };
  command.run = [](const ParsedArgs& args, CommandContext& ctx) -> Status {
    synth::SynthOptions options;
    if (!args.has("--shape")) return usage_error("--shape is required (one of: " + synth::model_shape_names() + ")");
    if (!args.has("--vocab")) return usage_error("--vocab FILE.gguf is required (a GGUF with tokenizer metadata)");
    if (!args.has("--output")) return usage_error("-o OUT.gguf is required");
    options.shape = *args.value("--shape");
    options.vocab_path = *args.value("--vocab");
    options.out = *args.value("--output");
    options.arch = args.value_or("--arch", "");
    options.type = args.value_or("--type", "f32");
    REVAL_ASSIGN_OR_RETURN(const std::optional<std::int64_t> seed, args.int_value("--seed"));
    REVAL_ASSIGN_OR_RETURN(const std::optional<std::int64_t> layers, args.int_value("--layers"));
    REVAL_ASSIGN_OR_RETURN(const std::optional<std::int64_t> threads, args.int_value("--threads"));
    if (seed && *seed < 0) return usage_error("--seed must be >= 0");
    options.seed = static_cast<std::uint64_t>(seed.value_or(1));
    if (layers) options.n_layers = static_cast<int>(*layers);
    options.n_threads = static_cast<int>(threads.value_or(0));
    if (args.has("--r1") && args.has("--no-r1")) return usage_error("--r1 and --no-r1 contradict each other");
    if (args.has("--r1")) options.r1 = true;
    if (args.has("--no-r1")) options.r1 = false;
    if (args.has("--tied") && args.has("--untied")) return usage_error("--tied and --untied contradict each other");
    if (args.has("--tied")) options.tied = true;
    if (args.has("--untied")) options.tied = false;
    const auto start = std::chrono::steady_clock::now();
    REVAL_ASSIGN_OR_RETURN(const synth::SynthSummary summary, synth::synthesize_model(options));
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::fprintf(ctx.out, "wrote %s: %s %s, %.1f M parameters, vocab %zu, %d tensors, %s of weights (%s) in %s\n",
                 options.out.c_str(), summary.arch.c_str(), options.shape.c_str(),
                 static_cast<double>(summary.n_params) / 1e6, summary.n_vocab, summary.n_tensors,
                 format_bytes(summary.n_bytes).c_str(), options.type.c_str(), format_duration(seconds).c_str());
    return Status::ok_status();
  };
  return command;
}

}  // namespace reval::cli
