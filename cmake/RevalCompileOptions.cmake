# Compile options for reval's own targets, as INTERFACE targets linked PRIVATE by each library.
add_library(reval_warnings INTERFACE)
target_compile_options(reval_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion)
# GCC 12 at -O3 reports -Wrestrict false positives inside std::string's operator+ (GCC bug 105329).
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(reval_warnings INTERFACE -Wno-restrict)
endif()
if(REVAL_WERROR)
  target_compile_options(reval_warnings INTERFACE -Werror)
endif()
add_library(reval::warnings ALIAS reval_warnings)

if(REVAL_NATIVE)
  add_compile_options(-march=native)
endif()

# Sanitizers are selected by REVAL_SANITIZE (address;undefined or thread), applied to every target.
set(REVAL_SANITIZE "" CACHE STRING "Sanitizers: address;undefined or thread")
if(REVAL_SANITIZE)
  list(JOIN REVAL_SANITIZE "," _reval_san)
  add_compile_options(-fsanitize=${_reval_san} -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=${_reval_san})
endif()

# Flags for ISA-specific kernel files; the scalar path never gets them.
set(REVAL_AVX2_FLAGS -mavx2 -mfma -mf16c)

# libFuzzer builds (preset `fuzz`, clang): instrument every target; fuzz executables add -fsanitize=fuzzer.
if(REVAL_BUILD_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
