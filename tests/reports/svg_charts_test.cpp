#include <catch2/catch.hpp>

#include "reports/svg_charts.h"

namespace reval::reports {

namespace {
BarChartSpec two_by_two() {
  BarChartSpec spec;
  spec.groups = {"pass@1", "cons@8"};
  spec.series = {"a", "b"};
  spec.width = 456;   // plot width 456 - 44 - 12 = 400
  spec.height = 256;  // plot height 256 - 12 - 44 = 200
  spec.values = {{BarValue{0.5, 0.25, 0.75, std::nullopt, ""}, BarValue{1.0, std::nullopt, std::nullopt, 0.9, "ref"}},
                 {BarValue{0.0, 0.0, 0.1, std::nullopt, ""}, std::nullopt}};
  return spec;
}
}  // namespace

TEST_CASE("bar heights are proportional to values on a 0..1 axis", "[reports][svg]") {
  const BarChartLayout layout = layout_bar_chart(two_by_two());
  CHECK(layout.plot.x == Approx(44));
  CHECK(layout.plot.y == Approx(12));
  CHECK(layout.plot.width == Approx(400));
  CHECK(layout.plot.height == Approx(200));
  REQUIRE(layout.bars.size() == 3);  // the missing value leaves a gap
  const BarGeometry& half = layout.bars[0];
  CHECK(half.bar.height == Approx(100));
  CHECK(half.bar.y == Approx(112));
  CHECK(half.bar.y + half.bar.height == Approx(212));  // every bar stands on the axis
  const BarGeometry& full = layout.bars[1];
  CHECK(full.bar.height == Approx(200));
  CHECK(full.bar.y == Approx(12));
  CHECK(layout.bars[2].bar.height == Approx(0));
}

TEST_CASE("bars sit side by side inside their group with gaps between groups", "[reports][svg]") {
  const BarChartLayout layout = layout_bar_chart(two_by_two());
  // Group width 200; bars fill 80% (two bars of 80) after a 10% (20) margin.
  CHECK(layout.bars[0].bar.x == Approx(44 + 20));
  CHECK(layout.bars[0].bar.width == Approx(80));
  CHECK(layout.bars[1].bar.x == Approx(44 + 20 + 80));
  CHECK(layout.bars[2].bar.x == Approx(44 + 200 + 20));
  REQUIRE(layout.group_centers.size() == 2);
  CHECK(layout.group_centers[0] == Approx(144));
  CHECK(layout.group_centers[1] == Approx(344));
}

TEST_CASE("whiskers span the interval and references mark the published value", "[reports][svg]") {
  const BarChartLayout layout = layout_bar_chart(two_by_two());
  const BarGeometry& half = layout.bars[0];
  REQUIRE(half.has_whisker);
  CHECK(half.whisker_x == Approx(64 + 40));
  CHECK(half.whisker_top == Approx(12 + 200 * 0.25));     // ci_high 0.75
  CHECK(half.whisker_bottom == Approx(12 + 200 * 0.75));  // ci_low 0.25
  CHECK_FALSE(half.has_reference);
  const BarGeometry& full = layout.bars[1];
  CHECK_FALSE(full.has_whisker);
  REQUIRE(full.has_reference);
  CHECK(full.reference_y == Approx(12 + 200 * 0.1));
}

TEST_CASE("values outside 0..1 are clamped to the plot", "[reports][svg]") {
  BarChartSpec spec = two_by_two();
  spec.values = {{BarValue{1.7, -0.2, 1.3, std::nullopt, ""}}};
  spec.groups = {"x"};
  const BarChartLayout layout = layout_bar_chart(spec);
  REQUIRE(layout.bars.size() == 1);
  CHECK(layout.bars[0].bar.y == Approx(12));
  CHECK(layout.bars[0].whisker_top == Approx(12));
  CHECK(layout.bars[0].whisker_bottom == Approx(212));
}

TEST_CASE("the bar chart SVG escapes labels and has one rect per bar", "[reports][svg]") {
  BarChartSpec spec = two_by_two();
  spec.series = {"<b>a</b>", "b"};
  const std::string svg = render_bar_chart_svg(spec, layout_bar_chart(spec));
  CHECK(svg.find("<b>") == std::string::npos);
  CHECK(svg.find("&lt;b&gt;a&lt;/b&gt;") != std::string::npos);
  std::size_t n_rects = 0;
  for (std::size_t pos = svg.find("<rect"); pos != std::string::npos; pos = svg.find("<rect", pos + 1)) ++n_rects;
  CHECK(n_rects == 3);
  CHECK(svg.find("class=\"reference\"") != std::string::npos);
  CHECK(svg.find("<rect x=\"64.0\" y=\"112.0\" width=\"80.0\" height=\"100.0\"/>") != std::string::npos);
}

TEST_CASE("histogram bins count correct and wrong samples separately", "[reports][svg]") {
  HistogramSpec spec;
  spec.correct = {0, 50, 99, 100, 950};
  spec.wrong = {999, 1000, 5000, 420};
  spec.max_value = 1000;
  spec.n_bins = 10;
  const HistogramLayout layout = layout_histogram(spec);
  CHECK(layout.bin_width_value == Approx(100));
  CHECK(layout.correct_counts == std::vector<int>{3, 1, 0, 0, 0, 0, 0, 0, 0, 1});
  CHECK(layout.wrong_counts == std::vector<int>{0, 0, 0, 0, 1, 0, 0, 0, 0, 3});  // >= max goes in the last bin
  CHECK(layout.max_count == 3);
  // The tallest bar fills the plot; a count of 1 is a third of it.
  CHECK(layout.correct_bars[0].height == Approx(layout.plot.height));
  CHECK(layout.correct_bars[1].height == Approx(layout.plot.height / 3));
  CHECK(layout.correct_bars[2].height == Approx(0));
  CHECK(layout.wrong_bars[0].x > layout.correct_bars[0].x);
  CHECK(layout.wrong_bars[0].x + layout.wrong_bars[0].width <= layout.correct_bars[1].x + 1e-9);
}

TEST_CASE("an empty histogram draws no bars", "[reports][svg]") {
  HistogramSpec spec;
  const HistogramLayout layout = layout_histogram(spec);
  CHECK(layout.max_count == 0);
  const std::string svg = render_histogram_svg(spec, layout, "empty <run>");
  CHECK(svg.find("<rect") == std::string::npos);
  CHECK(svg.find("empty &lt;run&gt;") != std::string::npos);
}

}  // namespace reval::reports
