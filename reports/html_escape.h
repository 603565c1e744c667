// Escaping for the HTML report. Model output is untrusted: every piece of text that reaches the page
// goes through escape_html (element content and attribute values) or json_for_script (data blocks).
#pragma once

#include <string>
#include <string_view>

namespace reval::reports {

// Escapes & < > " ' so the text is inert in element content and in quoted attribute values. Bytes that
// are not valid UTF-8 become U+FFFD, so a stray byte cannot corrupt the page's encoding.
std::string escape_html(std::string_view text);

// Makes JSON text safe inside <script type="application/json">: '<', '>' and '&' become \u003c, \u003e,
// \u0026 (so neither "</script>" nor "<!--" can end or alter the block) and U+2028/U+2029 become
// escapes. Precondition: `json` is valid JSON; these characters only occur inside its strings, where
// the escapes decode to the same text.
std::string json_for_script(std::string_view json);

// Replaces invalid UTF-8 sequences with U+FFFD.
std::string sanitize_utf8(std::string_view text);

}  // namespace reval::reports
