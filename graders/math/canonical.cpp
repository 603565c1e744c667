#include "graders/math/canonical.h"

#include <algorithm>
#include <vector>

#include "graders/math/exact_value.h"
#include "graders/math/latex_cleanup.h"
#include "graders/math/parser.h"

namespace reval::graders::math {
namespace {

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += separator;
    out += parts[i];
  }
  return out;
}

std::vector<std::string> render_children(const Node& node, bool sorted) {
  std::vector<std::string> parts;
  for (const auto& child : node.children) parts.push_back(child ? render_canonical(*child) : "");
  if (sorted) std::sort(parts.begin(), parts.end());
  return parts;
}

// Parenthesize sums and relations inside products and powers.
std::string wrap(const Node& child) {
  std::string text = render_canonical(child);
  bool loose = child.kind == NodeKind::kAdd || child.kind == NodeKind::kNeg || child.kind == NodeKind::kPlusMinus ||
               child.kind == NodeKind::kDiv || child.kind == NodeKind::kMul ||
               (child.kind == NodeKind::kNumber && (child.value.sign() < 0 || !child.value.is_integer()));
  return loose ? "(" + text + ")" : text;
}

std::string render_number(const Node& node) {
  if (node.value.is_integer()) return node.value.num().to_string();
  std::string sign = node.value.sign() < 0 ? "-" : "";
  return sign + "\\frac{" + node.value.num().abs().to_string() + "}{" + node.value.den().to_string() + "}";
}

std::string render_structure(const Node& node) {
  switch (node.kind) {
    case NodeKind::kTuple:
      return "(" + join(render_children(node, false), ",") + ")";
    case NodeKind::kList:
      return join(render_children(node, true), ",");
    case NodeKind::kSet:
      return "\\{" + join(render_children(node, true), ",") + "\\}";
    case NodeKind::kInterval:
      return std::string(node.left_open ? "(" : "[") + render_canonical(*node.children[0]) + "," +
             render_canonical(*node.children[1]) + (node.right_open ? ")" : "]");
    case NodeKind::kUnion:
      return join(render_children(node, true), "\\cup ");
    case NodeKind::kIntersection:
      return join(render_children(node, true), "\\cap ");
    case NodeKind::kSetMinus:
      return render_canonical(*node.children[0]) + "\\setminus " + render_canonical(*node.children[1]);
    case NodeKind::kEmptySet:
      return "\\emptyset";
    case NodeKind::kMatrix: {
      std::string out = "\\begin{pmatrix}";
      for (int r = 0; r < node.n_rows; ++r) {
        if (r > 0) out += "\\\\";
        for (int c = 0; c < node.n_cols; ++c) {
          if (c > 0) out += "&";
          out += render_canonical(*node.children[static_cast<size_t>(r * node.n_cols + c)]);
        }
      }
      return out + "\\end{pmatrix}";
    }
    case NodeKind::kRelation: {
      std::string out = render_canonical(*node.children[0]);
      for (size_t i = 0; i < node.ops.size(); ++i) {
        out += relop_text(node.ops[i]);
        out += node.ops[i] == RelOp::kIn || node.ops[i] == RelOp::kApprox ? " " : "";
        out += render_canonical(*node.children[i + 1]);
      }
      return out;
    }
    case NodeKind::kText:
      return "\\text{" + node.name + "}";
    case NodeKind::kRatio:
      return join(render_children(node, false), ":");
    default:
      return "";
  }
}

}  // namespace

std::string render_canonical(const Node& node) {
  if (!is_collection(node.kind) && node.kind != NodeKind::kRelation && node.kind != NodeKind::kText &&
      node.kind != NodeKind::kNumber && node.kind != NodeKind::kPlusMinus && !has_symbols(node)) {
    auto exact = evaluate_exact(node);
    if (exact.value) return render_exact(*exact.value);
  }
  switch (node.kind) {
    case NodeKind::kNumber:
      return render_number(node);
    case NodeKind::kSymbol:
      return node.name;
    case NodeKind::kConstant:
      return node.name == "inf" ? "\\infty" : (node.name == "pi" ? "\\pi" : node.name);
    case NodeKind::kAdd: {
      std::string out;
      std::vector<std::string> parts = render_children(node, true);
      for (const auto& part : parts) {
        if (!out.empty() && part.front() != '-') out += "+";
        out += part;
      }
      return out;
    }
    case NodeKind::kMul: {
      std::vector<std::string> parts;
      for (const auto& child : node.children) parts.push_back(wrap(*child));
      std::sort(parts.begin(), parts.end());
      return join(parts, "\\cdot ");
    }
    case NodeKind::kDiv:
      return "\\frac{" + render_canonical(*node.children[0]) + "}{" + render_canonical(*node.children[1]) + "}";
    case NodeKind::kPow:
      return wrap(*node.children[0]) + "^{" + render_canonical(*node.children[1]) + "}";
    case NodeKind::kNeg:
      return "-" + wrap(*node.children[0]);
    case NodeKind::kFunction:
      return "\\operatorname{" + node.name + "}(" + join(render_children(node, false), ",") + ")";
    case NodeKind::kFactorial:
      return wrap(*node.children[0]) + "!";
    case NodeKind::kAbs:
      return "|" + render_canonical(*node.children[0]) + "|";
    case NodeKind::kPercent:
      return wrap(*node.children[0]) + "\\%";
    case NodeKind::kPlusMinus:
      return (node.children[0] ? render_canonical(*node.children[0]) : "") + "\\pm " + wrap(*node.children[1]);
    default:
      return render_structure(node);
  }
}

std::string canonical_form(std::string_view answer) {
  ParseOutcome parsed = parse_math(answer);
  if (parsed.expr) return render_canonical(*parsed.expr);
  std::string cleaned = cleanup_latex(answer.substr(0, std::min<size_t>(answer.size(), kMaxInputBytes)));
  std::string out;
  for (char c : cleaned) {
    if (c != ' ') out += c;
  }
  return out;
}

}  // namespace reval::graders::math
