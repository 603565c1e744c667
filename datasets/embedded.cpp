#include "datasets/embedded.h"

namespace reval::datasets {

const EmbeddedFile* find_embedded_file(std::string_view path) {
  for (const EmbeddedFile& file : embedded_files()) {
    if (file.path == path) return &file;
  }
  return nullptr;
}

}  // namespace reval::datasets
