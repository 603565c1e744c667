#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "reports/html_escape.h"

namespace reval::reports {

TEST_CASE("escape_html neutralizes markup and quotes", "[reports][escape]") {
  CHECK(escape_html("</script><script>alert(1)") == "&lt;/script&gt;&lt;script&gt;alert(1)");
  CHECK(escape_html("a & b") == "a &amp; b");
  CHECK(escape_html("\"x\" 'y'") == "&quot;x&quot; &#39;y&#39;");
  CHECK(escape_html("&lt;") == "&amp;lt;");
  CHECK(escape_html("") == "");
}

TEST_CASE("escape_html keeps valid UTF-8 and replaces invalid bytes", "[reports][escape]") {
  CHECK(escape_html("π ≈ 3.14 😀") == "π ≈ 3.14 😀");
  CHECK(escape_html("a\xFF" "b") == "a\xEF\xBF\xBD" "b");
  CHECK(escape_html("\xC3") == "\xEF\xBF\xBD");                  // truncated sequence
  CHECK(escape_html("\xC0\xBC") == "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong '<' stays inert
  CHECK(escape_html("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
}

TEST_CASE("json_for_script leaves no way to close or alter the script block", "[reports][escape]") {
  const std::string hostile = "</script><script>alert(1)</script><!-- & \xE2\x80\xA8";
  const std::string json = nlohmann::json({{"text", hostile}}).dump();
  const std::string safe = json_for_script(json);
  CHECK(safe.find('<') == std::string::npos);
  CHECK(safe.find('>') == std::string::npos);
  CHECK(safe.find('&') == std::string::npos);
  CHECK(safe.find("\xE2\x80\xA8") == std::string::npos);
  CHECK(safe.find("\\u003c/script\\u003e") != std::string::npos);
  // The escaped JSON still decodes to the original text.
  CHECK(nlohmann::json::parse(safe)["text"] == hostile);
}

TEST_CASE("json_for_script escapes the case-insensitive </SCRIPT and <!-- openers", "[reports][escape]") {
  const std::string safe = json_for_script(R"({"a":"</SCRIPT >","b":"<!--<script>"})");
  CHECK(safe == R"({"a":"\u003c/SCRIPT \u003e","b":"\u003c!--\u003cscript\u003e"})");
}

TEST_CASE("sanitize_utf8 replaces each invalid byte", "[reports][escape]") {
  CHECK(sanitize_utf8("ok") == "ok");
  CHECK(sanitize_utf8("\x80x") == "\xEF\xBF\xBDx");
}

}  // namespace reval::reports
