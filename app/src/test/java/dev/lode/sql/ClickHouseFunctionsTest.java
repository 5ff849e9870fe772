package dev.lode.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.config.Credentials;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.apache.calcite.runtime.Hook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ClickHouse functions of the allow-list, called by their ClickHouse names through the Avatica
 * driver (as an admin, who sees raw person ids), run as themselves inside ClickHouse (the generated SQL is asserted) and answer what
 * ClickHouse answers natively for the same question; {@code quantile(x, level)} is Lode's
 * spelling of the parametric {@code quantile(level)(x)}.
 */
class ClickHouseFunctionsTest {
  private static Hook.Closeable hook;
  private static final String WHERE = " FROM events WHERE event_name = 'cf_ev'";

  @BeforeAll
  static void data() throws SQLException {
    hook = Native.capture();
    StringBuilder sql = new StringBuilder("INSERT INTO events (event_id, event_time, received_time, distinct_id,"
        + " event_name, quantity, page, source) VALUES ");
    for (int i = 0; i < 40; i++) {
      sql.append(i == 0 ? "" : ", ").append("('cf-").append(i).append("', toDateTime64('2011-05-29 00:00:00', 3, 'UTC')")
          .append(" + toIntervalMinute(").append(i * 997).append("), now64(3), 'cf-p").append(i % 6)
          .append("', 'cf_ev', ").append(i % 7 - 2).append(", '").append(i % 3 == 0 ? "/Pricing/plan" : "/docs")
          .append("', 'test')");
    }
    try (Connection w = SqlClient.warehouse(); Statement st = w.createStatement()) {
      st.execute(sql.toString());
    }
  }

  @AfterAll
  static void unhook() {
    hook.close();
  }

  @Test
  void timeGrains() throws SQLException {
    for (String f : List.of("toStartOfYear", "toStartOfQuarter", "toStartOfMonth", "toMonday", "toStartOfDay",
        "toStartOfHour", "toStartOfMinute", "toDate")) {
      Native.same("SELECT " + f + "(event_time) AS g, COUNT(*) AS c" + WHERE + " GROUP BY " + f + "(event_time) ORDER BY 1",
          "SELECT " + f + "(event_time) AS g, count() AS c" + WHERE + " GROUP BY g ORDER BY g", f + "(`event_time`)");
    }
    // Sunday weeks (mode 0), written in lower case as a BI tool might
    Native.same("SELECT tostartofweek(event_time, 0) AS w, COUNT(*) AS c" + WHERE + " GROUP BY tostartofweek(event_time, 0)"
        + " ORDER BY 1", "SELECT toStartOfWeek(event_time, 0) AS w, count() AS c" + WHERE + " GROUP BY w ORDER BY w",
        "toStartOfWeek(`event_time`, 0)");
  }

  @Test
  void stringFunctions() throws SQLException {
    Native.same("SELECT event_id, length(page), positionCaseInsensitive(page, 'pricing')" + WHERE
            + " AND positionCaseInsensitive(page, 'pricing') > 0 ORDER BY event_id",
        "SELECT event_id, length(page), positionCaseInsensitive(page, 'pricing')" + WHERE
            + " AND positionCaseInsensitive(page, 'pricing') > 0 ORDER BY event_id", "positionCaseInsensitive(");
  }

  @Test
  void conditionalAndDistinctAggregates() throws SQLException {
    Native.same("SELECT distinct_id, countIf(quantity > 0), sumIf(quantity, quantity > 0), avgIf(quantity, page = '/docs'),"
            + " uniq(page), uniqExact(event_id)" + WHERE + " GROUP BY distinct_id ORDER BY distinct_id",
        "SELECT distinct_id, countIf(quantity > 0), sumIf(quantity, quantity > 0), avgIf(quantity, page = '/docs'),"
            + " uniq(page), uniqExact(event_id)" + WHERE + " GROUP BY distinct_id ORDER BY distinct_id", "countIf(");
    Native.same("SELECT quantile(quantity, 0.9) AS q" + WHERE, "SELECT quantile(0.9)(quantity)" + WHERE, "quantile(0.9)(");
  }

  @Test
  void timeParts() throws SQLException {
    String parts = "toYear(event_time), toQuarter(event_time), toMonth(event_time), toDayOfMonth(event_time),"
        + " toDayOfWeek(event_time), toHour(event_time), toMinute(event_time), toYYYYMM(event_time),"
        + " toYYYYMMDD(event_time), toUnixTimestamp(event_time), formatDateTime(event_time, '%Y-%m-%d %H')";
    Native.same("SELECT event_id, " + parts + WHERE + " ORDER BY event_id", "SELECT event_id, " + parts + WHERE
        + " ORDER BY event_id", "toYYYYMMDD(`event_time`)");
  }

  @Test
  void stringAndUrlFunctions() throws SQLException {
    String url = "concat('https://www.shop.example', page, '?utm_source=', distinct_id)";
    String fs = "startsWith(page, '/docs'), endsWith(page, 'plan'), match(page, '^/[A-Z]'),"
        + " regexpExtract(page, '/([a-z]+)$', 1), replaceAll(page, '/', '|'), replaceRegexpAll(page, '[aeiou]', '_'),"
        + " replaceOne(page, '/', ''), replaceRegexpOne(page, '^/', ''), lengthUTF8(page), empty(page), notEmpty(page),"
        + " domain(" + url + "), domainWithoutWWW(" + url + "), protocol(" + url + "), path(" + url + "),"
        + " cutQueryString(" + url + "), extractURLParameter(" + url + ", 'utm_source'),"
        + " arrayStringConcat(splitByChar('/', page), '-'), arrayStringConcat(splitByString('ic', page)),"
        + " arrayStringConcat(extractAll(page, '[a-z]+'), ',')";
    Native.same("SELECT event_id, " + fs + WHERE + " ORDER BY event_id", "SELECT event_id, " + asBool(fs) + WHERE
        + " ORDER BY event_id", "extractURLParameter(");
  }

  @Test
  void arrayFunctions() throws SQLException {
    String parts = "splitByChar('/', page)";
    String fs = "has(" + parts + ", 'docs'), hasAny(" + parts + ", splitByChar(',', 'plan,x')), hasAll(" + parts
        + ", splitByChar(',', 'Pricing,plan')), indexOf(" + parts + ", 'plan'), arrayElement(" + parts + ", 2),"
        + " length(" + parts + "), notEmpty(" + parts + "), arrayStringConcat(arraySort(" + parts + "), ','),"
        + " arrayStringConcat(arrayReverseSort(" + parts + "), ','), arrayStringConcat(arrayDistinct(" + parts
        + "), ','), arrayStringConcat(arrayReverse(" + parts + "), ',')";
    Native.same("SELECT event_id, " + fs + WHERE + " AND has(" + parts + ", 'docs') = false ORDER BY event_id",
        "SELECT event_id, " + asBool(fs) + WHERE + " AND has(" + parts + ", 'docs') = false ORDER BY event_id", "hasAll(");
  }

  @Test
  void combinatorsAndQuantiles() throws SQLException {
    String parts = "splitByChar('/', page)";
    String aggs = "uniqIf(page, quantity > 0), uniqExactIf(page, quantity > 0), minIf(quantity, page = '/docs'),"
        + " maxIf(quantity, page = '/docs'), uniqCombined(page), uniqHLL12(page), sumArray(arrayEnumerate(" + parts
        + ")), avgArray(arrayEnumerate(" + parts + ")), uniqArray(" + parts + "), uniqExactArray(" + parts + "),"
        + " minArray(" + parts + "), maxArray(" + parts + "), arraySort(groupArray(quantity)),"
        + " arraySort(groupUniqArray(page))";
    Native.same("SELECT distinct_id, " + aggs + WHERE + " GROUP BY distinct_id ORDER BY distinct_id",
        "SELECT distinct_id, " + aggs + WHERE + " GROUP BY distinct_id ORDER BY distinct_id", "uniqExactArray(");
    String qs = "quantileExact(quantity, 0.5), quantileTDigest(quantity, 0.9), quantileTiming(quantity, 0.5),"
        + " median(quantity), medianExact(quantity)";
    Native.same("SELECT " + qs.replace("quantity, 0.5)", "quantity, 0.5)") + WHERE,
        "SELECT quantileExact(0.5)(quantity), quantileTDigest(0.9)(quantity), quantileTiming(0.5)(quantity),"
            + " median(quantity), medianExact(quantity)" + WHERE, "quantileExact(0.5)(");
  }

  /** The native form of {@code fs} with each test function read as a Bool, as Lode types it (ClickHouse answers a UInt8). */
  private static String asBool(String fs) {
    StringBuilder out = new StringBuilder();
    int depth = 0;
    int start = 0;
    for (int i = 0; i <= fs.length(); i++) {
      char c = i < fs.length() ? fs.charAt(i) : ',';
      depth += c == '(' ? 1 : c == ')' ? -1 : 0;
      if (c == ',' && depth == 0) {
        String f = fs.substring(start, i).trim();
        String name = f.substring(0, Math.max(0, f.indexOf('(')));
        boolean test = List.of("startsWith", "endsWith", "match", "empty", "notEmpty", "has", "hasAny", "hasAll")
            .contains(name);
        out.append(out.length() == 0 ? "" : ", ").append(test ? "toBool(" + f + ")" : f);
        start = i + 1;
      }
    }
    return out.toString();
  }
}
