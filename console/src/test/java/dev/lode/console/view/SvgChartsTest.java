package dev.lode.console.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The inline SVG charts: labels from the warehouse are text, never markup, and the drawn values keep their order and scale. */
class SvgChartsTest {
  @Test
  void labelsAreEscaped() {
    String evil = "<script>alert(1)</script>\"'&";
    for (String svg : List.of(BarChartSvg.of(evil, List.of(evil), List.of(1)),
        TimeSeriesSvg.of(evil, List.of(1, 2), evil, evil),
        IdentityGraphSvg.of(evil, List.of(new IdentityGraphSvg.Node(evil, evil, true)), List.of()))) {
      assertFalse(svg.contains("<script"), svg);
      assertTrue(svg.contains("&lt;script&gt;"), svg);
    }
  }

  @Test
  void barsAreProportionalToTheirValues() {
    String svg = BarChartSvg.of("t", List.of("a", "b", "c"), List.of(10, 5, 0));
    Matcher m = Pattern.compile("<rect x=\"\\d+\" y=\"\\d+\" width=\"([0-9.]+)\"").matcher(svg);
    List<Double> widths = new java.util.ArrayList<>();
    while (m.find()) {
      widths.add(Double.parseDouble(m.group(1)));
    }
    assertEquals(3, widths.size());
    assertEquals(widths.get(0) / 2, widths.get(1), 0.11);
    assertEquals(0.0, widths.get(2));
  }

  @Test
  void theSeriesMaximumIsAtTheTopAndZeroOnTheAxis() {
    String svg = TimeSeriesSvg.of("t", List.of(0, 4, 8), "first", "last");
    assertTrue(svg.contains("max 8"), svg);
    Matcher m = Pattern.compile("points=\"([^\"]+)\"").matcher(svg);
    assertTrue(m.find());
    String[] points = m.group(1).split(" ");
    assertEquals(3, points.length);
    double y0 = Double.parseDouble(points[0].split(",")[1]);
    double y1 = Double.parseDouble(points[1].split(",")[1]);
    double y2 = Double.parseDouble(points[2].split(",")[1]);
    assertEquals(79.0, y0, 0.01);
    assertEquals((y0 + y2) / 2, y1, 0.11, "4 is halfway between 0 and 8");
  }
}
