// Problem: one row of a dataset in reval's schema (id, problem, answer, free meta).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace reval::datasets {

struct Problem {
  std::string id;       // unique within the dataset; stable across runs (used as the run-store key)
  std::string problem;  // the statement shown to the model
  std::string answer;   // the gold answer (LaTeX or plain text; for SWE suites, empty)
  nlohmann::json meta = nlohmann::json::object();  // everything else from the row (subject, level, url, ...)
};

}  // namespace reval::datasets
