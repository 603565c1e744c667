#include <catch2/catch.hpp>

#include <vector>

#include "engine/kv_cache.h"

namespace reval::engine {
namespace {

KvCacheConfig small_config(std::int64_t budget_blocks) {
  KvCacheConfig config{.n_layers = 2, .n_kv_heads = 2, .head_dim = 4, .budget_bytes = 0, .block_tokens = 4};
  config.budget_bytes = budget_blocks * 2 * 2 * 8 * 2 * 4;  // layers * (K,V) * width * sizeof(half) * tokens
  return config;
}

std::vector<float> row_values(float base) {
  std::vector<float> row(8);
  for (std::size_t i = 0; i < row.size(); ++i) row[i] = base + 0.125f * static_cast<float>(i);
  return row;
}

}  // namespace

TEST_CASE("kv cache stores and reads back rows per sequence and layer", "[engine][kv]") {
  auto cache = KvCache::create(small_config(8)).value();
  const SeqId a = *cache->open(10);
  const SeqId b = *cache->open(10);
  cache->extend(a, 6);
  cache->extend(b, 6);
  for (int pos = 0; pos < 6; ++pos) {
    const auto k = row_values(static_cast<float>(pos)), v = row_values(-static_cast<float>(pos));
    cache->write(a, 1, pos, k.data(), v.data());
    const auto kb = row_values(100.0f + static_cast<float>(pos));
    cache->write(b, 1, pos, kb.data(), kb.data());
  }
  std::vector<float> out(4);
  cache->view(a, 1).read_k(5, 1, out.data());
  CHECK(out[0] == 5.5f);
  cache->view(a, 1).read_v(5, 0, out.data());
  CHECK(out[1] == -5.0f + 0.125f);
  cache->view(b, 1).read_k(2, 0, out.data());
  CHECK(out[0] == 102.0f);
}

TEST_CASE("kv cache admission refuses sequences beyond the budget until one closes", "[engine][kv]") {
  auto cache = KvCache::create(small_config(4)).value();
  const auto a = cache->open(8);  // 2 blocks
  REQUIRE(a.has_value());
  REQUIRE(cache->open(8).has_value());
  CHECK_FALSE(cache->can_open(1));
  CHECK_FALSE(cache->open(1).has_value());
  cache->close(*a);
  CHECK(cache->open(5).has_value());
}

TEST_CASE("forked sequences share full prefix blocks and copy the partial one", "[engine][kv]") {
  auto cache = KvCache::create(small_config(6)).value();
  const SeqId parent = *cache->open(6);
  cache->extend(parent, 6);  // blocks: one full, one partial
  for (int pos = 0; pos < 6; ++pos) {
    const auto r = row_values(static_cast<float>(pos));
    for (int layer = 0; layer < 2; ++layer) cache->write(parent, layer, pos, r.data(), r.data());
  }
  const auto child = cache->fork(parent, 8);  // needs 2 blocks, 1 shared
  REQUIRE(child.has_value());
  CHECK(cache->length(*child) == 6);
  CHECK(cache->committed_blocks() == 3);
  cache->extend(*child, 7);
  const auto r = row_values(42.0f);
  cache->write(*child, 0, 6, r.data(), r.data());
  const auto other = row_values(7.0f);
  cache->extend(parent, 6);
  std::vector<float> out(4);
  cache->view(*child, 0).read_k(5, 0, out.data());
  CHECK(out[0] == 5.0f);
  cache->view(*child, 0).read_k(6, 0, out.data());
  CHECK(out[0] == 42.0f);
  cache->close(parent);
  cache->view(*child, 1).read_k(1, 0, out.data());
  CHECK(out[0] == 1.0f);
  CHECK(cache->committed_blocks() == 2);
  cache->close(*child);
  CHECK(cache->committed_blocks() == 0);
  (void)other;
}

}  // namespace reval::engine
