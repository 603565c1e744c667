#include "harness/swe_suite.h"

#include <filesystem>
#include <system_error>

#include "common/strings.h"
#include "datasets/load.h"
#include "graders/swe/oracle_prompt.h"
#include "graders/swe/work_tree.h"

namespace reval::harness {

namespace swe = reval::graders::swe;
namespace fs = std::filesystem;

Result<std::vector<swe::SweInstance>> load_swe_instances(const std::string& name_or_path, bool offline) {
  std::error_code ec;
  if (fs::exists(name_or_path, ec)) return swe::load_instances(name_or_path);
  if (name_or_path.find('/') != std::string::npos || name_or_path.find(".json") != std::string::npos) {
    return not_found_error(name_or_path + ": no such file (expected a .jsonl, .jsonl.gz or .json instances file)");
  }
  datasets::LoadOptions options;
  options.offline = offline;
  REVAL_ASSIGN_OR_RETURN(std::vector<datasets::Problem> problems, datasets::load_dataset(name_or_path, options));
  std::vector<swe::SweInstance> instances;
  for (const datasets::Problem& problem : problems) {
    nlohmann::json row = problem.meta;
    row["instance_id"] = problem.id;
    row["problem_statement"] = problem.problem;
    Result<swe::SweInstance> inst = swe::parse_instance(row);
    if (!inst.ok()) return inst.status().with_context(name_or_path);
    instances.push_back(std::move(inst).value());
  }
  if (instances.empty()) return invalid_input_error(name_or_path + ": no instances");
  return instances;
}

std::string resolve_swe_dataset(const std::string& dataset, const std::string& repos_dir) {
  if (dataset.find("{repos}") == std::string::npos) return dataset;
  return fs::path(replace_all(dataset, "{repos}", repos_dir)).lexically_normal().string();
}

Result<SweProblems> build_swe_problems(const std::vector<swe::SweInstance>& instances, const std::string& user_template,
                                       const std::string& repos_dir, const std::string& cache_dir) {
  SweProblems out;
  for (const swe::SweInstance& instance : instances) {
    Result<std::string> mirror = swe::resolve_mirror(instance, repos_dir, cache_dir);
    if (!mirror.ok()) return mirror.status().with_context(instance.instance_id);
    REVAL_ASSIGN_OR_RETURN(std::vector<swe::OracleFile> files, swe::read_oracle_files(instance, *mirror));
    std::vector<std::string> paths;
    for (const swe::OracleFile& file : files) paths.push_back(file.path);
    datasets::Problem problem;
    problem.id = instance.instance_id;
    problem.problem = instance.problem_statement;
    problem.meta = {{"repo", instance.repo},
                    {"base_commit", instance.base_commit},
                    {"version", instance.version},
                    {"retrieval", swe::kOracleRetrieval},
                    {"oracle_files", paths},
                    {"FAIL_TO_PASS", instance.fail_to_pass},
                    {"PASS_TO_PASS", instance.pass_to_pass}};
    datasets::Problem prompt = problem;
    prompt.problem = swe::render_oracle_prompt(user_template, instance, files);
    out.problems.push_back(std::move(problem));
    out.prompts.push_back(std::move(prompt));
  }
  return out;
}

}  // namespace reval::harness
