// Number formatting shared by the Markdown and HTML renderers, so both show the same digits.
#pragma once

#include <optional>
#include <string>

namespace reval::reports::internal {

std::string format_percent(double fraction);                    // "28.3%"
std::string format_interval(std::optional<double> low, std::optional<double> high);  // "15.0–42.0", "" if absent
std::string format_points(double fraction_delta);               // "+3.3 pp"
std::string format_p_value(double p);                           // "0.031", "<0.001"
std::string format_count(double value);                         // "5,120"
std::string format_optional_count(std::optional<double> value); // "—" when absent
std::string format_usd(double usd);                             // "$1.23"
std::string format_seconds(std::optional<double> seconds);      // "1h10m", "—"

}  // namespace reval::reports::internal
