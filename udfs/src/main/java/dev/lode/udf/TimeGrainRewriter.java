package dev.lode.udf;

import java.util.Locale;
import java.util.Map;
import org.apache.calcite.avatica.util.TimeUnit;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.dialect.CalciteSqlDialect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlShuttle;

/**
 * Rewrites the PostgreSQL-style {@code DATE_TRUNC('day', ts)} that Superset, Metabase and
 * other BI tools emit into standard {@code FLOOR(ts TO DAY)}, which Calcite's ClickHouse
 * dialect pushes down as {@code toStartOfDay} and friends — so time-grain GROUP BYs run in
 * ClickHouse instead of evaluating a function per row in the JVM. Units: second, minute,
 * hour, day, week (Monday), month, quarter, year.
 */
public final class TimeGrainRewriter extends SqlShuttle {
  private static final Map<String, TimeUnit> UNITS = Map.of("second", TimeUnit.SECOND, "minute", TimeUnit.MINUTE,
      "hour", TimeUnit.HOUR, "day", TimeUnit.DAY, "week", TimeUnit.WEEK, "month", TimeUnit.MONTH,
      "quarter", TimeUnit.QUARTER, "year", TimeUnit.YEAR);

  /** Whether {@code sql} may contain a call this rewriter changes (a cheap pre-check before parsing). */
  public static boolean mayApply(String sql) {
    return sql.toLowerCase(Locale.ROOT).contains("date_trunc");
  }

  /**
   * The statement Calcite should run for {@code sql}: its {@code DATE_TRUNC} calls rewritten,
   * parsed and unparsed with {@code config} (the dialect clients write); a statement without
   * one, or one that does not parse, is returned untouched so Calcite reports its own error.
   */
  public static String rewrite(String sql, SqlParser.Config config) {
    if (!mayApply(sql)) {
      return sql;
    }
    try {
      SqlNode rewritten = SqlParser.create(sql, config).parseStmt().accept(new TimeGrainRewriter());
      return rewritten.toSqlString(c -> c.withDialect(CalciteSqlDialect.DEFAULT).withQuoteAllIdentifiers(true)).getSql();
    } catch (SqlParseException e) {
      return sql;
    }
  }

  @Override
  public SqlNode visit(SqlCall call) {
    SqlCall c = call;
    if (c.getOperator().getName().equalsIgnoreCase("DATE_TRUNC") && c.operandCount() == 2
        && c.operand(0) instanceof org.apache.calcite.sql.SqlDynamicParam) {
      // the grain decides the SQL written for ClickHouse, which is written before values are bound
      throw new IllegalArgumentException("DATE_TRUNC: the unit (first argument) must be a string literal such as"
          + " 'day', not a bound parameter");
    }
    if (c.getOperator().getName().equalsIgnoreCase("DATE_TRUNC") && c.operandCount() == 2
        && c.operand(0) instanceof SqlCharStringLiteral unit) {
      String name = unit.getValueAs(String.class).toLowerCase(Locale.ROOT);
      TimeUnit tu = UNITS.get(name);
      if (tu == null) {
        throw new IllegalArgumentException("DATE_TRUNC: unknown unit '" + name + "'; use one of "
            + String.join(", ", new java.util.TreeSet<>(UNITS.keySet())));
      }
      SqlNode ts = c.operand(1).accept(this);
      SqlParserPos pos = c.getParserPosition();
      if (ts instanceof org.apache.calcite.sql.SqlDynamicParam) {
        // FLOOR cannot type a bare parameter (Metabase writes DATE_TRUNC('week', ?)): it is a timestamp
        ts = SqlStdOperatorTable.CAST.createCall(pos, ts,
            new org.apache.calcite.sql.SqlDataTypeSpec(new org.apache.calcite.sql.SqlBasicTypeNameSpec(
                org.apache.calcite.sql.type.SqlTypeName.TIMESTAMP, 3, pos), pos));
      }
      return SqlStdOperatorTable.FLOOR.createCall(pos, ts, new SqlIntervalQualifier(tu, null, pos));
    }
    return super.visit(call);
  }
}
