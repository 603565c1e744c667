#include "harness/swe_grading.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/files.h"
#include "common/sha256.h"
#include "common/strings.h"
#include "graders/swe/patch_files.h"
#include "graders/swe/response_grading.h"
#include "graders/swe/oracle_prompt.h"

namespace reval::harness {
namespace {

namespace swe = reval::graders::swe;
using nlohmann::json;
using VerdictMap = std::map<std::pair<std::string, int>, json>;

// Parses swe_results.jsonl. A last line without its newline or not valid JSON is a torn write: dropped,
// and its length is left out of *valid_bytes so the writer can cut it off.
Result<VerdictMap> parse_results(const std::string& contents, const std::string& path, std::size_t* valid_bytes) {
  VerdictMap rows;
  std::size_t pos = 0, line_number = 0;
  *valid_bytes = 0;
  while (pos < contents.size()) {
    const std::size_t end = contents.find('\n', pos);
    const bool last = end == std::string::npos || end + 1 == contents.size();
    ++line_number;
    const std::string line = contents.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    json row = json::parse(line, nullptr, false);
    const bool valid = !row.is_discarded() && row.is_object() && row.contains("problem_id") &&
                       row["problem_id"].is_string() && row.contains("sample") && row["sample"].is_number_integer() &&
                       row.contains("swe") && row["swe"].is_object();
    if (end == std::string::npos || !valid) {
      if (last) break;
      return invalid_input_error(path + ":" + std::to_string(line_number) + ": not a verdict line");
    }
    std::pair<std::string, int> key{row["problem_id"].get<std::string>(), row["sample"].get<int>()};
    rows[std::move(key)] = std::move(row);
    pos = end + 1;
    *valid_bytes = pos;
  }
  return rows;
}

Result<std::string> read_if_exists(const std::string& path) {
  if (::access(path.c_str(), F_OK) != 0) return std::string();
  return read_file(path);
}

}  // namespace

Result<std::unique_ptr<SweResults>> SweResults::open(const std::string& dir) {
  std::unique_ptr<SweResults> results(new SweResults());
  results->path_ = dir + "/" + kSweResultsJsonl;
  REVAL_ASSIGN_OR_RETURN(std::string contents, read_if_exists(results->path_));
  std::size_t valid_bytes = 0;
  REVAL_ASSIGN_OR_RETURN(results->rows_, parse_results(contents, results->path_, &valid_bytes));
  results->fd_ = ::open(results->path_.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (results->fd_ < 0) return errno_error("open " + results->path_, errno);
  if (valid_bytes < contents.size() && ::ftruncate(results->fd_, static_cast<off_t>(valid_bytes)) != 0) {
    return errno_error("cut the torn last line of " + results->path_, errno);
  }
  return results;
}

SweResults::~SweResults() {
  if (fd_ >= 0) ::close(fd_);
}

Result<VerdictMap> SweResults::read(const std::string& dir) {
  const std::string path = dir + "/" + kSweResultsJsonl;
  REVAL_ASSIGN_OR_RETURN(std::string contents, read_if_exists(path));
  std::size_t valid_bytes = 0;
  return parse_results(contents, path, &valid_bytes);
}

bool SweResults::is_graded(const Completion& completion) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto found = rows_.find({completion.problem_id, completion.sample});
  if (found == rows_.end()) return false;
  const json& row = found->second;
  return row.value("request_hash", "") == completion.request_hash && row["swe"].value("outcome", "") != "error";
}

Status SweResults::append(const std::string& problem_id, int sample, const std::string& request_hash, const json& swe) {
  json row = {{"problem_id", problem_id}, {"sample", sample}, {"request_hash", request_hash}, {"swe", swe}};
  const std::string line = row.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
  std::lock_guard<std::mutex> lock(mutex_);
  // One write(2) on an O_APPEND descriptor, as samples.jsonl: a crash leaves at most a torn last line.
  std::size_t written = 0;
  while (written < line.size()) {
    const ssize_t n = ::write(fd_, line.data() + written, line.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno_error("append to " + path_, errno);
    written += static_cast<std::size_t>(n);
  }
  rows_[{problem_id, sample}] = std::move(row);
  return Status::ok_status();
}

VerdictMap SweResults::verdicts() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return rows_;
}

SweGradingPool::SweGradingPool(const std::vector<swe::SweInstance>& instances, swe::EvalOptions options,
                               std::string model_name, int n_workers, SweResults& results,
                               const std::atomic<bool>& stop, std::FILE* progress_out)
    : options_(std::move(options)),
      model_name_(std::move(model_name)),
      results_(results),
      stop_(stop),
      progress_out_(progress_out) {
  for (const swe::SweInstance& instance : instances) instances_[instance.instance_id] = &instance;
  for (int slot = 0; slot < std::max(1, n_workers); ++slot) workers_.emplace_back([this, slot] { work(slot); });
}

SweGradingPool::~SweGradingPool() { finish().ignore(); }

void SweGradingPool::submit(const Completion& completion) {
  if (completion.finish_reason == "error" || instances_.count(completion.problem_id) == 0) return;
  std::lock_guard<std::mutex> lock(mutex_);
  if (results_.is_graded(completion)) {
    ++counts_.n_skipped;
    return;
  }
  queue_.push_back(completion);
  wake_.notify_one();
}

Status SweGradingPool::finish() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
    wake_.notify_all();
  }
  for (std::thread& worker : workers_) {
    if (worker.joinable()) worker.join();
  }
  std::lock_guard<std::mutex> lock(mutex_);
  counts_.n_left += queue_.size();
  queue_.clear();
  return status_;
}

SweGradingCounts SweGradingPool::counts() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return counts_;
}

void SweGradingPool::work(int slot) {
  for (;;) {
    Completion completion;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      // Polls `stop` (set from a signal handler, which cannot notify) while waiting.
      while (queue_.empty() && !closed_ && !stop_.load()) wake_.wait_for(lock, std::chrono::milliseconds(100));
      if (stop_.load() || queue_.empty()) return;
      completion = std::move(queue_.front());
      queue_.pop_front();
    }
    const swe::SweInstance& instance = *instances_.at(completion.problem_id);
    swe::EvalOptions options = options_;
    // Per-sample report folders: OUT/swe/sample-<k>/<instance_id>/report.json.
    if (!options.out_dir.empty()) options.out_dir += "/sample-" + std::to_string(completion.sample);
    const swe::ResponseVerdict verdict = swe::grade_response(instance, completion.text, model_name_, options, slot);
    json swe = swe::verdict_json(verdict);
    if (verdict.result.reason == "no_diff" && completion.finish_reason == "length") {
      // Cut by max_tokens before any diff (often inside the thinking): say so rather than "no diff".
      swe["reason"] = "truncated";
      swe["detail"] = "the response hit max_tokens before a diff";
    }
    std::vector<std::string> files;
    for (const swe::PatchFile& file : swe::patch_files(verdict.extracted.diff)) files.push_back(file.path());
    swe["files"] = files;
    swe["diff_sha256"] = verdict.extracted.found ? sha256_hex(verdict.extracted.diff) : "";
    swe["retrieval"] = swe::kOracleRetrieval;
    Status appended = results_.append(completion.problem_id, completion.sample, completion.request_hash, swe);
    std::lock_guard<std::mutex> lock(mutex_);
    if (!appended.ok() && status_.ok()) status_ = appended;
    ++counts_.n_graded;
    if (progress_out_ != nullptr) {
      const swe::InstanceResult& r = verdict.result;
      std::fprintf(progress_out_, "  swe %-40s #%-2d %-12s %s%s%s\n", completion.problem_id.c_str(), completion.sample,
                   std::string(swe::outcome_name(r.outcome)).c_str(), r.reason.c_str(), r.detail.empty() ? "" : ": ",
                   r.detail.substr(0, 80).c_str());
    }
  }
}

std::map<std::pair<std::string, int>, ExternalGrade> swe_external_grades(const VerdictMap& verdicts) {
  std::map<std::pair<std::string, int>, ExternalGrade> grades;
  for (const auto& [key, row] : verdicts) {
    const json& swe = row["swe"];
    ExternalGrade grade;
    grade.grade.correct = swe.value("resolved", false);
    grade.grade.extracted = join(swe.value("files", std::vector<std::string>{}), " ");
    grade.grade.canonical = swe.value("diff_sha256", "").substr(0, 16);
    grade.grade.reason = swe.value("reason", "");
    grade.grade.rule = swe.value("diff_source", "");
    grade.extra = {{"swe", swe}};
    grades.emplace(key, std::move(grade));
  }
  return grades;
}

json swe_outcome_breakdown(const VerdictMap& verdicts, const std::vector<Completion>& samples, int k) {
  json counts = {{"resolved", 0}, {"unresolved", 0}, {"patch_failed", 0}, {"error", 0}, {"empty_patch", 0}};
  std::size_t n_ungraded = 0;
  for (const Completion& c : samples) {
    if (c.sample >= k || c.finish_reason == "error") continue;
    const auto found = verdicts.find({c.problem_id, c.sample});
    if (found == verdicts.end()) {
      ++n_ungraded;
      continue;
    }
    const std::string outcome = found->second["swe"].value("outcome", "error");
    counts[outcome] = counts.value(outcome, 0) + 1;
  }
  return {{"retrieval", swe::kOracleRetrieval}, {"outcomes", counts}, {"ungraded", n_ungraded}};
}

std::string format_swe_breakdown(const json& breakdown) {
  const json& o = breakdown["outcomes"];
  std::string line = "  swe outcomes: " + std::to_string(o.value("resolved", 0)) + " resolved, " +
                     std::to_string(o.value("unresolved", 0)) + " unresolved, " +
                     std::to_string(o.value("patch_failed", 0)) + " patch failed, " +
                     std::to_string(o.value("error", 0)) + " error, " + std::to_string(o.value("empty_patch", 0)) +
                     " empty";
  const std::size_t ungraded = breakdown.value("ungraded", std::size_t{0});
  if (ungraded > 0) line += ", " + std::to_string(ungraded) + " not graded yet";
  return line + " (" + breakdown.value("retrieval", "") + " retrieval)\n";
}

ScoredRun score_swe_run(ScoringInput& input, const std::map<std::pair<std::string, int>, json>& verdicts, int k) {
  const auto external = swe_external_grades(verdicts);
  input.external_grades = &external;
  ScoredRun scored = score_run(input);
  input.external_grades = nullptr;
  scored.summary["swe"] = swe_outcome_breakdown(verdicts, input.samples, k);
  return scored;
}

}  // namespace reval::harness
