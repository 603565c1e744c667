// `reval equiv`: checks the math grader from outside, on one pair or on a JSONL file of pairs.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "graders/math_grader.h"
#include "harness/cli/commands.h"

namespace reval::cli {
namespace {

Result<bool> mode_is_fulltext(const std::string& mode, const std::string& where) {
  if (mode == "fulltext") return true;
  if (mode == "extracted") return false;
  return usage_error(where + ": mode must be 'extracted' or 'fulltext', got '" + mode + "'");
}

// One output line for one input line; malformed input gives an error line, never an abort.
std::string equiv_line(const std::string& line, size_t line_number, bool default_fulltext) {
  nlohmann::json out;
  std::string where = "line " + std::to_string(line_number);
  nlohmann::json row = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (row.is_discarded() || !row.is_object()) {
    out["error"] = where + ": not a JSON object";
    return out.dump();
  }
  if (!row.contains("gold") || !row["gold"].is_string() || !row.contains("pred") || !row["pred"].is_string()) {
    out["error"] = where + ": fields 'gold' and 'pred' must be strings";
    return out.dump();
  }
  bool pred_fulltext = default_fulltext;
  bool gold_fulltext = false;
  for (const char* field : {"mode", "gold_mode"}) {
    if (!row.contains(field) || row[field].is_null()) continue;
    if (!row[field].is_string()) {
      out["error"] = where + ": field '" + field + "' must be a string";
      return out.dump();
    }
    Result<bool> fulltext = mode_is_fulltext(row[field].get<std::string>(), where + ": " + field);
    if (!fulltext.ok()) {
      out["error"] = fulltext.status().message();
      return out.dump();
    }
    (std::string(field) == "mode" ? pred_fulltext : gold_fulltext) = fulltext.value();
  }
  graders::AnswerComparison result = graders::compare_answers(row["gold"].get<std::string>(),
                                                              row["pred"].get<std::string>(), gold_fulltext,
                                                              pred_fulltext);
  out["equivalent"] = result.equivalent;
  out["reason"] = result.reason;
  out["gold_canonical"] = result.gold_canonical;
  out["pred_canonical"] = result.pred_canonical;
  out["pred_extracted"] = result.pred_extracted;
  out["rule"] = result.pred_rule;
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Status run_jsonl(const std::string& path, bool fulltext, CommandContext& ctx) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (path != "-") {
    file.open(path);
    if (!file) return invalid_input_error(path + ": cannot open");
    in = &file;
  }
  std::string line;
  size_t line_number = 0;
  while (std::getline(*in, line)) {
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    std::string out = equiv_line(line, line_number, fulltext);
    std::fprintf(ctx.out, "%s\n", out.c_str());
  }
  return Status::ok_status();
}

}  // namespace

Command equiv_command() {
  Command command;
  command.name = "equiv";
  command.summary = "Check whether two math answers are equivalent (the math grader)";
  command.usage = "reval equiv GOLD PRED | reval equiv --jsonl FILE [--mode extracted|fulltext]";
  command.description =
      "With two answers, prints true or false and the canonical forms of both.\n"
      "With --jsonl, reads one {\"gold\":...,\"pred\":...} object per line (FILE may be -) and writes one\n"
      "{\"equivalent\":...,\"reason\":...,\"gold_canonical\":...,\"pred_canonical\":...} line per input line, in\n"
      "order. --mode fulltext extracts the answer from pred first; per-row \"mode\" and \"gold_mode\"\n"
      "fields override it. A malformed line yields an {\"error\":...} line.";
  command.options = {
      {"--jsonl", 0, "FILE", "read pairs from a JSONL file (- for stdin)"},
      {"--mode", 0, "MODE", "extracted (default) or fulltext: how to read pred"},
  };
  command.min_positionals = 0;
  command.max_positionals = 2;
  command.run = [](const ParsedArgs& args, CommandContext& ctx) -> Status {
    Result<bool> fulltext = mode_is_fulltext(args.value_or("--mode", "extracted"), "--mode");
    if (!fulltext.ok()) return fulltext.status();
    if (args.has("--jsonl")) {
      if (!args.positionals().empty()) return usage_error("give either --jsonl FILE or GOLD PRED, not both");
      return run_jsonl(*args.value("--jsonl"), fulltext.value(), ctx);
    }
    if (args.positionals().size() != 2) return usage_error("expected GOLD and PRED (or --jsonl FILE)");
    graders::AnswerComparison result =
        graders::compare_answers(args.positionals()[0], args.positionals()[1], false, fulltext.value());
    std::fprintf(ctx.out, "%s\ngold: %s\npred: %s\n", result.equivalent ? "true" : "false",
                 result.gold_canonical.c_str(), result.pred_canonical.c_str());
    return Status::ok_status();
  };
  return command;
}

}  // namespace reval::cli
