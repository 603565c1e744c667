// reval's version, from the CMake project version.
#pragma once

namespace reval::cli {
const char* version_string();
}  // namespace reval::cli
