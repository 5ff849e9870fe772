package dev.lode.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lode.app.DemoDataset;
import dev.lode.config.LodeConfig;
import dev.lode.testing.TestWarehouse;
import dev.lode.warehouse.Warehouse;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every shipped report as a manager sees it, on the demo dataset (what a first start loads) with the
 * defaults counted from the data's newest day, and on an empty range: rendered to HTML, opened in headless
 * Chromium at desktop (1280 px) and phone (390 px) width, and measured there — title and headline strip
 * present, no horizontal overflow outside the table's own scroll box, labels in words rather than column
 * names. Screenshots land in {@code target/report-screenshots/} for review. The headline figures are
 * checked against the same figures asked natively of ClickHouse.
 */
class ReportLayoutTest {
  private static final Path SHOTS = Path.of("target", "report-screenshots");
  private static final int[] WIDTHS = {1280, 390};
  /** What the page reports about itself: overflow, headline, labels; evaluated in the page. */
  private static final String MEASURE = "(() => {"
      + " const outside = [...document.querySelectorAll('body *')].filter(e => !e.closest('.scroll') &&"
      + "   e.getBoundingClientRect().right > window.innerWidth + 1).map(e => e.tagName + '.' + e.getAttribute('class'));"
      + " const scroll = document.querySelector('.scroll');"
      + " return {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,"
      + "  title: (document.querySelector('h1') || {}).textContent || '',"
      + "  period: (document.querySelector('p.period') || {}).textContent || '',"
      + "  kpis: [...document.querySelectorAll('.kpi .value')].map(e => e.textContent),"
      + "  kpiLabels: [...document.querySelectorAll('.kpi .label')].map(e => e.textContent),"
      + "  labels: [...document.querySelectorAll('th, .kpi .label, figcaption, .axis-title, dl.params dt')]"
      + "    .map(e => e.textContent),"
      + "  charts: document.querySelectorAll('svg.chart').length,"
      + "  nodata: (document.querySelector('.nodata') || {}).textContent || '',"
      + "  tableScrolls: scroll ? scroll.scrollWidth > scroll.clientWidth : false,"
      + "  outside: outside.slice(0, 5)};"
      + "})()";

  private static Warehouse w;
  private static ReportCatalog catalog;
  private static ReportQuery query;
  private static Chromium browser;
  private static Clock dataClock;
  private static final Map<String, ReportDocument> demo = new LinkedHashMap<>();
  private static final Map<String, Path> demoPages = new LinkedHashMap<>();
  private static final Map<String, Path> emptyPages = new LinkedHashMap<>();

  @BeforeAll
  static void render() throws Exception {
    w = TestWarehouse.isolated("report_layout");
    Path home = TestWarehouse.freshDir("report-layout");
    DemoDataset.load(w, LodeConfig.of(Map.of("lode.data.dir", home.toString(),
        "lode.demo.online-retail", home.resolve("absent.csv.gz").toString())), 60_000, line -> { });
    catalog = ReportCatalog.load(null);
    query = new ReportQuery(w::connect, 300);
    dataClock = new DataClock(w::connect).forRun(Clock.systemUTC());
    Files.createDirectories(SHOTS);
    Instant ran = dataClock.instant();
    for (ReportDefinition d : catalog.all()) {
      ReportDocument doc = document(d, ReportQuery.bind(d, Map.of(), dataClock));
      demo.put(d.name(), doc);
      demoPages.put(d.name(), ReportJob.write(doc, Set.of(OutputFormat.HTML), home.resolve("demo"), ran,
          Optional.empty()).getFirst());
      Map<String, String> empty = new LinkedHashMap<>();
      for (ReportParameter p : d.parameters()) {
        if (p.type() == ParameterType.DATE) {
          empty.put(p.name(), "2099-01-01");
        }
      }
      emptyPages.put(d.name(), ReportJob.write(document(d, ReportQuery.bind(d, empty, dataClock)),
          Set.of(OutputFormat.HTML), home.resolve("empty"), ran, Optional.empty()).getFirst());
    }
    browser = Chromium.start(home);
  }

  private static ReportDocument document(ReportDefinition d, Map<String, String> params) throws Exception {
    ReportResult r = query.run(d, params);
    Optional<ReportResult> previous = d.compare().isPresent()
        ? Optional.of(query.run(d, d.compare().get().previous(params))) : Optional.empty();
    return new ReportDocument(r, previous, Currency.getInstance("GBP"));
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
  }

  @Test
  void everyReportReadsWellOnTheDemoData() throws Exception {
    assertEquals(List.of("campaign_effect", "cohort_retention", "daily_kpi", "data_quality", "tag_health",
        "weekly_funnel"), new ArrayList<>(demoPages.keySet()), "the shipped reports");
    for (Map.Entry<String, Path> page : demoPages.entrySet()) {
      ReportDefinition d = catalog.get(page.getKey());
      for (int width : WIDTHS) {
        JsonNode m = measure(page.getValue(), width, page.getKey() + "-" + width + ".png");
        String where = page.getKey() + " at " + width + " px: " + m;
        assertEquals(d.title(), m.path("title").asText(), where);
        assertEquals(d.headlines().size(), m.path("kpis").size(), where);
        assertTrue(m.path("scrollWidth").asInt() <= m.path("innerWidth").asInt(), "no horizontal overflow, " + where);
        assertEquals(0, m.path("outside").size(), "nothing reaches past the window, " + where);
        assertHuman(m, where);
        if (!d.name().equals("tag_health")) {
          assertEquals(d.charts().size(), m.path("charts").asInt(), where);
          // the demo load computes no tags (the tag scheduler of a running server does), so tag_health has none
          assertEquals("", m.path("nodata").asText(), "the demo has data for " + where);
          assertFalse(m.path("kpis").path(0).asText().equals("–"), "the first figure has a value on the demo, " + where);
        }
      }
    }
  }

  @Test
  void everyReportSaysSoOnAnEmptyRange() throws Exception {
    for (Map.Entry<String, Path> page : emptyPages.entrySet()) {
      ReportDefinition d = catalog.get(page.getKey());
      for (int width : WIDTHS) {
        JsonNode m = measure(page.getValue(), width, page.getKey() + "-empty-" + width + ".png");
        String where = page.getKey() + " on 2099-01-01 at " + width + " px: " + m;
        assertEquals(d.title(), m.path("title").asText(), "the header stays, " + where);
        assertTrue(m.path("scrollWidth").asInt() <= m.path("innerWidth").asInt(), where);
        assertHuman(m, where);
        assertEquals(d.headlines().size(), m.path("kpis").size(), where);
        if (!d.name().equals("tag_health")) {
          // tag_health's as_of only judges expiry: its tags are there on any day
          assertTrue(m.path("nodata").asText().startsWith("No data for "), where);
          assertTrue(m.path("nodata").asText().contains("2099"), "the message names the period, " + where);
          assertEquals(0, m.path("charts").asInt(), where);
        }
      }
    }
  }

  private static JsonNode measure(Path page, int width, String shot) throws Exception {
    browser.open(page, width, 900);
    JsonNode m = browser.evaluate(MEASURE);
    browser.screenshot(SHOTS.resolve(shot));
    assertTrue(Files.size(SHOTS.resolve(shot)) > 1_000, shot);
    return m;
  }

  /** Headers, headline labels, chart captions, axis titles and parameter names are words, not snake_case. */
  private static void assertHuman(JsonNode m, String where) {
    for (JsonNode l : m.path("labels")) {
      assertFalse(l.asText().matches(".*[a-z0-9]_[a-z0-9].*"), "'" + l.asText() + "' is a column name, " + where);
      assertFalse(l.asText().isBlank(), where);
    }
  }

  @Test
  void defaultsCoverTheDatasLatestPeriod() throws Exception {
    LocalDate newest = new DataClock(w::connect).latestDay(java.time.ZoneOffset.UTC).orElseThrow();
    assertEquals(LocalDate.parse(newestEvent()), newest, "the newest event's day");
    assertTrue(newest.getYear() < LocalDate.now().getYear(), "the demo data is historic: " + newest);
    Map<String, String> kpi = demo.get("daily_kpi").result().parameters();
    assertEquals(newest.toString(), kpi.get("end_date"));
    assertEquals(newest.minusDays(6).toString(), kpi.get("start_date"));
    assertEquals(List.of("start_date", "end_date"), new ArrayList<>(kpi.keySet()), "declared order");
    LocalDate week = LocalDate.parse(demo.get("weekly_funnel").result().parameters().get("week_start"));
    assertEquals(java.time.DayOfWeek.MONDAY, week.getDayOfWeek());
    assertTrue(!week.plusDays(6).isAfter(newest) && week.plusDays(13).isAfter(newest),
        "the last full week before " + newest + ": " + week);
  }

  @Test
  void headlineFiguresAgreeWithClickHouse() throws Exception {
    ReportDocument kpi = demo.get("daily_kpi");
    for (boolean previous : new boolean[] {false, true}) {
      ReportResult r = previous ? kpi.previous().orElseThrow() : kpi.result();
      String from = r.parameters().get("start_date");
      String to = r.parameters().get("end_date");
      String range = " >= toDateTime64('" + from + "', 3, 'UTC') AND %s < toDateTime64('"
          + LocalDate.parse(to).plusDays(1) + "', 3, 'UTC')";
      List<BigDecimal> sales = row("SELECT toString(sum(total)), toString(count()) FROM orders FINAL"
          + " WHERE status = 'completed' AND order_time" + range.formatted("order_time"));
      List<BigDecimal> behavior = row("SELECT toString(sum(v)), toString(sum(s)), toString(sum(p)) FROM (SELECT"
          + " toDate(event_time) AS d, uniqExact(person_id) AS v, uniqExactIf(session_id, session_id != '') AS s,"
          + " uniqExactIf(session_id, session_id != '' AND event_name = 'purchase') AS p FROM events_resolved"
          + " WHERE event_time" + range.formatted("event_time") + " GROUP BY d)");
      long days = java.time.temporal.ChronoUnit.DAYS.between(LocalDate.parse(from), LocalDate.parse(to)) + 1;
      boolean anyData = sales.get(1).signum() > 0 || behavior.get(0).signum() > 0;
      List<Optional<BigDecimal>> expected = List.of(Optional.of(sales.get(0)), Optional.of(sales.get(1)),
          quotient(sales.get(0), sales.get(1), 1),
          Optional.of(behavior.get(0).divide(BigDecimal.valueOf(days), MathContext.DECIMAL64)),
          quotient(behavior.get(2), behavior.get(1), 100));
      if (!previous) {
        assertTrue(behavior.get(0).intValue() > 0, "the demo has visits in " + from + ".." + to);
      }
      List<HeadlineFigure> figures = kpi.figures();
      for (int i = 0; i < expected.size(); i++) {
        Optional<BigDecimal> got = previous ? figures.get(i).previous() : figures.get(i).value();
        String what = figures.get(i).headline().label() + (previous ? " (previous period " + from + ")" : "")
            + ": report " + got + ", ClickHouse " + expected.get(i);
        // a period with no data at all has no figures: the page shows – and "no previous figure"
        Optional<BigDecimal> want = anyData ? expected.get(i) : Optional.empty();
        assertEquals(want.isPresent(), got.isPresent(), what);
        if (want.isPresent()) {
          assertEquals(0, want.get().round(new MathContext(12)).compareTo(got.get().round(new MathContext(12))), what);
        }
      }
    }
    String html = Files.readString(demoPages.get("daily_kpi"));
    HeadlineFigure revenue = kpi.figures().getFirst();
    assertTrue(html.contains(">" + revenue.text(Currency.getInstance("GBP")) + "<"), "the page shows the revenue");
    assertTrue(revenue.text(Currency.getInstance("GBP")).startsWith("£"), revenue.text(Currency.getInstance("GBP")));

    ReportDocument funnel = demo.get("weekly_funnel");
    String week = funnel.result().parameters().get("week_start");
    BigDecimal viewers = row("SELECT toString(uniqExact(if(person_id != '', person_id, distinct_id))) FROM events FINAL"
        + " WHERE event_name = 'product_view' AND event_time >= toDateTime64('" + week + "', 3, 'UTC')"
        + " AND event_time < toDateTime64('" + LocalDate.parse(week).plusDays(7) + "', 3, 'UTC')").getFirst();
    assertTrue(viewers.intValue() > 0, "product views in the week of " + week);
    assertEquals(0, viewers.compareTo(funnel.figures().getFirst().value().orElseThrow()), "visitors viewing a product");

    ReportDocument cohorts = demo.get("cohort_retention");
    String first = cohorts.result().parameters().get("first_cohort");
    List<BigDecimal> c = row("WITH b AS (SELECT if(person_id != '', person_id, customer_key) AS c,"
        + " toStartOfMonth(order_time) AS m FROM orders FINAL WHERE status = 'completed'"
        + " AND (person_id != '' OR customer_key != '')), f AS (SELECT c, min(m) AS fm FROM b GROUP BY c),"
        + " per AS (SELECT f.c AS c, f.fm AS fm, max(b.m = addMonths(f.fm, 1)) AS again FROM f INNER JOIN b ON b.c = f.c"
        + " GROUP BY f.c, f.fm)"
        + " SELECT toString((SELECT count() FROM f WHERE fm >= toDate('" + first + "'))),"
        + " toString(countIf(again = 1)), toString(count()) FROM per WHERE fm >= toDate('" + first + "')"
        + " AND addMonths(fm, 1) <= (SELECT max(m) FROM b)");
    assertEquals(0, c.get(0).compareTo(cohorts.figures().get(0).value().orElseThrow()), "new customers in the cohorts");
    BigDecimal month1 = c.get(1).multiply(BigDecimal.valueOf(100)).divide(c.get(2), MathContext.DECIMAL64);
    BigDecimal got = cohorts.figures().get(1).value().orElseThrow();
    assertEquals(0, month1.round(new MathContext(12)).compareTo(got.round(new MathContext(12))),
        "month-1 retention: report " + got + ", ClickHouse " + month1);
  }

  private static String newestEvent() throws Exception {
    try (Connection conn = w.connect(); Statement st = conn.createStatement();
         ResultSet rs = st.executeQuery("SELECT toString(toDate(max(event_time))) FROM events")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static Optional<BigDecimal> quotient(BigDecimal a, BigDecimal b, int scale) {
    return b.signum() == 0 ? Optional.empty()
        : Optional.of(a.multiply(BigDecimal.valueOf(scale)).divide(b, MathContext.DECIMAL64));
  }

  private static List<BigDecimal> row(String sql) throws Exception {
    try (Connection conn = w.connect(); Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      assertTrue(rs.next());
      List<BigDecimal> out = new ArrayList<>();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        out.add(new BigDecimal(rs.getString(i)));
      }
      return out;
    }
  }
}
