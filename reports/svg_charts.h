// Inline SVG charts for the HTML report: grouped bars with 95% interval whiskers and reference markers
// (section 2), and response-length histograms split by verdict (section 6). Layout (pure geometry, unit
// tested) is separate from drawing (SVG text).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace reval::reports {

struct BarValue {
  double value = 0;  // a fraction in [0, 1]
  std::optional<double> ci_low, ci_high;
  std::optional<double> reference;  // a published score for the same model and metric
  std::string reference_label;
};

// values[group][series]; a missing value (nullopt) leaves a gap.
struct BarChartSpec {
  std::vector<std::string> groups;  // e.g. "aime24 pass@1"
  std::vector<std::string> series;  // run labels
  std::vector<std::vector<std::optional<BarValue>>> values;
  double width = 760, height = 300;
};

struct Rect {
  double x = 0, y = 0, width = 0, height = 0;
};

struct BarGeometry {
  int group = 0, series = 0;
  Rect bar;
  bool has_whisker = false;
  double whisker_x = 0, whisker_top = 0, whisker_bottom = 0;  // top = higher value = smaller y
  bool has_reference = false;
  double reference_y = 0;
};

struct BarChartLayout {
  Rect plot;  // the area the axis 0..1 maps onto: value v is at y = plot.y + plot.height * (1 - v)
  std::vector<BarGeometry> bars;
  std::vector<double> group_centers;  // x of each group's label
  std::vector<std::pair<double, std::string>> y_ticks;  // (y, "50%")
};

// Values outside [0, 1] are clamped to the axis.
BarChartLayout layout_bar_chart(const BarChartSpec& spec);
std::string render_bar_chart_svg(const BarChartSpec& spec, const BarChartLayout& layout);

struct HistogramSpec {
  std::vector<double> correct, wrong;  // one value (completion tokens) per sample
  double max_value = 0;                // right edge of the last bin; <= 0: the largest value
  int n_bins = 20;
  double width = 360, height = 160;
};

struct HistogramLayout {
  Rect plot;
  double bin_width_value = 0;  // value range per bin
  std::vector<int> correct_counts, wrong_counts;
  int max_count = 0;
  std::vector<Rect> correct_bars, wrong_bars;  // one per bin; zero-height when the count is 0
};

// Values >= max_value land in the last bin.
HistogramLayout layout_histogram(const HistogramSpec& spec);
std::string render_histogram_svg(const HistogramSpec& spec, const HistogramLayout& layout, const std::string& title);

}  // namespace reval::reports
