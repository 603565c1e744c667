// --cache DIR: completions keyed by request hash, so an identical request (same backend, model,
// messages, sampling, seed) is answered from disk. One file per entry, DIR/<hash[0:2]>/<hash>.json,
// written atomically; only successful completions are cached. Safe to share between processes.
#pragma once

#include <optional>
#include <string>

#include "common/result.h"
#include "harness/backend.h"

namespace reval::harness {

class RequestCache {
 public:
  // Creates the folder when missing; io_error when it cannot.
  static Result<RequestCache> open(const std::string& dir);

  // The cached completion for `request`, re-labelled with its problem id and sample; nullopt on a miss
  // or an unreadable entry (a damaged entry is a miss, not an error).
  std::optional<Completion> lookup(const Request& request) const;
  Status store(const Completion& completion) const;

  std::size_t n_hits() const { return n_hits_; }

 private:
  explicit RequestCache(std::string dir) : dir_(std::move(dir)) {}
  std::string path_for(const std::string& hash) const;

  std::string dir_;
  mutable std::size_t n_hits_ = 0;
};

}  // namespace reval::harness
