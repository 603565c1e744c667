#include "harness/run_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <filesystem>

#include "common/files.h"
#include "common/log.h"
#include "common/sha256.h"

namespace reval::harness {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// The first place two settings objects differ, as "sampling.temperature: 0.6 before, 0.7 now".
std::string first_difference(const json& before, const json& now) {
  const json patch = json::diff(before, now);
  if (patch.empty()) return "settings hash";
  const json& op = patch[0];
  std::string path = op.value("path", "");
  if (!path.empty() && path[0] == '/') path.erase(0, 1);
  for (char& ch : path) {
    if (ch == '/') ch = '.';
  }
  const json::json_pointer pointer(op.value("path", ""));
  const std::string old_value = before.contains(pointer) ? before.at(pointer).dump() : "absent";
  const std::string new_value = now.contains(pointer) ? now.at(pointer).dump() : "absent";
  const auto shorten = [](std::string text) { return text.size() > 60 ? text.substr(0, 60) + "..." : text; };
  return path + ": " + shorten(old_value) + " before, " + shorten(new_value) + " now";
}

std::string compact_timestamp() {
  std::string stamp = utc_timestamp();
  std::string out;
  for (char ch : stamp) {
    if (ch != '-' && ch != ':') out.push_back(ch);
  }
  return out;
}

}  // namespace

std::string utc_timestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

std::string RunStore::settings_hash(const json& settings) { return sha256_hex(settings.dump()); }

Result<std::unique_ptr<RunStore>> RunStore::open(const std::string& dir, json run_json, bool force_new) {
  REVAL_CHECK(run_json.contains("settings"));
  auto store = std::unique_ptr<RunStore>(new RunStore());
  store->dir_ = dir;
  run_json["format_version"] = kRunFormatVersion;
  run_json["settings_hash"] = settings_hash(run_json["settings"]);
  const std::string run_path = dir + "/" + kRunJson;
  std::error_code ec;
  if (fs::exists(run_path, ec)) {
    REVAL_ASSIGN_OR_RETURN(std::string text, read_file(run_path));
    json old = json::parse(text, nullptr, false);
    if (old.is_discarded() || !old.is_object()) return invalid_input_error(run_path + ": not valid JSON");
    const bool same = old.value("settings_hash", "") == run_json["settings_hash"].get<std::string>();
    if (!same || force_new) {
      if (!force_new) {
        return invalid_input_error(
            "run folder " + dir + " was made with other settings (" +
            first_difference(old.value("settings", json::object()), run_json["settings"]) +
            "); use --out for a new folder, or --force-new to move the old run aside and start over");
      }
      const std::string aside = dir + ".replaced-" + compact_timestamp();
      fs::rename(dir, aside, ec);
      if (ec) return io_error("move " + dir + " to " + aside + ": " + ec.message());
      REVAL_LOG_WARN("--force-new: moved the old run to " + aside);
    } else {
      store->resumed_ = true;
      if (old.contains("started")) run_json["started"] = old["started"];
      if (old.contains("wall_time_s")) run_json["wall_time_s"] = old["wall_time_s"];
    }
  }
  fs::create_directories(dir, ec);
  if (ec) return io_error("create run folder " + dir + ": " + ec.message());
  if (!run_json.contains("started")) run_json["started"] = utc_timestamp();
  run_json["finished"] = nullptr;
  store->run_json_ = std::move(run_json);
  REVAL_RETURN_IF_ERROR(store->open_samples_file());
  REVAL_RETURN_IF_ERROR(write_file_atomic(run_path, store->run_json_.dump(2) + "\n"));
  return store;
}

Status RunStore::open_samples_file() {
  const std::string path = dir_ + "/" + kSamplesJsonl;
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) return errno_error("open " + path, errno);
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    return io_error("run folder " + dir_ + " is in use by another reval process");
  }
  REVAL_ASSIGN_OR_RETURN(existing_, read_samples(path));
  if (existing_.dropped_torn_line) {
    REVAL_LOG_WARN(path + ": dropped a torn last line (the previous run was killed mid-write)");
    if (::ftruncate(fd_, static_cast<off_t>(existing_.valid_bytes)) != 0) return errno_error("truncate " + path, errno);
  }
  for (const Completion& c : existing_.samples) {
    if (c.finish_reason != "error") done_.insert({c.problem_id, c.sample});
  }
  return Status::ok_status();
}

RunStore::~RunStore() {
  if (fd_ >= 0) ::close(fd_);
}

bool RunStore::is_done(const std::string& problem_id, int sample) const {
  return done_.count({problem_id, sample}) > 0;
}

Status RunStore::append(const Completion& completion) {
  std::string line = completion_to_json(completion).dump(-1, ' ', false, json::error_handler_t::replace);
  line.push_back('\n');
  // One write(2) on an O_APPEND descriptor: the line lands whole or (on a crash inside the call) as a
  // torn tail that the next open cuts off.
  std::size_t written = 0;
  while (written < line.size()) {
    const ssize_t n = ::write(fd_, line.data() + written, line.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_error("append to " + dir_ + "/" + kSamplesJsonl, errno);
    }
    written += static_cast<std::size_t>(n);
  }
  return Status::ok_status();
}

Status RunStore::update_run_json(const json& fields) {
  for (const auto& [key, value] : fields.items()) run_json_[key] = value;
  return write_file_atomic(dir_ + "/" + kRunJson, run_json_.dump(2) + "\n");
}

}  // namespace reval::harness
