package dev.lode.sql.schema;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.runtime.Hook;

/**
 * A Calcite connection as the Avatica server opens one (same properties), over one
 * {@link LodeSchemaFactory}, in this thread: a query's rows and the ClickHouse SQL it pushed
 * down (Calcite's {@code QUERY_PLAN} hook, registered for this thread only) come back together.
 */
public final class CalciteHarness {
  /** What one query returned and the statements it sent to ClickHouse. */
  public record Answer(List<List<Object>> rows, List<String> pushed) {
    /** The only pushed statement, whitespace folded; fails if there were several or none. */
    public String only() {
      if (pushed.size() != 1) {
        throw new AssertionError("expected one pushed-down statement, got " + pushed.size() + ":\n" + pushed);
      }
      return pushed.get(0).replaceAll("\\s+", " ");
    }
  }

  private CalciteHarness() {
  }

  /** The properties {@code LodeMeta} gives every server-side Calcite connection. */
  public static Properties properties() {
    Properties p = new Properties();
    p.setProperty("lex", "JAVA");
    p.setProperty("quoting", "DOUBLE_QUOTE");
    p.setProperty("caseSensitive", "false");
    p.setProperty("conformance", "LENIENT");
    p.setProperty("timeZone", "UTC");
    p.setProperty("fun", "standard,postgresql");
    return p;
  }

  /** The parser settings {@code LodeMeta} reads client SQL with (the same as {@link #properties}). */
  public static org.apache.calcite.sql.parser.SqlParser.Config parserConfig() {
    return org.apache.calcite.sql.parser.SqlParser.config().withLex(org.apache.calcite.config.Lex.JAVA)
        .withQuoting(org.apache.calcite.avatica.util.Quoting.DOUBLE_QUOTE).withCaseSensitive(false)
        .withConformance(org.apache.calcite.sql.validate.SqlConformanceEnum.LENIENT);
  }

  /** A connection whose default schema is {@code factory}'s. */
  public static Connection connect(LodeSchemaFactory factory) throws SQLException {
    Connection c = new org.apache.calcite.jdbc.Driver().connect("jdbc:calcite:", properties());
    CalciteConnection calcite = c.unwrap(CalciteConnection.class);
    factory.addTo(calcite.getRootSchema());
    calcite.setSchema(factory.name());
    return c;
  }

  /** Runs {@code sql} on {@code c}, recording what it pushed down. */
  public static Answer run(Connection c, String sql) throws SQLException {
    List<String> pushed = new ArrayList<>();
    java.util.function.Consumer<Object> record = plan -> pushed.add(String.valueOf(plan));
    try (Hook.Closeable ignored = Hook.QUERY_PLAN.addThread(record);
         Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      return new Answer(rows(rs), List.copyOf(pushed));
    }
  }

  /** The rows of a native ClickHouse query, in the same normal form as {@link #run}'s. */
  public static List<List<Object>> nativeRows(Connection clickhouse, String sql) throws SQLException {
    try (Statement st = clickhouse.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      return rows(rs);
    }
  }

  /**
   * Rows with values in a form both drivers agree on: numbers as plain decimals (Calcite's
   * BIGINT and ClickHouse's UInt64 both become "12"), times as UTC wall-clock text.
   */
  public static List<List<Object>> rows(ResultSet rs) throws SQLException {
    List<List<Object>> out = new ArrayList<>();
    int n = rs.getMetaData().getColumnCount();
    while (rs.next()) {
      List<Object> row = new ArrayList<>();
      for (int i = 1; i <= n; i++) {
        row.add(normal(rs.getObject(i)));
      }
      out.add(row);
    }
    return out;
  }

  public static Object normal(Object v) {
    return switch (v) {
      case null -> null;
      case Number x -> new BigDecimal(x.toString()).stripTrailingZeros().toPlainString();
      case java.sql.Timestamp t -> t.toLocalDateTime().toString();
      case LocalDateTime t -> t.toString();
      case OffsetDateTime t -> t.atZoneSameInstant(ZoneOffset.UTC).toLocalDateTime().toString();
      case ZonedDateTime t -> t.withZoneSameInstant(ZoneOffset.UTC).toLocalDateTime().toString();
      default -> v.toString();
    };
  }
}
