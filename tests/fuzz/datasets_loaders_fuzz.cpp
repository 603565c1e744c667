// libFuzzer target for the dataset loaders, gzip, the registry parser and --fields parsing
// (see datasets_loaders_fuzz_input.h for the input format).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "tests/fuzz/datasets_loaders_fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // An exactly-sized copy, so AddressSanitizer sees a read one byte past the end.
  const std::vector<std::uint8_t> bytes(data, data + size);
  reval::fuzz::run_datasets_loaders_input(bytes.data(), bytes.size());
  return 0;
}
