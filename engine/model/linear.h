// Matrix-times-activations for the forward pass: y[t] = W x[t] for a batch of token rows, split over
// the thread pool by output rows. Each output element is computed by the same arithmetic whatever the
// batch size or thread count, so a sequence's logits do not depend on what else is in the batch.
#pragma once

#include <cstdint>

#include "common/status.h"
#include "engine/model/model.h"
#include "engine/thread_pool.h"

namespace reval::engine {

// Ok when the forward pass can multiply by (and look up rows of) a matrix of this type.
Status check_matrix_type(const Matrix& w);

// Dequantizes row r of w into out (w.n_in floats).
void matrix_row_to_float(const Matrix& w, std::int64_t r, float* out);

// y[t * n_out + o] = sum_i w[o][i] * x[t * n_in + i] for t < n_tokens.
void matmul(const Matrix& w, const float* x, std::int64_t n_tokens, float* y, ThreadPool& pool);

}  // namespace reval::engine
