package dev.lode.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.clock.AsOf;
import dev.lode.tags.TagService;
import dev.lode.testing.TestWarehouse;
import dev.lode.warehouse.SqlLiteral;
import dev.lode.warehouse.Warehouse;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Profiles of a sales history from 2011 refreshed with the default clock ({@code auto}): recency as
 * of the data, revenue to the cent, and RFM scores equal to an exact quintile computation written
 * here in plain Java over the same orders, with its tie rule.
 */
class ProfileAsOfDataTest {
  // more persons than ClickHouse's approximate quantiles keep exactly (a reservoir of 8,192)
  private static final int PERSONS = 10_000;
  private static final Instant START = Instant.parse("2011-01-01T08:00:00Z");
  private static Warehouse w;
  private static final Map<String, Customer> CUSTOMERS = new HashMap<>();
  private static Instant newest = Instant.EPOCH;

  /** One customer's orders as the test wrote them. */
  private record Customer(String person, List<Instant> times, List<BigDecimal> totals) {
    BigDecimal revenue() {
      return totals.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    Instant last() {
      return times.stream().max(Instant::compareTo).orElseThrow();
    }

    Instant first() {
      return times.stream().min(Instant::compareTo).orElseThrow();
    }
  }

  @BeforeAll
  static void history() throws SQLException {
    w = TestWarehouse.isolated("profile_asof");
    Random rnd = new Random(17);
    StringBuilder values = new StringBuilder();
    for (int i = 0; i < PERSONS; i++) {
      String person = "asof-p" + i;
      // frequency with ties, as in retail: most buy once, few often
      int r = rnd.nextInt(100);
      int orders = r < 55 ? 1 : r < 75 ? 2 : r < 85 ? 3 : 4 + rnd.nextInt(12);
      Customer c = new Customer(person, new ArrayList<>(), new ArrayList<>());
      for (int k = 0; k < orders; k++) {
        // minutes over eleven months; cents that a binary float cannot hold (0.1, 338.49, …)
        Instant t = START.plus(rnd.nextInt(11 * 30 * 24 * 60), ChronoUnit.MINUTES).plusMillis(i);
        BigDecimal total = i % 25 == 0 ? new BigDecimal("10.00")
            : BigDecimal.valueOf(10 + rnd.nextInt(60_000), 2);
        c.times().add(t);
        c.totals().add(total);
        newest = t.isAfter(newest) ? t : newest;
        values.append(values.isEmpty() ? "" : ", ").append("(").append(SqlLiteral.string(person + "-o" + k))
            .append(", '', ").append(SqlLiteral.string(person)).append(", ").append(SqlLiteral.timestamp(t))
            .append(", 'completed', toDecimal64(").append(SqlLiteral.string(total.toPlainString()))
            .append(", 4), 'GBP', 'United Kingdom', 'web', 'test', now64(3))");
      }
      CUSTOMERS.put(person, c);
    }
    try (Connection c = w.connect(); Statement st = c.createStatement()) {
      st.execute("INSERT INTO orders (order_id, customer_key, person_id, order_time, status, total, currency, country,"
          + " channel, source, loaded_at) VALUES " + values);
    }
    // the clock a user who loaded files gets by default
    Instant asOf = TagService.configuredAsOf(TestWarehouse.config().with(AsOf.KEY, "auto")).instantIn(w);
    new ProfileRefresher(w, new ProfileSettings(7, 2000)).refreshAll(asOf);
  }

  @Test
  void autoClockIsJustAfterTheNewestRecordOfAHistory() throws SQLException {
    assertEquals(newest.plusMillis(1), AsOf.AUTO.instantIn(w));
    assertEquals(newest.plusMillis(1), AsOf.parse("latest-event").instantIn(w), "orders count when there are no events");
    try (Connection c = w.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT toUnixTimestamp64Milli(as_of) FROM refresh_runs WHERE target = 'profiles'")) {
      assertTrue(rs.next());
      assertEquals(newest.plusMillis(1).toEpochMilli(), rs.getLong(1));
    }
  }

  @Test
  void ordersRevenueAndRecencyAsOfTheData() throws SQLException {
    LocalDate asOfDay = LocalDate.ofInstant(newest.plusMillis(1), ZoneOffset.UTC);
    int checked = 0;
    long maxRecency = 0;
    try (Connection c = w.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT person_id, orders, revenue, toUnixTimestamp64Milli(first_order_at),"
             + " toUnixTimestamp64Milli(last_order_at), recency_days FROM profiles WHERE startsWith(person_id, 'asof-')")) {
      while (rs.next()) {
        Customer x = CUSTOMERS.get(rs.getString(1));
        assertEquals(x.times().size(), rs.getLong(2), x.person());
        BigDecimal revenue = rs.getBigDecimal(3);
        assertEquals(4, revenue.scale(), "revenue keeps its four decimals");
        assertEquals(x.revenue().setScale(4), revenue, "revenue of " + x.person() + " to the cent");
        assertEquals(x.first().toEpochMilli(), rs.getLong(4));
        assertEquals(x.last().toEpochMilli(), rs.getLong(5));
        long recency = ChronoUnit.DAYS.between(LocalDate.ofInstant(x.last(), ZoneOffset.UTC), asOfDay);
        assertEquals(recency, rs.getLong(6), "recency of " + x.person() + " in calendar days to the as-of day");
        maxRecency = Math.max(maxRecency, recency);
        checked++;
      }
    }
    assertEquals(PERSONS, checked);
    assertTrue(maxRecency < 340, "recency as of the data, not of today: " + maxRecency);
  }

  @Test
  void rfmScoresAreExactQuintilesWithTiesSharingAScore() throws SQLException {
    List<Customer> all = new ArrayList<>(CUSTOMERS.values());
    Map<String, String> expected = new HashMap<>();
    Function<Customer, Integer> r = scorer(all, c -> c.last().toEpochMilli());
    Function<Customer, Integer> f = scorer(all, c -> c.times().size());
    Function<Customer, Integer> m = scorer(all, Customer::revenue);
    for (Customer x : all) {
      expected.put(x.person(), "" + r.apply(x) + f.apply(x) + m.apply(x));
    }
    Map<String, String> actual = new HashMap<>();
    Map<Integer, Integer> perR = new HashMap<>();
    try (Connection c = w.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT person_id, rfm, r_score FROM profiles WHERE startsWith(person_id, 'asof-')")) {
      while (rs.next()) {
        actual.put(rs.getString(1), rs.getString(2));
        perR.merge(rs.getInt(3), 1, Integer::sum);
      }
    }
    assertEquals(expected, actual);
    // last order times are all different: each recency quintile holds exactly a fifth
    assertEquals(Map.of(1, 2000, 2, 2000, 3, 2000, 4, 2000, 5, 2000), perR);
  }

  // the documented rule: 1 + floor(5 * (persons with a strictly smaller value) / persons)
  private static <T extends Comparable<T>> Function<Customer, Integer> scorer(List<Customer> all,
                                                                             Function<Customer, T> value) {
    List<T> sorted = all.stream().map(value).sorted().toList();
    return x -> {
      T v = value.apply(x);
      int lo = 0;
      int hi = sorted.size();
      while (lo < hi) { // the first position holding v: how many values are smaller
        int mid = (lo + hi) >>> 1;
        if (sorted.get(mid).compareTo(v) < 0) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return (int) (1 + 5L * lo / sorted.size());
    };
  }
}
