// The registry of published reference scores (reports/published_scores.json, embedded in the binary):
// what model authors reported for a model on a benchmark, with the source of each number. Reports show
// them as reference markers beside measured scores.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"

namespace reval::reports {

struct PublishedScore {
  std::string model;    // the registry's model name, e.g. "DeepSeek-R1-Distill-Qwen-1.5B"
  std::string suite;    // reval suite name, e.g. "aime24"
  std::string metric;   // "pass@1", "cons@64"
  double value = 0;     // a fraction in [0, 1]
  std::string source;   // "DeepSeek-R1 README, section 4 (Evaluation Results)"
  std::string url;
  std::string note;     // protocol details that matter for comparing, e.g. "k=64, T=0.6"
};

class PublishedScores {
 public:
  // Parses the registry JSON (see reports/published_scores.json for the shape); errors name `origin`.
  static Result<PublishedScores> parse(const std::string& json_text, const std::string& origin);
  // The registry built into reval.
  static const PublishedScores& builtin();

  // Scores for the model that `model_name` (API model name) or `model_file` (GGUF path) identifies,
  // on `suite` (matched against the suite's aliases). Empty when the model is unknown.
  std::vector<PublishedScore> find(const std::string& model_name, const std::string& model_file,
                                   const std::string& suite) const;

  std::size_t size() const { return scores_.size(); }

 private:
  struct ModelEntry {
    std::string name;
    std::vector<std::string> aliases;  // normalized (lower-case alphanumerics only)
  };
  struct SuiteEntry {
    std::string name;
    std::vector<std::string> aliases;  // normalized
  };
  std::vector<ModelEntry> models_;
  std::vector<SuiteEntry> suites_;
  std::vector<PublishedScore> scores_;
};

// Lower-case alphanumerics only, so "DeepSeek-R1-Distill-Qwen-1.5B" and "deepseek_r1_distill_qwen_15b" match.
std::string normalize_model_key(const std::string& text);

}  // namespace reval::reports
