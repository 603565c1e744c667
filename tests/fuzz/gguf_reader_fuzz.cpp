// libFuzzer target for the GGUF reader: any byte string must parse or fail with a Status, never
// crash, hang or read out of bounds. When it parses, every lookup path is exercised too.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "engine/gguf/reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Copy into an exactly-sized allocation so AddressSanitizer catches a read one byte past the end.
  std::vector<std::uint8_t> bytes(data, data + size);
  auto file = reval::gguf::GgufFile::parse(bytes, "fuzz.gguf");
  if (!file.ok()) return 0;
  std::uint64_t sink = 0;
  for (const reval::gguf::GgufKeyValue& kv : file->metadata()) {
    sink += kv.value.to_display_string().size();
    (void)file->get_u32(kv.key);
    (void)file->get_f32(kv.key);
    (void)file->get_string(kv.key);
    (void)file->get_string_array(kv.key);
    auto floats = file->get_array<float>(kv.key);
    if (floats.ok()) sink += floats->size();
    auto ints = file->get_array<std::int32_t>(kv.key);
    if (ints.ok()) sink += ints->size();
  }
  for (const reval::gguf::GgufTensorInfo& t : file->tensors()) {
    // Touch the first and last byte of every tensor: they must lie inside the buffer.
    if (t.n_bytes > 0) sink += t.data[0] + t.data[t.n_bytes - 1];
  }
  return static_cast<int>(sink & 0);
}
