#include "engine/kernels/type_traits.h"

#include <algorithm>
#include <array>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif
#include <cstdlib>
#include <cstring>
#include <string>
#if defined(__linux__) && defined(__x86_64__)
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "engine/kernels/amx.h"
#include "engine/kernels/avx2.h"
#include "engine/kernels/avx512.h"
#include "engine/kernels/blocks.h"
#include "engine/kernels/ref.h"

namespace reval::kernels {
namespace {

constexpr std::size_t kTableSize = 40;  // > the largest ggml type id we support (BF16 = 30)
using Table = std::array<TypeTraits, kTableSize>;

void put(Table& t, TypeTraits traits) { t[static_cast<std::size_t>(traits.type)] = traits; }

Table make_reference_table() {
  Table t{};
  using T = TensorType;
  put(t, {T::kF32, "f32", 1, 4, ref::dequantize_row_f32, ref::quantize_row_f32, T::kF32, ref::vec_dot_f32_f32});
  put(t, {T::kF16, "f16", 1, 2, ref::dequantize_row_f16, ref::quantize_row_f16, T::kF32, ref::vec_dot_f16_f32});
  put(t, {T::kBF16, "bf16", 1, 2, ref::dequantize_row_bf16, ref::quantize_row_bf16, T::kF32,
           ref::vec_dot_bf16_f32});
  put(t, {T::kQ4_0, "q4_0", kQK, sizeof(BlockQ4_0), ref::dequantize_row_q4_0, ref::quantize_row_q4_0, T::kQ8_0,
          ref::vec_dot_q4_0_q8_0});
  put(t, {T::kQ4_1, "q4_1", kQK, sizeof(BlockQ4_1), ref::dequantize_row_q4_1, ref::quantize_row_q4_1, T::kQ8_1,
          ref::vec_dot_q4_1_q8_1});
  put(t, {T::kQ5_0, "q5_0", kQK, sizeof(BlockQ5_0), ref::dequantize_row_q5_0, ref::quantize_row_q5_0, T::kQ8_0,
          ref::vec_dot_q5_0_q8_0});
  put(t, {T::kQ5_1, "q5_1", kQK, sizeof(BlockQ5_1), ref::dequantize_row_q5_1, ref::quantize_row_q5_1, T::kQ8_1,
          ref::vec_dot_q5_1_q8_1});
  put(t, {T::kQ8_0, "q8_0", kQK, sizeof(BlockQ8_0), ref::dequantize_row_q8_0, ref::quantize_row_q8_0, T::kQ8_0,
          ref::vec_dot_q8_0_q8_0});
  put(t, {T::kQ8_1, "q8_1", kQK, sizeof(BlockQ8_1), ref::dequantize_row_q8_1, ref::quantize_row_q8_1, T::kQ8_1,
          nullptr});
  put(t, {T::kQ4_K, "q4_K", kQK_K, sizeof(BlockQ4_K), ref::dequantize_row_q4_K, nullptr, T::kQ8_K,
          ref::vec_dot_q4_K_q8_K});
  put(t, {T::kQ5_K, "q5_K", kQK_K, sizeof(BlockQ5_K), ref::dequantize_row_q5_K, nullptr, T::kQ8_K,
          ref::vec_dot_q5_K_q8_K});
  put(t, {T::kQ6_K, "q6_K", kQK_K, sizeof(BlockQ6_K), ref::dequantize_row_q6_K, nullptr, T::kQ8_K,
          ref::vec_dot_q6_K_q8_K});
  put(t, {T::kQ8_K, "q8_K", kQK_K, sizeof(BlockQ8_K), ref::dequantize_row_q8_K, ref::quantize_row_q8_K, T::kQ8_K,
          nullptr});
  return t;
}

bool cpu_has_avx2() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  // clang 14 does not know "f16c" in __builtin_cpu_supports, so F16C is read from CPUID leaf 1 (ECX bit 29).
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  const bool has_f16c = __get_cpuid(1, &eax, &ebx, &ecx, &edx) != 0 && (ecx & (1u << 29)) != 0;
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && has_f16c;
#else
  return false;
#endif
}

// __builtin_cpu_supports checks CPUID and that the OS saves the zmm state (XGETBV), which is what
// AVX-512 needs besides the instructions.
bool cpu_has_avx512() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  return cpu_has_avx2() && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq") &&
         __builtin_cpu_supports("avx512vnni");
#else
  return false;
#endif
}

// AMX-TILE and AMX-INT8 (CPUID leaf 7, EDX bits 24 and 25), and Linux's permission to use the tile
// data state, which a process must request once (arch_prctl ARCH_REQ_XCOMP_PERM, XFEATURE_XTILEDATA).
bool cpu_has_amx() {
#if defined(__linux__) && defined(__x86_64__)
  if (!cpu_has_avx512()) return false;
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) == 0) return false;
  if ((edx & (1u << 24)) == 0 || (edx & (1u << 25)) == 0) return false;
  constexpr long kArchReqXcompPerm = 0x1023;
  constexpr long kXfeatureXtiledata = 18;
  return syscall(SYS_arch_prctl, kArchReqXcompPerm, kXfeatureXtiledata) == 0;
#else
  return false;
#endif
}

KernelIsa best_supported_isa() {
  if (cpu_has_amx()) return KernelIsa::kAmx;
  if (cpu_has_avx512()) return KernelIsa::kAvx512;
  if (cpu_has_avx2()) return KernelIsa::kAvx2;
  return KernelIsa::kScalar;
}

// REVAL_KERNELS caps the tier; unset or unknown values leave the CPU's best.
KernelIsa requested_isa() {
  const char* env = std::getenv("REVAL_KERNELS");
  if (env == nullptr) return KernelIsa::kAmx;
  if (std::strcmp(env, "scalar") == 0) return KernelIsa::kScalar;
  if (std::strcmp(env, "avx2") == 0) return KernelIsa::kAvx2;
  if (std::strcmp(env, "avx512") == 0) return KernelIsa::kAvx512;
  return KernelIsa::kAmx;
}

// Replaces the reference kernels that have AVX2 versions.
Table make_avx2_table() {
  Table t = make_reference_table();
  using T = TensorType;
  auto& f32 = t[static_cast<std::size_t>(T::kF32)];
  f32.vec_dot = avx2::vec_dot_f32_f32;
  auto& f16 = t[static_cast<std::size_t>(T::kF16)];
  f16.dequantize_row = avx2::dequantize_row_f16;
  f16.quantize_row = avx2::quantize_row_f16;
  f16.vec_dot = avx2::vec_dot_f16_f32;
  t[static_cast<std::size_t>(T::kBF16)].vec_dot = avx2::vec_dot_bf16_f32;
  t[static_cast<std::size_t>(T::kQ4_0)].vec_dot = avx2::vec_dot_q4_0_q8_0;
  t[static_cast<std::size_t>(T::kQ4_1)].vec_dot = avx2::vec_dot_q4_1_q8_1;
  t[static_cast<std::size_t>(T::kQ5_0)].vec_dot = avx2::vec_dot_q5_0_q8_0;
  t[static_cast<std::size_t>(T::kQ5_1)].vec_dot = avx2::vec_dot_q5_1_q8_1;
  auto& q8_0 = t[static_cast<std::size_t>(T::kQ8_0)];
  q8_0.vec_dot = avx2::vec_dot_q8_0_q8_0;
  q8_0.vec_dot_multi = avx2::vec_dot_multi_q8_0_q8_0;
  q8_0.quantize_row = avx2::quantize_row_q8_0;
  t[static_cast<std::size_t>(T::kQ8_1)].quantize_row = avx2::quantize_row_q8_1;
  t[static_cast<std::size_t>(T::kQ4_K)].vec_dot = avx2::vec_dot_q4_K_q8_K;
  t[static_cast<std::size_t>(T::kQ4_K)].vec_dot_multi = avx2::vec_dot_multi_q4_K_q8_K;
  t[static_cast<std::size_t>(T::kQ5_K)].vec_dot = avx2::vec_dot_q5_K_q8_K;
  t[static_cast<std::size_t>(T::kQ5_K)].vec_dot_multi = avx2::vec_dot_multi_q5_K_q8_K;
  t[static_cast<std::size_t>(T::kQ6_K)].vec_dot = avx2::vec_dot_q6_K_q8_K;
  t[static_cast<std::size_t>(T::kQ6_K)].vec_dot_multi = avx2::vec_dot_multi_q6_K_q8_K;
  t[static_cast<std::size_t>(T::kQ8_K)].quantize_row = avx2::quantize_row_q8_K;
  return t;
}

constexpr GemmKernel kAvx512Q8_0{avx512::packed_q8_0_row_bytes, avx512::pack_q8_0_row, avx512::gemm_q8_0};
constexpr GemmKernel kAvx512Q4_K{avx512::packed_q8_K_row_bytes, avx512::pack_q8_K_row, avx512::gemm_q4_K};
constexpr GemmKernel kAvx512Q6_K{avx512::packed_q8_K_row_bytes, avx512::pack_q8_K_row, avx512::gemm_q6_K};

// The AVX2 kernels plus AVX-512 GEMM tiles.
Table make_avx512_table() {
  Table t = make_avx2_table();
  using T = TensorType;
  t[static_cast<std::size_t>(T::kQ8_0)].gemm = &kAvx512Q8_0;
  t[static_cast<std::size_t>(T::kQ4_K)].gemm = &kAvx512Q4_K;
  t[static_cast<std::size_t>(T::kQ6_K)].gemm = &kAvx512Q6_K;
  return t;
}

// Prompts and batches: one tile of 16 tokens per AMX step (a partial tile costs its weight reorder
// and tile products in full), the weights reordered once per call, so calls take up to 512 tokens
// (1 MiB of packed activations, L2). From how many tokens each beats the AVX-512 tiles (measured
// with kernels_bench on 8960x1536, 1 thread): Q8_0 8, Q4_K 16, Q6_K 32 (its 16-weight sub-blocks
// make quarter-size tile products).
constexpr GemmKernel kAmxQ8_0{amx::packed_q8_0_row_bytes, amx::pack_q8_0_row, amx::gemm_q8_0, 8, 512, 1024 * 1024};
constexpr GemmKernel kAmxQ4_K{amx::packed_q8_K_row_bytes, amx::pack_q8_K_row, amx::gemm_q4_K, 16, 512, 1024 * 1024};
constexpr GemmKernel kAmxQ6_K{amx::packed_q8_K_row_bytes, amx::pack_q8_K_row, amx::gemm_q6_K, 32, 512, 1024 * 1024};

// The AVX-512 kernels plus AMX GEMMs for prompts.
Table make_amx_table() {
  Table t = make_avx512_table();
  t[static_cast<std::size_t>(TensorType::kQ8_0)].gemm_wide = &kAmxQ8_0;
  t[static_cast<std::size_t>(TensorType::kQ4_K)].gemm_wide = &kAmxQ4_K;
  t[static_cast<std::size_t>(TensorType::kQ6_K)].gemm_wide = &kAmxQ6_K;
  return t;
}

const TypeTraits* lookup(const Table& table, TensorType type) {
  const auto index = static_cast<std::size_t>(type);
  if (index >= table.size() || table[index].dequantize_row == nullptr) return nullptr;
  return &table[index];
}

}  // namespace

const TypeTraits* reference_type_traits(TensorType type) {
  static const Table table = make_reference_table();
  return lookup(table, type);
}

const TypeTraits* type_traits(TensorType type, KernelIsa isa) {
  switch (isa) {
    case KernelIsa::kScalar: return reference_type_traits(type);
    case KernelIsa::kAvx2: {
      static const Table table = make_avx2_table();
      return lookup(table, type);
    }
    case KernelIsa::kAvx512: {
      static const Table table = make_avx512_table();
      return lookup(table, type);
    }
    case KernelIsa::kAmx: {
      static const Table table = make_amx_table();
      return lookup(table, type);
    }
  }
  return nullptr;
}

const TypeTraits* type_traits(TensorType type) { return type_traits(type, active_kernel_isa()); }

bool cpu_supports(KernelIsa isa) {
  static const KernelIsa best = best_supported_isa();
  return isa <= best;
}

KernelIsa active_kernel_isa() {
  static const KernelIsa value = std::min(best_supported_isa(), requested_isa());
  return value;
}

std::string_view kernel_isa_name(KernelIsa isa) {
  switch (isa) {
    case KernelIsa::kScalar: return "scalar";
    case KernelIsa::kAvx2: return "avx2";
    case KernelIsa::kAvx512: return "avx512";
    case KernelIsa::kAmx: return "amx";
  }
  return "scalar";
}

bool is_supported_weight_type(TensorType type) {
  const TypeTraits* traits = type_traits(type);
  return traits != nullptr && traits->vec_dot != nullptr;
}

Status check_weight_type(TensorType type, std::string_view tensor_name) {
  if (is_supported_weight_type(type)) return Status::ok_status();
  return unimplemented_error(std::string(tensor_name) + ": tensor type " + std::string(gguf::tensor_type_name(type)) +
                             " is not supported (reval computes with f32, f16, bf16, q4_0, q4_1, q5_0, q5_1, "
                             "q8_0, q4_K, q5_K, q6_K)");
}

std::string_view kernel_isa() { return kernel_isa_name(active_kernel_isa()); }

}  // namespace reval::kernels
