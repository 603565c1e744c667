// File helpers: whole-file reads, atomic writes (temp file + rename), and read-only mmap.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace reval {

// Reads a whole file; errors name the path.
Result<std::string> read_file(const std::string& path);

// Writes `contents` to `path` through "path.tmp-<pid>" + fsync + rename, so readers never see a
// partial file. Creates no directories.
Status write_file_atomic(const std::string& path, std::string_view contents);

// A read-only memory map of a whole file. Move-only; unmaps on destruction.
class MappedFile {
 public:
  static Result<MappedFile> open(const std::string& path);

  MappedFile() = default;
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  const std::uint8_t* data() const { return data_; }
  std::size_t size() const { return size_; }
  const std::string& path() const { return path_; }

  // Drops the process's copies of the whole pages inside [begin, begin + len) (a range of data());
  // the file stays mapped and a later read faults them back in. For contents the caller has
  // copied elsewhere, so they stop counting twice in the resident set.
  void release_pages(const std::uint8_t* begin, std::size_t len) const;

 private:
  void reset();

  const std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
  std::string path_;
};

}  // namespace reval
