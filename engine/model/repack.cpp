// Load-time repacking of Q8_0, Q4_K and Q6_K matrices into the interleaved layouts (see interleave_weights in model.h).
#include <sys/mman.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "engine/kernels/interleaved.h"
#include "engine/model/model.h"

namespace reval::engine {
namespace {

// MemAvailable from /proc/meminfo in bytes; 0 when unknown.
std::size_t available_memory() {
  std::FILE* f = std::fopen("/proc/meminfo", "r");
  if (f == nullptr) return 0;
  char line[256];
  std::size_t kib = 0;
  while (std::fgets(line, sizeof line, f) != nullptr) {
    if (std::sscanf(line, "MemAvailable: %zu kB", &kib) == 1) break;
  }
  std::fclose(f);
  return kib * 1024;
}

bool repacking_enabled() {
  const char* env = std::getenv("REVAL_REPACK");
  if (env != nullptr && std::strcmp(env, "0") == 0) return false;
  return kernels::active_kernel_isa() >= kernels::KernelIsa::kAvx512;
}

// Repacks `m` into dst in slices of 64 groups (1-2 MiB), releasing each slice's file pages once copied.
void interleave_matrix(const gguf::GgufFile& file, Matrix& m, std::uint8_t* dst) {
  const auto* src = static_cast<const std::uint8_t*>(m.data);
  const std::int64_t n_groups = m.rows / kernels::kGroupRows;
  const auto group_bytes = static_cast<std::size_t>(kernels::kGroupRows * m.row_bytes);
  constexpr std::int64_t kSliceGroups = 64;
  for (std::int64_t g0 = 0; g0 < n_groups; g0 += kSliceGroups) {
    const std::int64_t g1 = std::min(n_groups, g0 + kSliceGroups);
    kernels::interleave_rows(m.type, src, static_cast<std::size_t>(m.row_bytes), m.cols, g0, g1, dst);
    // From the page holding the slice's first byte: the page it shares with the previous slice
    // is released too (a neighbour's bytes just fault back in if read again).
    const std::uint8_t* begin = src + static_cast<std::size_t>(g0) * group_bytes;
    const std::size_t lead = reinterpret_cast<std::uintptr_t>(begin) % 4096;
    file.release_pages(begin - lead, static_cast<std::size_t>(g1 - g0) * group_bytes + lead);
  }
  m.data = dst;
  m.layout = kernels::interleaved_layout(m.type);
}

}  // namespace

std::int64_t interleave_weights(Model& model) {
  if (!repacking_enabled()) return 0;
  // Tied embeddings: the output matrix is token_embd, so token_embd is repacked (the embedding
  // lookup reads the repacked rows) and output re-pointed at it afterwards.
  std::vector<Matrix*> matrices;
  for (LayerWeights& l : model.layers) {
    for (Matrix* m : {&l.wq, &l.wk, &l.wv, &l.wo, &l.ffn_gate, &l.ffn_up, &l.ffn_down}) matrices.push_back(m);
  }
  matrices.push_back(model.tied_output ? &model.token_embd : &model.output);
  std::erase_if(matrices, [](const Matrix* m) {
    return !kernels::can_interleave(m->type, m->rows, m->cols) || m->layout != kernels::WeightLayout::kRows;
  });
  // One allocation for all of them: per-matrix allocations would each round up to a huge page.
  constexpr std::size_t kAlign = 64;
  std::size_t total = 0;
  for (const Matrix* m : matrices)
    total += (static_cast<std::size_t>(m->rows * m->row_bytes) + kAlign - 1) / kAlign * kAlign;
  if (total == 0) return 0;
  // The copy lives in anonymous memory: a model larger than RAM keeps the file layout, so it can
  // still run from the page cache instead of being killed for memory halfway through the copy.
  const std::size_t available = available_memory();
  if (available != 0 && total > available / 10 * 9) return 0;
  // 2 MiB-aligned and advised, so the kernels stream through transparent huge pages (fewer TLB misses).
  constexpr std::size_t kHugePage = std::size_t{2} << 20;
  const std::size_t rounded = (total + kHugePage - 1) / kHugePage * kHugePage;
  auto* arena = static_cast<std::uint8_t*>(std::aligned_alloc(kHugePage, rounded));
  if (arena == nullptr) return 0;  // no memory for a copy: the matrices keep the file's layout
  (void)::madvise(arena, rounded, MADV_HUGEPAGE);
  model.repacked.emplace_back(arena);
  std::size_t offset = 0;
  for (Matrix* m : matrices) {
    const auto bytes = static_cast<std::size_t>(m->rows * m->row_bytes);
    interleave_matrix(model.file, *m, arena + offset);
    offset += (bytes + kAlign - 1) / kAlign * kAlign;
  }
  if (model.tied_output) model.output = model.token_embd;
  return static_cast<std::int64_t>(total);
}

}  // namespace reval::engine
