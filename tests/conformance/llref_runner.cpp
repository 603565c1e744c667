#include "tests/conformance/llref_runner.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <mutex>

#include <nlohmann/json.hpp>

#include "tests/support/test_support.h"

namespace reval::test {
namespace {

std::string trim_newline(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

std::string join_ids(const std::vector<std::int32_t>& ids) {
  std::string out;
  for (std::int32_t id : ids) out += (out.empty() ? "" : ",") + std::to_string(id);
  return out;
}

}  // namespace

std::string llref_dir(std::string* why) {
  static std::once_flag once;
  static std::string dir;
  static std::string reason;
  std::call_once(once, [] {
    if (shared_data_dir().empty()) {
      reason = "../shared/data is not available";
      return;
    }
    const std::string tools = shared_data_dir() + "/../tools/llref";
    const std::string script = source_dir() + "/tests/conformance/setup_llref.sh";
    const CommandResult r = run_command("bash", {script, tools}, "", {}, 1200);
    if (r.exit_code != 0) {
      reason = "installing node-llama-cpp failed (exit " + std::to_string(r.exit_code) + "): " + r.err.substr(0, 400);
      return;
    }
    dir = trim_newline(r.out);
  });
  if (why != nullptr) *why = reason;
  return dir;
}

ReferenceRun run_reference(const std::string& llref, const std::string& model, const std::string& prompt,
                           const std::vector<std::int32_t>& tokens, int n_steps, int top_k) {
  TempDir tmp;
  const std::string json_path = tmp.file("ref.json");
  std::vector<std::string> args = {llref + "/llref.mjs", "--model", model, "--n", std::to_string(n_steps),
                                   "--threads", "1", "--topk", std::to_string(top_k), "--json", json_path,
                                   "--quiet"};
  if (!tokens.empty()) {
    args.insert(args.end(), {"--tokens", join_ids(tokens)});
  } else {
    args.insert(args.end(), {"--prompt", prompt});
  }
  const CommandResult r = run_command("node", args, "", {}, 600);
  INFO("llref: " << r.err.substr(0, 2000));
  REQUIRE(r.exit_code == 0);
  const auto doc = nlohmann::json::parse(read_text_file(json_path));
  ReferenceRun run;
  for (const auto& id : doc.at("promptTokens")) run.prompt_tokens.push_back(id.get<std::int32_t>());
  for (const auto& step : doc.at("steps")) {
    ReferenceStep s;
    s.token = step.at("token").get<std::int32_t>();
    for (const auto& pair : step.at("top")) s.top.emplace_back(pair.at(0).get<std::int32_t>(), pair.at(1).get<double>());
    run.steps.push_back(std::move(s));
  }
  return run;
}

std::string cached_model(const std::string& name, const std::string& make_command) {
  const std::string dir = build_dir() + "/conformance-models";
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/" + name;
  if (std::filesystem::exists(path)) return path;
  const std::string partial = path + ".partial";
  const CommandResult r = run_command("bash", {"-c", make_command}, "", {"OUT=" + partial}, 900);
  INFO("making " << name << ": " << r.out.substr(0, 1000) << r.err.substr(0, 2000));
  REQUIRE(r.exit_code == 0);
  std::filesystem::rename(partial, path);
  return path;
}

}  // namespace reval::test
