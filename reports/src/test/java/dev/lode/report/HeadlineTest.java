package dev.lode.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The layout declarations without a warehouse: headline aggregates over hand-made rows (against
 * sums worked out here), the previous period's parameters, the change text, the formats, and the
 * errors a malformed header line gets.
 */
class HeadlineTest {
  private static final ReportDefinition REPORT = ReportDefinition.parse("layout_check", """
      -- title: Layout check
      -- param: start_date Date = today-7 | first day
      -- param: end_date Date = today-1 | last day
      -- compare: start_date..end_date
      -- headline: sum(revenue) | Revenue | currency
      -- headline: pct(buyers, visitors) | Conversion | percent
      -- headline: sum(visitors) where kind=web | Web visitors | integer | lower-is-better
      -- chart: bar x=day y=revenue
      -- column: revenue | Revenue | currency
      SELECT {start_date:Date} AS day, {end_date:Date} AS d2, 1 AS revenue, 1 AS buyers, 1 AS visitors, 'web' AS kind
      """);
  private static final Currency GBP = Currency.getInstance("GBP");

  private static ReportResult result(Object[]... rows) {
    return new ReportResult(REPORT, Map.of("start_date", "2011-12-03", "end_date", "2011-12-09"),
        List.of("day", "revenue", "buyers", "visitors", "kind"),
        List.of("Date", "Decimal(18, 2)", "UInt64", "UInt64", "String"), new ArrayList<>(List.of(rows)));
  }

  @Test
  void figuresAndTheirChange() {
    ReportResult now = result(new Object[] {"2011-12-03", new BigDecimal("1200.50"), 3L, 40L, "web"},
        new Object[] {"2011-12-04", new BigDecimal("799.50"), 1L, 60L, "app"});
    ReportResult before = result(new Object[] {"2011-11-26", new BigDecimal("1600.00"), 2L, 50L, "web"});
    List<HeadlineFigure> f = new ReportDocument(now, Optional.of(before), GBP).figures();
    assertEquals(new BigDecimal("2000.00"), f.get(0).value().orElseThrow());
    assertEquals("£2,000.00", f.get(0).text(GBP));
    assertEquals("▲ 25.0%", f.get(0).change(), "2000 against 1600");
    assertEquals(Optional.of(true), f.get(0).good());
    assertEquals(0, new BigDecimal("4.00").compareTo(f.get(1).value().orElseThrow()), "100 · 4 / 100");
    assertEquals("0.0 pts", f.get(1).change().substring(2), "4% both times");
    assertEquals(0, BigDecimal.valueOf(40).compareTo(f.get(2).value().orElseThrow()), "only the web row");
    assertEquals(Optional.of(true), f.get(2).good(), "fewer, and lower is better");
    assertEquals("▼ 20.0%", f.get(2).change());
  }

  @Test
  void previousPeriodAndEmptyRuns() {
    PeriodComparison c = REPORT.compare().orElseThrow();
    assertEquals(Map.of("start_date", "2011-11-26", "end_date", "2011-12-02"),
        c.previous(Map.of("start_date", "2011-12-03", "end_date", "2011-12-09")));
    assertEquals(Map.of("week_start", "2011-11-21"),
        PeriodComparison.parse("week_start 7 days").previous(Map.of("week_start", "2011-11-28")));
    assertEquals(Map.of("first_cohort", "2011-05-01"),
        PeriodComparison.parse("first_cohort 1 month").previous(Map.of("first_cohort", "2011-06-01")));
    ReportDocument empty = new ReportDocument(result(new Object[] {"2011-12-03", BigDecimal.ZERO, 0L, 0L, "web"}),
        Optional.empty(), GBP);
    assertTrue(!empty.hasData(), "only zeros is no data");
    assertEquals("–", empty.figures().get(0).text(GBP));
    assertEquals("Sat 3 Dec 2011 – Fri 9 Dec 2011", empty.period());
  }

  @Test
  void formatsAndLabels() {
    assertEquals("12.34%", ColumnFormat.PERCENT.format(12.344, GBP));
    assertEquals("39.55%", ColumnFormat.PERCENT.format(new BigDecimal("39.55"), GBP), "as the report rounded it");
    assertEquals("100%", ColumnFormat.PERCENT.format(100L, GBP));
    assertEquals("+1.5 pts", ColumnFormat.POINTS.format(1.5, GBP));
    assertEquals("1,234,567", ColumnFormat.INTEGER.format(1_234_567L, GBP));
    assertEquals("Add to cart", ColumnFormat.NAME.format("add_to_cart", GBP));
    assertEquals("Dec 2011", ColumnFormat.MONTH.format("2011-12-01", GBP));
    assertEquals("Revenue", REPORT.label("revenue"));
    assertEquals("Buyers", REPORT.label("buyers"), "unlabelled: the name in words");
  }

  @Test
  void malformedLinesAreNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReportDefinition.parse("bad_one",
        "-- title: x\n-- headline: median(x) | X | integer\nSELECT 1 AS x"));
    assertTrue(e.getMessage().contains("bad_one, line 2") && e.getMessage().contains("median"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ReportDefinition.parse("bad_two",
        "-- title: x\n-- column: x | X | money\nSELECT 1 AS x"));
    assertTrue(e.getMessage().contains("format 'money'"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ReportDefinition.parse("bad_three",
        "-- title: x\n-- compare: day 7 days\nSELECT 1 AS x"));
    assertTrue(e.getMessage().contains("compares by 'day'"), e.getMessage());
  }
}
