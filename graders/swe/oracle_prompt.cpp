#include "graders/swe/oracle_prompt.h"

#include <algorithm>
#include <array>

#include "graders/swe/patch_files.h"
#include "graders/swe/work_tree.h"

namespace reval::graders::swe {

Result<std::vector<OracleFile>> read_oracle_files(const SweInstance& instance, const std::string& mirror) {
  std::vector<OracleFile> files;
  for (const PatchFile& touched : patch_files(instance.patch)) {
    // The file as it is before the change: a created file (--- /dev/null) has no contents at base.
    if (touched.old_path.empty()) continue;
    const std::string& path = touched.old_path;
    if (std::any_of(files.begin(), files.end(), [&](const OracleFile& f) { return f.path == path; })) continue;
    // "commit:path" is an object name, not a file system path: git resolves it inside the repository.
    REVAL_ASSIGN_OR_RETURN(ProcessResult shown,
                           run_git({"--git-dir=" + mirror, "cat-file", "blob", instance.base_commit + ":" + path}, ""));
    if (shown.exit_code != 0) {
      return invalid_input_error(instance.instance_id + ": gold patch file " + path + " not found at base_commit " +
                                 instance.base_commit.substr(0, 12));
    }
    OracleFile file;
    file.path = path;
    file.binary = shown.output.find('\0') != std::string::npos;
    file.too_large = shown.output.size() > kMaxOracleFileBytes;
    if (!file.binary && !file.too_large) file.content = std::move(shown.output);
    files.push_back(std::move(file));
  }
  return files;
}

std::string render_oracle_files(const std::vector<OracleFile>& files) {
  std::string out;
  for (const OracleFile& file : files) {
    out += "[start of " + file.path + "]\n";
    if (file.binary) {
      out += "(binary file, contents not shown)\n";
    } else if (file.too_large) {
      out += "(file larger than " + std::to_string(kMaxOracleFileBytes >> 20) + " MiB, contents not shown)\n";
    } else {
      // Numbered lines (as in SWE-bench's prompts) help the model write hunk start lines.
      std::size_t pos = 0;
      int number = 1;
      while (pos < file.content.size()) {
        std::size_t end = file.content.find('\n', pos);
        if (end == std::string::npos) end = file.content.size();
        out += std::to_string(number++) + " ";
        out.append(file.content, pos, end - pos);
        out += "\n";
        pos = end + 1;
      }
    }
    out += "[end of " + file.path + "]\n";
  }
  return out;
}

std::string render_oracle_prompt(const std::string& user_template, const SweInstance& instance,
                                 const std::vector<OracleFile>& files) {
  const std::array<std::pair<std::string, std::string>, 4> values = {{
      {"{problem}", instance.problem_statement},
      {"{files}", render_oracle_files(files)},
      {"{repo}", instance.repo},
      {"{instance_id}", instance.instance_id},
  }};
  std::string out;
  std::size_t pos = 0;
  while (pos < user_template.size()) {
    const std::size_t brace = user_template.find('{', pos);
    if (brace == std::string::npos) break;
    out.append(user_template, pos, brace - pos);
    pos = brace;
    bool replaced = false;
    for (const auto& [name, value] : values) {
      if (user_template.compare(brace, name.size(), name) == 0) {
        out += value;
        pos = brace + name.size();
        replaced = true;
        break;
      }
    }
    if (!replaced) {
      out += '{';
      ++pos;
    }
  }
  out.append(user_template, pos, std::string::npos);
  return out;
}

}  // namespace reval::graders::swe
