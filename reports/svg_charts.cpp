#include "reports/svg_charts.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "reports/html_escape.h"

namespace reval::reports {
namespace {

// Margins leave room for the y-axis labels on the left and group labels below.
constexpr double kMarginLeft = 44, kMarginRight = 12, kMarginTop = 12, kMarginBottom = 44;
constexpr int kPaletteSize = 8;

double clamp01(double v) { return std::clamp(v, 0.0, 1.0); }

std::string num(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", v);
  return buffer;
}

std::string percent(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f%%", 100 * v);
  return buffer;
}

}  // namespace

BarChartLayout layout_bar_chart(const BarChartSpec& spec) {
  BarChartLayout layout;
  layout.plot = {kMarginLeft, kMarginTop, spec.width - kMarginLeft - kMarginRight,
                 spec.height - kMarginTop - kMarginBottom};
  const Rect& plot = layout.plot;
  const auto y_of = [&](double v) { return plot.y + plot.height * (1 - clamp01(v)); };
  for (int tick = 0; tick <= 4; ++tick) {
    const double v = tick / 4.0;
    layout.y_ticks.push_back({y_of(v), std::to_string(tick * 25) + "%"});
  }
  const std::size_t n_groups = std::max<std::size_t>(spec.groups.size(), 1);
  const std::size_t n_series = std::max<std::size_t>(spec.series.size(), 1);
  const double group_width = plot.width / static_cast<double>(n_groups);
  // Bars fill 80% of a group; the rest separates groups.
  const double bar_width = group_width * 0.8 / static_cast<double>(n_series);
  for (std::size_t g = 0; g < spec.groups.size(); ++g) {
    const double group_x = plot.x + group_width * static_cast<double>(g);
    layout.group_centers.push_back(group_x + group_width / 2);
    for (std::size_t s = 0; s < spec.series.size(); ++s) {
      if (g >= spec.values.size() || s >= spec.values[g].size() || !spec.values[g][s]) continue;
      const BarValue& value = *spec.values[g][s];
      BarGeometry bar;
      bar.group = static_cast<int>(g);
      bar.series = static_cast<int>(s);
      bar.bar.x = group_x + group_width * 0.1 + bar_width * static_cast<double>(s);
      bar.bar.width = bar_width;
      bar.bar.y = y_of(value.value);
      bar.bar.height = plot.y + plot.height - bar.bar.y;
      if (value.ci_low && value.ci_high) {
        bar.has_whisker = true;
        bar.whisker_x = bar.bar.x + bar_width / 2;
        bar.whisker_top = y_of(std::max(*value.ci_low, *value.ci_high));
        bar.whisker_bottom = y_of(std::min(*value.ci_low, *value.ci_high));
      }
      if (value.reference) {
        bar.has_reference = true;
        bar.reference_y = y_of(*value.reference);
      }
      layout.bars.push_back(bar);
    }
  }
  return layout;
}

std::string render_bar_chart_svg(const BarChartSpec& spec, const BarChartLayout& layout) {
  const Rect& plot = layout.plot;
  std::string svg = "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 " + num(spec.width) + " " + num(spec.height) +
                    "\" width=\"" + num(spec.width) + "\" height=\"" + num(spec.height) +
                    "\" xmlns=\"http://www.w3.org/2000/svg\"><title>Metrics with 95% intervals</title>";
  for (const auto& [y, label] : layout.y_ticks) {
    svg += "<line class=\"grid\" x1=\"" + num(plot.x) + "\" x2=\"" + num(plot.x + plot.width) + "\" y1=\"" + num(y) +
           "\" y2=\"" + num(y) + "\"/><text class=\"tick\" x=\"" + num(plot.x - 6) + "\" y=\"" + num(y + 4) +
           "\" text-anchor=\"end\">" + label + "</text>";
  }
  for (const BarGeometry& bar : layout.bars) {
    const BarValue& value = *spec.values[bar.group][bar.series];
    std::string tip = escape_html(spec.series[bar.series]) + " — " + escape_html(spec.groups[bar.group]) + ": " +
                      percent(value.value);
    if (value.ci_low && value.ci_high) tip += " (95% CI " + percent(*value.ci_low) + "–" + percent(*value.ci_high) + ")";
    svg += "<g class=\"bar s" + std::to_string(bar.series % kPaletteSize) + "\"><title>" + tip + "</title><rect x=\"" +
           num(bar.bar.x) + "\" y=\"" + num(bar.bar.y) + "\" width=\"" + num(bar.bar.width) + "\" height=\"" +
           num(bar.bar.height) + "\"/>";
    if (bar.has_whisker) {
      const double cap = std::min(bar.bar.width / 4, 6.0);
      const std::string x = num(bar.whisker_x);
      svg += "<path class=\"whisker\" d=\"M" + x + " " + num(bar.whisker_top) + "V" + num(bar.whisker_bottom) + "M" +
             num(bar.whisker_x - cap) + " " + num(bar.whisker_top) + "h" + num(2 * cap) + "M" +
             num(bar.whisker_x - cap) + " " + num(bar.whisker_bottom) + "h" + num(2 * cap) + "\"/>";
    }
    svg += "</g>";
    if (bar.has_reference) {
      // A diamond at the published value, drawn over the bar.
      const double cx = bar.bar.x + bar.bar.width / 2, cy = bar.reference_y, r = 5;
      svg += "<path class=\"reference\" d=\"M" + num(cx) + " " + num(cy - r) + "L" + num(cx + r) + " " + num(cy) + "L" +
             num(cx) + " " + num(cy + r) + "L" + num(cx - r) + " " + num(cy) + "Z\"><title>published: " +
             percent(*value.reference) + " — " + escape_html(value.reference_label) + "</title></path>";
    }
  }
  svg += "<line class=\"axis\" x1=\"" + num(plot.x) + "\" x2=\"" + num(plot.x + plot.width) + "\" y1=\"" +
         num(plot.y + plot.height) + "\" y2=\"" + num(plot.y + plot.height) + "\"/>";
  for (std::size_t g = 0; g < layout.group_centers.size(); ++g) {
    svg += "<text class=\"group\" x=\"" + num(layout.group_centers[g]) + "\" y=\"" + num(plot.y + plot.height + 18) +
           "\" text-anchor=\"middle\">" + escape_html(spec.groups[g]) + "</text>";
  }
  svg += "</svg>";
  return svg;
}

HistogramLayout layout_histogram(const HistogramSpec& spec) {
  HistogramLayout layout;
  layout.plot = {36, 8, spec.width - 36 - 8, spec.height - 8 - 28};
  const int n_bins = std::max(spec.n_bins, 1);
  double max_value = spec.max_value;
  if (max_value <= 0) {
    for (double v : spec.correct) max_value = std::max(max_value, v);
    for (double v : spec.wrong) max_value = std::max(max_value, v);
  }
  if (max_value <= 0) max_value = 1;
  layout.bin_width_value = max_value / n_bins;
  layout.correct_counts.assign(n_bins, 0);
  layout.wrong_counts.assign(n_bins, 0);
  const auto bin_of = [&](double v) {
    const double b = std::floor(std::max(v, 0.0) / layout.bin_width_value);
    return static_cast<int>(std::min(b, static_cast<double>(n_bins - 1)));
  };
  for (double v : spec.correct) ++layout.correct_counts[bin_of(v)];
  for (double v : spec.wrong) ++layout.wrong_counts[bin_of(v)];
  for (int b = 0; b < n_bins; ++b) {
    layout.max_count = std::max({layout.max_count, layout.correct_counts[b], layout.wrong_counts[b]});
  }
  const Rect& plot = layout.plot;
  const double slot = plot.width / n_bins;
  const auto bar = [&](int b, int count, double offset) {
    const double h = layout.max_count == 0 ? 0 : plot.height * count / layout.max_count;
    return Rect{plot.x + slot * b + offset, plot.y + plot.height - h, slot * 0.45, h};
  };
  for (int b = 0; b < n_bins; ++b) {
    layout.correct_bars.push_back(bar(b, layout.correct_counts[b], slot * 0.05));
    layout.wrong_bars.push_back(bar(b, layout.wrong_counts[b], slot * 0.5));
  }
  return layout;
}

std::string render_histogram_svg(const HistogramSpec& spec, const HistogramLayout& layout, const std::string& title) {
  const Rect& plot = layout.plot;
  std::string svg = "<svg class=\"chart hist\" role=\"img\" viewBox=\"0 0 " + num(spec.width) + " " + num(spec.height) +
                    "\" width=\"" + num(spec.width) + "\" height=\"" + num(spec.height) +
                    "\" xmlns=\"http://www.w3.org/2000/svg\"><title>" + escape_html(title) + "</title>";
  const auto draw = [&](const std::vector<Rect>& bars, const std::vector<int>& counts, const char* cls) {
    for (std::size_t b = 0; b < bars.size(); ++b) {
      if (counts[b] == 0) continue;
      const double lo = layout.bin_width_value * static_cast<double>(b);
      svg += "<rect class=\"" + std::string(cls) + "\" x=\"" + num(bars[b].x) + "\" y=\"" + num(bars[b].y) +
             "\" width=\"" + num(bars[b].width) + "\" height=\"" + num(bars[b].height) + "\"><title>" + cls + ", " +
             std::to_string(static_cast<long long>(lo)) + "–" +
             std::to_string(static_cast<long long>(lo + layout.bin_width_value)) + " tokens: " +
             std::to_string(counts[b]) + "</title></rect>";
    }
  };
  draw(layout.correct_bars, layout.correct_counts, "correct");
  draw(layout.wrong_bars, layout.wrong_counts, "wrong");
  svg += "<line class=\"axis\" x1=\"" + num(plot.x) + "\" x2=\"" + num(plot.x + plot.width) + "\" y1=\"" +
         num(plot.y + plot.height) + "\" y2=\"" + num(plot.y + plot.height) + "\"/>";
  svg += "<text class=\"tick\" x=\"" + num(plot.x - 4) + "\" y=\"" + num(plot.y + 8) + "\" text-anchor=\"end\">" +
         std::to_string(layout.max_count) + "</text>";
  svg += "<text class=\"tick\" x=\"" + num(plot.x) + "\" y=\"" + num(plot.y + plot.height + 14) + "\">0</text>";
  const double max_value = layout.bin_width_value * static_cast<double>(layout.correct_counts.size());
  svg += "<text class=\"tick\" x=\"" + num(plot.x + plot.width) + "\" y=\"" + num(plot.y + plot.height + 14) +
         "\" text-anchor=\"end\">" + std::to_string(static_cast<long long>(max_value)) + " tokens</text></svg>";
  return svg;
}

}  // namespace reval::reports
