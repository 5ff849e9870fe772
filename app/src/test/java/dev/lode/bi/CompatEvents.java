package dev.lode.bi;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Random;

/**
 * The events the BI tools chart: 240 seeded-random events of three kinds over the first
 * quarter of 2034 (every weekday, hour and minute bucket gets some; a fifth have no price),
 * inserted once per test JVM. Every query filters on their names, so other tests' events in
 * the shared warehouse do not change an answer.
 */
final class CompatEvents {
  static final List<String> NAMES = List.of("compat_view", "compat_cart", "compat_buy");
  /** The SQL filter both sides of every comparison apply. */
  static final String ONLY = "event_name IN ('compat_view', 'compat_cart', 'compat_buy')";
  static final LocalDateTime FROM = LocalDateTime.of(2034, 1, 1, 0, 0);
  static final int COUNT = 240;
  private static boolean loaded;

  private CompatEvents() {
  }

  static synchronized void load() throws SQLException {
    if (loaded) {
      return;
    }
    Random random = new Random(2034);
    List<String> countries = List.of("GB", "FR", "DE", "NL");
    StringBuilder sql = new StringBuilder("INSERT INTO events (event_id, event_time, received_time, distinct_id,"
        + " event_name, country, price, quantity, source) VALUES ");
    for (int i = 0; i < COUNT; i++) {
      LocalDateTime t = FROM.plusSeconds(random.nextLong(90L * 86_400)).plusNanos(random.nextInt(1000) * 1_000_000L);
      String price = random.nextInt(5) == 0 ? "NULL"
          : BigDecimal.valueOf(random.nextInt(10_000), 2).setScale(2, RoundingMode.UNNECESSARY).toPlainString();
      String ts = "'" + t.toString().replace('T', ' ') + "'";
      sql.append(i == 0 ? "" : ", ").append("('compat-").append(i).append("', ").append(ts).append(", ").append(ts)
          .append(", 'compat-person-").append(random.nextInt(40)).append("', '")
          .append(NAMES.get(random.nextInt(NAMES.size()))).append("', '")
          .append(countries.get(random.nextInt(countries.size()))).append("', ").append(price).append(", ")
          .append(1 + random.nextInt(5)).append(", 'test')");
    }
    try (Connection w = LodeEndpoint.clickhouse(); Statement st = w.createStatement()) {
      st.execute(sql.toString());
    }
    loaded = true;
  }

  /** The native ClickHouse answer to a question, read through clickhouse-jdbc. */
  static Answer natively(String sql) throws SQLException {
    try (Connection w = LodeEndpoint.clickhouse(); Statement st = w.createStatement();
         var rs = st.executeQuery(sql)) {
      return Answer.of(rs);
    }
  }
}
