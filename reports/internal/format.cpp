#include "reports/internal/format.h"

#include <cmath>
#include <cstdio>

#include "common/strings.h"

namespace reval::reports::internal {

std::string format_percent(double fraction) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f%%", 100 * fraction);
  return buffer;
}

std::string format_interval(std::optional<double> low, std::optional<double> high) {
  if (!low || !high) return "";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.1f–%.1f", 100 * *low, 100 * *high);
  return buffer;
}

std::string format_points(double fraction_delta) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%+.1f pp", 100 * fraction_delta);
  return buffer;
}

std::string format_p_value(double p) {
  if (p < 0.001) return "<0.001";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3f", p);
  return buffer;
}

std::string format_count(double value) {
  const long long rounded = std::llround(value);
  std::string digits = std::to_string(std::llabs(rounded));
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<std::size_t>(i), ",");
  return rounded < 0 ? "-" + digits : digits;
}

std::string format_optional_count(std::optional<double> value) { return value ? format_count(*value) : "—"; }

std::string format_usd(double usd) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, usd < 10 ? "$%.3f" : "$%.2f", usd);
  return buffer;
}

std::string format_seconds(std::optional<double> seconds) { return seconds ? format_duration(*seconds) : "—"; }

}  // namespace reval::reports::internal
