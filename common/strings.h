// Small string helpers shared by every component (std only).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace reval {

std::string_view trim(std::string_view text);
std::string to_lower(std::string_view text);
std::vector<std::string> split(std::string_view text, char separator);
std::string join(const std::vector<std::string>& parts, std::string_view separator);
bool contains(std::string_view text, std::string_view needle);
std::string replace_all(std::string text, std::string_view from, std::string_view to);

// Edit distance (insert, delete, substitute, adjacent swap), for "did you mean" hints.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word` when it is close enough to be a plausible typo, else nullopt.
std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates);

// Strict integer / float parsing of the whole string; nullopt on any junk or overflow.
std::optional<std::int64_t> parse_int(std::string_view text);
std::optional<double> parse_double(std::string_view text);

// "1.5 KiB", "3.2 GiB".
std::string format_bytes(std::uint64_t n_bytes);
// "1m05s", "2h03m", "45s", "0.8s".
std::string format_duration(double seconds);

// Lower-case hex of bytes.
std::string to_hex(const unsigned char* data, std::size_t n_bytes);

}  // namespace reval
