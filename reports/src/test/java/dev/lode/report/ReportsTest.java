package dev.lode.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.report.ReportFixture.Event;
import dev.lode.report.ReportFixture.Order;
import dev.lode.report.ReportFixture.Send;
import dev.lode.report.ReportFixture.TagValue;
import dev.lode.testing.TestWarehouse;
import dev.lode.warehouse.Warehouse;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every built-in report on the fixture data, its numbers checked against the same
 * figures computed here in Java from the fixture records (or, where the report reads the
 * whole warehouse, an independent query), plus the report views a JDBC client reads.
 */
class ReportsTest {
  private static Warehouse warehouse;
  private static ReportFixture fx;
  private static ReportCatalog catalog;
  private static ReportQuery query;

  @BeforeAll
  static void load() throws Exception {
    warehouse = TestWarehouse.get();
    fx = ReportFixture.load(warehouse);
    catalog = ReportCatalog.load(null);
    query = new ReportQuery(warehouse::connect, 120);
  }

  private static ReportResult run(String report, Map<String, String> params) throws Exception {
    ReportDefinition d = catalog.get(report);
    return query.run(d, ReportQuery.bind(d, params, Clock.systemUTC()));
  }

  private static boolean inWeek(LocalDateTime t) {
    return !t.toLocalDate().isBefore(ReportFixture.WEEK) && !t.toLocalDate().isAfter(ReportFixture.WEEK_END);
  }

  private static double round2(double v) {
    return Math.round(v * 100) / 100.0;
  }

  private static double num(ReportResult r, Object[] row, String col) {
    return ((Number) row[r.indexOf(col)]).doubleValue();
  }

  /** Percentages are Float64 rounded by the engine (ties to even), so a tie may land 0.01 away. */
  private static void near(double expected, double actual, String what) {
    assertEquals(expected, actual, 0.01 + 1e-9, what);
  }

  @Test
  void dailyKpiMatchesTheFixture() throws Exception {
    ReportResult r = run("daily_kpi", Map.of("start_date", ReportFixture.WEEK.toString(),
        "end_date", ReportFixture.WEEK_END.toString()));
    assertEquals(List.of("day", "visitors", "sessions", "purchase_sessions", "session_conversion_pct", "orders",
        "revenue", "avg_order_value"),
        r.columns());
    assertEquals(7, r.rows().size());
    long totalOrders = 0;
    for (int i = 0; i < 7; i++) {
      LocalDate day = ReportFixture.WEEK.plusDays(i);
      Object[] row = r.rows().get(i);
      assertEquals(day, row[0]);
      List<Event> evs = fx.events.stream().filter(e -> e.time().toLocalDate().equals(day)).toList();
      Set<String> visitors = evs.stream().map(e -> e.personId().isEmpty() ? e.distinctId() : e.personId())
          .collect(Collectors.toSet());
      Set<String> sessions = evs.stream().map(Event::session).collect(Collectors.toSet());
      Set<String> converting = evs.stream().filter(e -> e.name().equals("purchase")).map(Event::session)
          .collect(Collectors.toSet());
      List<Order> ords = fx.orders.stream()
          .filter(o -> o.status().equals("completed") && o.time().toLocalDate().equals(day)).toList();
      BigDecimal revenue = ords.stream().map(Order::total).reduce(BigDecimal.ZERO, BigDecimal::add);
      assertEquals(visitors.size(), num(r, row, "visitors"), "visitors " + day);
      assertEquals(sessions.size(), num(r, row, "sessions"), "sessions " + day);
      assertEquals(converting.size(), num(r, row, "purchase_sessions"), "purchase sessions " + day);
      near(sessions.isEmpty() ? 0 : round2(100.0 * converting.size() / sessions.size()),
          num(r, row, "session_conversion_pct"), "conversion " + day);
      assertEquals(ords.size(), num(r, row, "orders"), "orders " + day);
      assertEquals(0, revenue.compareTo((BigDecimal) row[r.indexOf("revenue")]), "revenue " + day);
      BigDecimal aov = ords.isEmpty() ? BigDecimal.ZERO
          : revenue.divide(BigDecimal.valueOf(ords.size()), 2, java.math.RoundingMode.HALF_UP);
      assertEquals(0, aov.compareTo((BigDecimal) row[r.indexOf("avg_order_value")]),
          "aov " + day + ": " + aov + " vs " + row[r.indexOf("avg_order_value")]);
      totalOrders += ords.size();
    }
    assertTrue(totalOrders > 10, "the fixture has orders in the week: " + totalOrders);
  }

  @Test
  void weeklyFunnelMatchesAJavaWindowFunnel() throws Exception {
    ReportResult r = run("weekly_funnel", Map.of("week_start", ReportFixture.WEEK.toString(), "window_hours", "24"));
    List<String> steps = List.of("product_view", "add_to_cart", "checkout", "purchase");
    Map<String, List<Event>> byVisitor = new HashMap<>();
    for (Event e : fx.events) {
      if (inWeek(e.time())) {
        byVisitor.computeIfAbsent(e.personId().isEmpty() ? e.distinctId() : e.personId(), k -> new ArrayList<>()).add(e);
      }
    }
    long[] reached = new long[5];
    for (List<Event> evs : byVisitor.values()) {
      evs.sort(Comparator.comparing(Event::time));
      int best = 0;
      for (int s = 0; s < evs.size(); s++) {
        if (!evs.get(s).name().equals(steps.get(0))) {
          continue;
        }
        int level = 1;
        LocalDateTime limit = evs.get(s).time().plusHours(24);
        for (int j = s + 1; j < evs.size() && level < 4 && !evs.get(j).time().isAfter(limit); j++) {
          if (evs.get(j).name().equals(steps.get(level))) {
            level++;
          }
        }
        best = Math.max(best, level);
      }
      for (int l = 1; l <= best; l++) {
        reached[l]++;
      }
    }
    assertEquals(4, r.rows().size());
    for (int step = 1; step <= 4; step++) {
      Object[] row = r.rows().get(step - 1);
      assertEquals(steps.get(step - 1), row[r.indexOf("step_name")]);
      assertEquals(reached[step], num(r, row, "visitors"), "step " + step);
      near(step == 1 ? 100 : round2(100.0 * reached[step] / reached[step - 1]), num(r, row, "from_previous_pct"),
          "from previous " + step);
      near(round2(100.0 * reached[step] / reached[1]), num(r, row, "from_first_pct"), "from first " + step);
    }
    assertTrue(reached[4] > 0 && reached[4] < reached[1], "the fixture funnel narrows: " + java.util.Arrays.toString(reached));
  }

  @Test
  void cohortRetentionMatchesTheFixture() throws Exception {
    ReportResult r = run("cohort_retention", Map.of("first_cohort", "2031-01-01", "months", "3"));
    Map<String, YearMonth> first = new HashMap<>();
    Map<String, Set<YearMonth>> months = new HashMap<>();
    YearMonth last = YearMonth.of(2000, 1);
    for (Order o : fx.orders) {
      if (!o.status().equals("completed")) {
        continue;
      }
      String key = o.personId().isEmpty() ? o.customerKey() : o.personId();
      YearMonth m = YearMonth.from(o.time());
      first.merge(key, m, (a, b) -> a.isBefore(b) ? a : b);
      months.computeIfAbsent(key, k -> new HashSet<>()).add(m);
      last = m.isAfter(last) ? m : last;
    }
    Map<YearMonth, Long> sizes = first.values().stream().collect(Collectors.groupingBy(m -> m, TreeMap::new,
        Collectors.counting()));
    List<String> expected = new ArrayList<>();
    for (var cohort : sizes.entrySet()) {
      for (int k = 0; k <= 3 && !cohort.getKey().plusMonths(k).isAfter(last); k++) {
        YearMonth target = cohort.getKey().plusMonths(k);
        long active = first.entrySet().stream()
            .filter(e -> e.getValue().equals(cohort.getKey()) && months.get(e.getKey()).contains(target)).count();
        expected.add(cohort.getKey() + "-01|" + cohort.getValue() + "|" + k + "|" + active + "|"
            + round2(100.0 * active / cohort.getValue()));
      }
    }
    List<String> actual = new ArrayList<>();
    for (Object[] row : r.rows()) {
      actual.add(row[0] + "|" + ReportResult.text(row[1]) + "|" + ReportResult.text(row[2]) + "|"
          + ReportResult.text(row[3]) + "|" + round2(num(r, row, "retention_pct")));
    }
    assertEquals(expected, actual);
    assertTrue(expected.size() >= 9, "three cohorts followed for several months: " + expected);
  }

  /** Expected campaign rows as {campaign → [responders, non, resp conv %, non conv %, resp rev/person, non rev/person]}. */
  private static Map<String, double[]> expectedCampaigns(Set<String> segment) {
    Map<String, double[]> out = new TreeMap<>();
    Map<String, LocalDateTime> firstSend = new LinkedHashMap<>();
    for (Send s : fx.sends) {
      if (!s.personId().isEmpty()) {
        firstSend.merge(s.campaign() + "|" + s.personId(), s.sentAt(), (a, b) -> a.isBefore(b) ? a : b);
      }
    }
    Set<String> responded = fx.responses.stream().filter(x -> x.type().equals("click") || x.type().equals("convert"))
        .map(x -> x.campaign() + "|" + x.personId()).collect(Collectors.toSet());
    Map<String, double[]> acc = new TreeMap<>();
    firstSend.forEach((key, sent) -> {
      String campaign = key.split("\\|")[0];
      String person = key.split("\\|")[1];
      boolean browsed = fx.events.stream().anyMatch(e -> e.personId().equals(person) && e.time().isBefore(sent)
          && !e.time().isBefore(sent.minusDays(30)));
      if (!browsed || (segment != null && !segment.contains(person))) {
        return;
      }
      List<Order> after = fx.orders.stream().filter(o -> o.status().equals("completed") && o.personId().equals(person)
          && !o.time().isBefore(sent) && o.time().isBefore(sent.plusDays(14))).toList();
      double revenue = after.stream().mapToDouble(o -> o.total().doubleValue()).sum();
      double[] a = acc.computeIfAbsent(campaign, k -> new double[6]);
      int g = responded.contains(key) ? 0 : 1;
      a[g]++;
      a[2 + g] += after.isEmpty() ? 0 : 1;
      a[4 + g] += revenue;
    });
    acc.forEach((campaign, a) -> out.put(campaign, new double[] {a[0], a[1],
        a[0] == 0 ? 0 : round2(100 * a[2] / a[0]), a[1] == 0 ? 0 : round2(100 * a[3] / a[1]),
        a[0] == 0 ? 0 : round2(a[4] / a[0]), a[1] == 0 ? 0 : round2(a[5] / a[1])}));
    return out;
  }

  private static void assertCampaigns(Map<String, double[]> expected, ReportResult r) {
    Map<String, Object[]> rows = new TreeMap<>();
    for (Object[] row : r.rows()) {
      if (((String) row[0]).startsWith("fx-")) {
        rows.put((String) row[0], row);
      }
    }
    assertEquals(expected.keySet(), rows.keySet());
    expected.forEach((c, e) -> {
      Object[] row = rows.get(c);
      assertEquals(e[0], num(r, row, "responders"), c + " responders");
      assertEquals(e[1], num(r, row, "non_responders"), c + " non-responders");
      near(e[2], num(r, row, "responder_conversion_pct"), c + " responder conversion");
      near(e[3], num(r, row, "non_responder_conversion_pct"), c + " non-responder conversion");
      near(round2(e[2] - e[3]), num(r, row, "uplift_pts"), c + " uplift");
      near(e[4], num(r, row, "responder_revenue_per_person"), c + " responder revenue");
      near(e[5], num(r, row, "non_responder_revenue_per_person"), c + " non-responder revenue");
    });
  }

  @Test
  void campaignEffectComparesBrowsingResponders() throws Exception {
    Map<String, double[]> all = expectedCampaigns(null);
    assertEquals(Set.of("fx-c1", "fx-c2"), all.keySet());
    assertCampaigns(all, run("campaign_effect", Map.of("start_date", "2031-03-01")));

    Set<String> priceSensitive = fx.tagValues.stream()
        .filter(t -> t.tag().equals("fx_price_sensitive") && t.value().equals("yes")).map(TagValue::personId)
        .collect(Collectors.toSet());
    Map<String, double[]> segment = expectedCampaigns(priceSensitive);
    assertCampaigns(segment, run("campaign_effect", Map.of("start_date", "2031-03-01",
        "segment_tag", "fx_price_sensitive", "segment_value", "yes")));
    assertTrue(segment.get("fx-c1")[0] + segment.get("fx-c1")[1] < all.get("fx-c1")[0] + all.get("fx-c1")[1]);
  }

  @Test
  void parametersAreValuesNeverSql() throws Exception {
    // a quote-laden value is compared as a string: no tag has this id, so no recipient qualifies
    ReportResult r = run("campaign_effect", Map.of("start_date", "2031-03-01",
        "segment_tag", "x' OR 1=1 OR tag_id != '", "segment_value", "\\'; DROP TABLE orders; --"));
    assertTrue(r.rows().stream().noneMatch(row -> ((String) row[0]).startsWith("fx-")), "no campaign rows");
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> run("daily_kpi", Map.of("start_date", "2031-03-01' OR 1=1 --")));
    assertTrue(bad.getMessage().contains("parameter 'start_date' expects a Date (YYYY-MM-DD)"), bad.getMessage());
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> run("daily_kpi", Map.of("day", "2031-03-01")));
    assertTrue(unknown.getMessage().contains("has no parameter 'day' (parameters: start_date, end_date)"),
        unknown.getMessage());
    try (Connection c = warehouse.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT count() FROM orders WHERE order_id LIKE 'fx-%'")) {
      assertTrue(rs.next() && rs.getLong(1) == fx.orders.size());
    }
  }

  @Test
  void tagHealthOnFixtureTags() throws Exception {
    ReportResult r = run("tag_health", Map.of("as_of", ReportFixture.TAG_AS_OF.toString()));
    Map<String, Object[]> rows = new TreeMap<>();
    for (Object[] row : r.rows()) {
      if (((String) row[0]).startsWith("fx_")) {
        rows.put((String) row[0], row);
      }
    }
    assertEquals(Set.of("fx_price_sensitive", "fx_unused"), rows.keySet(), "active tags only, computed or not");
    long population;
    try (Connection c = warehouse.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT count() FROM persons FINAL WHERE is_deleted = 0")) {
      rs.next();
      population = rs.getLong(1);
    }
    List<TagValue> vals = fx.tagValues.stream().filter(t -> t.tag().equals("fx_price_sensitive")).toList();
    Map<String, Long> counts = vals.stream().collect(Collectors.groupingBy(TagValue::value, Collectors.counting()));
    var top = counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
    LocalDateTime asOf = ReportFixture.TAG_AS_OF.atStartOfDay();
    Object[] ps = rows.get("fx_price_sensitive");
    assertEquals(2, num(r, ps, "version"));
    assertEquals(vals.size(), num(r, ps, "persons_tagged"));
    near(round2(100.0 * vals.size() / population), num(r, ps, "coverage_pct"), "coverage");
    assertEquals(counts.size(), num(r, ps, "distinct_values"));
    assertEquals(top.getKey(), ps[r.indexOf("top_value")]);
    near(round2(100.0 * top.getValue() / vals.size()), num(r, ps, "top_value_pct"), "top value share");
    near(round2(100.0 * vals.stream().filter(t -> t.version() == 2).count() / vals.size()),
        num(r, ps, "current_version_pct"), "current version");
    near(round2(100.0 * vals.stream().filter(t -> t.expiresAt() != null && t.expiresAt().isBefore(asOf)).count()
        / vals.size()), num(r, ps, "expired_pct"), "expired");
    near(round2(100.0 * vals.stream().filter(t -> t.computedAt().isBefore(asOf.minusDays(30))).count() / vals.size()),
        num(r, ps, "older_than_ttl_pct"), "older than ttl");
    Object[] unused = rows.get("fx_unused");
    assertEquals(0, num(r, unused, "persons_tagged"));
    assertEquals(0, num(r, unused, "coverage_pct"));
  }

  @Test
  void dataQualityMatchesTheFixture() throws Exception {
    ReportResult r = run("data_quality", Map.of("start_date", ReportFixture.WEEK.toString(),
        "end_date", ReportFixture.WEEK_END.toString()));
    Map<String, long[]> expected = new LinkedHashMap<>();
    Set<String> behaved = new HashSet<>();
    Set<String> active = new HashSet<>();
    Set<String> bought = new HashSet<>();
    for (Event e : fx.events) {
      if (inWeek(e.time()) && !e.personId().isEmpty()) {
        active.add(e.personId());
        if (Set.of("page", "screen", "track").contains(e.type()) && !e.name().equals("purchase")) {
          behaved.add(e.personId());
        }
      }
    }
    for (Order o : fx.orders) {
      if (inWeek(o.time()) && !o.personId().isEmpty()) {
        active.add(o.personId());
        bought.add(o.personId());
      }
    }
    expected.put("silent_data_coverage", new long[] {behaved.size(), active.size()});
    expected.put("buyers_without_behavior",
        new long[] {bought.stream().filter(p -> !behaved.contains(p)).count(), bought.size()});
    List<Event> weekEvents = fx.events.stream().filter(e -> inWeek(e.time())).toList();
    expected.put("events_unresolved", new long[] {weekEvents.stream().filter(e -> e.personId().isEmpty()).count(),
        weekEvents.size()});
    List<Order> weekOrders = fx.orders.stream().filter(o -> inWeek(o.time())).toList();
    expected.put("orders_unresolved", new long[] {weekOrders.stream().filter(o -> o.personId().isEmpty()).count(),
        weekOrders.size()});
    expected.put("tickets_unresolved", new long[] {fx.tickets.stream().filter(t -> inWeek(t.opened())
        && t.personId().isEmpty()).count(), fx.tickets.stream().filter(t -> inWeek(t.opened())).count()});
    expected.put("campaign_sends_unresolved", new long[] {fx.sends.stream().filter(s -> inWeek(s.sentAt())
        && s.personId().isEmpty()).count(), fx.sends.stream().filter(s -> inWeek(s.sentAt())).count()});
    expected.put("events_late_over_1_day", new long[] {weekEvents.stream()
        .filter(e -> Duration.between(e.time(), e.received()).getSeconds() > 86_400).count(), weekEvents.size()});
    long quarantined = fx.quarantine.stream().filter(q -> inWeek(q.received())).count();
    long received = fx.events.stream().filter(e -> inWeek(e.received())).count()
        + fx.orders.stream().filter(o -> inWeek(o.time().plusHours(1))).count()
        + fx.tickets.stream().filter(t -> inWeek(t.opened().plusHours(1))).count()
        + fx.sends.stream().filter(s -> inWeek(s.sentAt())).count()
        + fx.responses.stream().filter(s -> inWeek(s.at())).count();
    expected.put("input_quarantined", new long[] {quarantined, quarantined + received});
    expected.put("quarantine_reason:bad_json", new long[] {fx.quarantine.stream().filter(q -> inWeek(q.received())
        && q.reason().equals("bad_json")).count(), quarantined});
    expected.put("quarantine_reason:missing_id", new long[] {fx.quarantine.stream().filter(q -> inWeek(q.received())
        && q.reason().equals("missing_id")).count(), quarantined});

    Map<String, long[]> actual = new LinkedHashMap<>();
    for (Object[] row : r.rows()) {
      actual.put((String) row[0], new long[] {(long) num(r, row, "numerator"), (long) num(r, row, "denominator")});
      long[] e = expected.get((String) row[0]);
      if (e != null) {
        near(e[1] == 0 ? 0 : round2(100.0 * e[0] / e[1]), num(r, row, "pct"), (String) row[0]);
      }
    }
    assertEquals(expected.keySet(), actual.keySet());
    expected.forEach((k, v) -> assertEquals(List.of(v[0], v[1]), List.of(actual.get(k)[0], actual.get(k)[1]), k));
    long[] silent = expected.get("silent_data_coverage");
    assertTrue(silent[0] > 0 && silent[0] < silent[1], "some, not all, active persons show behavior: "
        + silent[0] + "/" + silent[1]);
  }

  @Test
  void reportsAreViewsAJdbcClientCanRead() throws Exception {
    assertEquals(List.of(), ReportViews.refresh(warehouse::connect, catalog));
    ReportResult direct = run("daily_kpi", Map.of("start_date", ReportFixture.WEEK.toString(),
        "end_date", ReportFixture.WEEK_END.toString()));
    try (Connection c = warehouse.connect(); Statement st = c.createStatement()) {
      List<String> viaView = new ArrayList<>();
      try (ResultSet rs = st.executeQuery("SELECT day, visitors, sessions, orders, revenue FROM report_daily_kpi_with("
          + "start_date = '2031-03-03', end_date = '2031-03-09') ORDER BY day")) {
        while (rs.next()) {
          viaView.add(rs.getString(1) + " " + rs.getLong(2) + " " + rs.getLong(3) + " " + rs.getLong(4) + " "
              + rs.getBigDecimal(5).stripTrailingZeros().toPlainString());
        }
      }
      List<String> viaRun = new ArrayList<>();
      for (Object[] row : direct.rows()) {
        viaRun.add(row[0] + " " + ReportResult.text(row[1]) + " " + ReportResult.text(row[2]) + " "
            + ReportResult.text(row[direct.indexOf("orders")]) + " "
            + ((BigDecimal) row[direct.indexOf("revenue")]).stripTrailingZeros().toPlainString());
      }
      assertEquals(viaRun, viaView);
      // the plain view uses the defaults, relative to today: the last 7 days
      try (ResultSet rs = st.executeQuery("SELECT count(), min(day) = today() - 7, max(day) = today() - 1"
          + " FROM report_daily_kpi")) {
        assertTrue(rs.next());
        assertEquals(List.of(7L, 1L, 1L), List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3)));
      }
      // every report reads the same through its parameterized view as through a run (fixture week parameters)
      Map<String, String> week = Map.of("start_date", "2031-03-01", "end_date", "2031-03-09", "week_start",
          "2031-03-03", "first_cohort", "2031-01-01", "as_of", "2031-03-10");
      for (ReportDefinition d : catalog.all()) {
        Map<String, String> given = new HashMap<>();
        d.parameters().forEach(p -> { if (week.containsKey(p.name())) given.put(p.name(), week.get(p.name())); });
        Map<String, String> bound = ReportQuery.bind(d, given, Clock.systemUTC());
        ReportResult r = query.run(d, bound);
        StringBuilder args = new StringBuilder();
        bound.forEach((k, v) -> args.append(args.isEmpty() ? "" : ", ").append(k).append(" = ")
            .append(ParameterType.quote(v)));
        try (ResultSet rs = st.executeQuery("SELECT * FROM " + d.viewName() + "_with(" + args + ")")) {
          assertEquals(r.columns().size(), rs.getMetaData().getColumnCount(), d.name());
          int rows = 0;
          while (rs.next()) {
            assertEquals(ReportResult.text(r.rows().get(rows)[0]), rs.getString(1), d.name() + " row " + rows);
            rows++;
          }
          assertEquals(r.rows().size(), rows, d.name());
        }
        try (ResultSet rs = st.executeQuery("SELECT * FROM " + d.viewName() + " LIMIT 1")) {
          assertEquals(r.columns().size(), rs.getMetaData().getColumnCount(), d.name());
        }
      }
    }
    assertFalse(catalog.all().isEmpty());
  }
}
