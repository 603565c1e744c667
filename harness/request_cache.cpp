#include "harness/request_cache.h"

#include <filesystem>

#include "common/files.h"
#include "harness/sample_record.h"

namespace reval::harness {

Result<RequestCache> RequestCache::open(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return io_error("--cache " + dir + ": " + ec.message());
  return RequestCache(dir);
}

std::string RequestCache::path_for(const std::string& hash) const {
  return dir_ + "/" + hash.substr(0, 2) + "/" + hash + ".json";
}

std::optional<Completion> RequestCache::lookup(const Request& request) const {
  if (request.request_hash.size() < 8) return std::nullopt;
  std::error_code ec;
  const std::string path = path_for(request.request_hash);
  if (!std::filesystem::exists(path, ec)) return std::nullopt;
  Result<std::string> text = read_file(path);
  if (!text.ok()) return std::nullopt;
  nlohmann::json parsed = nlohmann::json::parse(*text, nullptr, false);
  if (parsed.is_discarded()) return std::nullopt;
  Result<Completion> completion = completion_from_json(parsed);
  if (!completion.ok() || completion->request_hash != request.request_hash) return std::nullopt;
  Completion out = std::move(completion).value();
  out.problem_id = request.problem_id;
  out.sample = request.sample;
  ++n_hits_;
  return out;
}

Status RequestCache::store(const Completion& completion) const {
  if (completion.finish_reason == "error" || completion.request_hash.size() < 8) return Status::ok_status();
  const std::string path = path_for(completion.request_hash);
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  if (ec) return io_error("--cache: create " + path + ": " + ec.message());
  return write_file_atomic(path, completion_to_json(completion).dump() + "\n");
}

}  // namespace reval::harness
