package dev.lode.sql.schema;

import java.util.List;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataTypeSystem;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIntervalLiteral;
import org.apache.calcite.sql.parser.SqlParserUtil;
import org.apache.calcite.sql.type.SqlTypeFactoryImpl;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.avatica.util.TimeUnitRange;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.dialect.ClickHouseSqlDialect;

/**
 * Calcite's ClickHouse dialect with Lode's choices: {@code COUNT(DISTINCT x)} is sent as
 * ClickHouse's exact {@code uniqExact(x)}, so distinct counts never leave the engine and
 * never depend on the server's {@code count_distinct_implementation} setting. String literals
 * and identifiers escape backslashes, which ClickHouse (unlike standard SQL) reads as escapes:
 * otherwise a literal ending in a backslash would run on into the rest of the generated query.
 * Interval arithmetic the BI tools' {@code TIMESTAMPADD}/{@code TIMESTAMPDIFF} expand to is
 * written with ClickHouse's interval functions and {@code dateDiff}/{@code age}, which ClickHouse
 * accepts where Calcite's standard forms ({@code INTERVAL '1' DAY * n}, {@code INTERVAL -'7' DAY},
 * reinterpreted date differences, {@code /INT}) fail; integer division is {@code intDiv}, as
 * ClickHouse's {@code /} always returns a float.
 */
public class ClickHouseDialect extends ClickHouseSqlDialect {
  public static final ClickHouseDialect INSTANCE = new ClickHouseDialect();
  /** Builds the substituted expressions; they exist only until SQL is generated from them. */
  private static final RexBuilder REX = new RexBuilder(new SqlTypeFactoryImpl(RelDataTypeSystem.DEFAULT));

  private ClickHouseDialect() {
    super(ClickHouseSqlDialect.DEFAULT_CONTEXT);
  }

  @Override
  public void quoteStringLiteral(StringBuilder buf, String charsetName, String val) {
    buf.append('\'');
    appendEscaped(buf, val, '\'');
    buf.append('\'');
  }

  @Override
  public StringBuilder quoteIdentifier(StringBuilder buf, String val) {
    buf.append('`');
    appendEscaped(buf, val, '`');
    return buf.append('`');
  }

  private static void appendEscaped(StringBuilder buf, String val, char quote) {
    for (int i = 0; i < val.length(); i++) {
      char ch = val.charAt(i);
      if (ch == '\\' || ch == quote) {
        buf.append('\\');
      }
      buf.append(ch);
    }
  }

  @Override
  public void unparseSqlIntervalLiteral(SqlWriter writer, SqlIntervalLiteral literal, int leftPrec, int rightPrec) {
    SqlIntervalLiteral.IntervalValue v = literal.getValueAs(SqlIntervalLiteral.IntervalValue.class);
    boolean months = v.getIntervalQualifier().isYearMonth();
    long value = v.getSign() * (months ? SqlParserUtil.intervalToMonths(v) : SqlParserUtil.intervalToMillis(v));
    String[] unit = IntervalUnit.of(value, months);
    writer.keyword("INTERVAL");
    writer.print(unit[1]);
    writer.setNeedWhitespace(true);
    writer.keyword(unit[0]);
  }

  /**
   * Calcite's own wrapping of a join's right-hand join (1.42) reads column names from a
   * {@code SELECT *} and can reuse an alias of the left side; {@link NestedJoinProgram} puts a
   * projection over such inputs instead, which becomes an ordinary aliased sub-query.
   */
  @Override
  public boolean shouldWrapNestedJoin(RelNode rel) {
    return false;
  }

  /**
   * A JOIN that {@link NestedJoinProgram} marked as the right input of another join lists its
   * columns, so the aliased sub-query around it names each one.
   */
  @Override
  public boolean supportGenerateSelectStar(RelNode input) {
    return !NestedJoinProgram.endsInNestedJoin(input) && super.supportGenerateSelectStar(input);
  }

  /**
   * Rewrites, before SQL is generated, what Calcite expands {@code TIMESTAMPDIFF} and
   * {@code TIMESTAMPADD} to: the reinterpreted difference of two datetimes (milliseconds, or
   * months for year-month units) becomes {@code dateDiff('millisecond', a, b)} or
   * {@code age('month', a, b)}; an interval literal times a number becomes
   * {@code toIntervalDay(n)} and friends. Calcite's own integer division and cast around the
   * difference stay, so results equal Calcite's evaluation of the same expression.
   */
  @Override
  public RexNode prepareUnparse(RexNode rex) {
    RexNode r = super.prepareUnparse(rex);
    if (r instanceof org.apache.calcite.rex.RexDynamicParam param) {
      return boundValue(param);
    }
    if (!(r instanceof RexCall call)) {
      return r;
    }
    if (call.getKind() == SqlKind.REINTERPRET && call.getOperands().size() == 1
        && call.getOperands().get(0) instanceof RexCall diff && diff.getKind() == SqlKind.MINUS
        && SqlTypeUtil.isInterval(diff.getType()) && diff.getOperands().size() == 2
        && SqlTypeUtil.isDatetime(diff.getOperands().get(0).getType())) {
      boolean months = diff.getType().getSqlTypeName().getFamily() == SqlTypeFamily.INTERVAL_YEAR_MONTH;
      return REX.makeCall(call.getType(), months ? ClickHouseFunction.AGE : ClickHouseFunction.DATE_DIFF,
          List.of(REX.makeLiteral(months ? "month" : "millisecond"), diff.getOperands().get(1),
              diff.getOperands().get(0)));
    }
    if (call.getOperands().size() == 2 && (call.getOperator().getName().equals("/INT")
        || (call.getKind() == SqlKind.DIVIDE || call.getKind() == SqlKind.CHECKED_DIVIDE)
        && SqlTypeUtil.isIntType(call.getType()))) {
      // Calcite divides integers with truncation toward zero, as ClickHouse's intDiv does;
      // ClickHouse's "/" always divides as floating point (and "/INT" is not SQL)
      return REX.makeCall(call.getType(), ClickHouseFunction.INT_DIV, call.getOperands());
    }
    if ((call.getKind() == SqlKind.TIMES || call.getKind() == SqlKind.CHECKED_TIMES) && SqlTypeUtil.isInterval(call.getType()) && call.getOperands().size() == 2) {
      for (int i = 0; i < 2; i++) {
        if (call.getOperands().get(i) instanceof RexLiteral lit && SqlTypeUtil.isInterval(lit.getType())) {
          RexNode n = call.getOperands().get(1 - i);
          boolean months = lit.getType().getSqlTypeName().getFamily() == SqlTypeFamily.INTERVAL_YEAR_MONTH;
          java.math.BigDecimal value = lit.getValueAs(java.math.BigDecimal.class);
          if (value == null) {
            return r;
          }
          String[] unit = IntervalUnit.of(value.longValueExact(), months);
          java.math.BigDecimal k = new java.math.BigDecimal(unit[1]);
          RexNode count = k.equals(java.math.BigDecimal.ONE) ? n
              : n instanceof RexLiteral nl && nl.getValueAs(java.math.BigDecimal.class) != null
                  ? REX.makeBigintLiteral(k.multiply(nl.getValueAs(java.math.BigDecimal.class)))
                  : REX.makeCall(org.apache.calcite.sql.fun.SqlStdOperatorTable.MULTIPLY, REX.makeBigintLiteral(k), n);
          return REX.makeCall(call.getType(), ClickHouseFunction.toInterval(unit[0]), List.of(count));
        }
      }
    }
    return r;
  }

  /**
   * A bound parameter arrives in Calcite's internal form — a TIMESTAMP as epoch milliseconds, a
   * DATE as a day number — and clickhouse-jdbc sends that
   * number as is, which ClickHouse compares with a DateTime as seconds; the parameter is
   * therefore wrapped in the ClickHouse conversion of that number (the inner parameter is typed
   * BIGINT/INTEGER, so it is not wrapped again).
   */
  private static RexNode boundValue(org.apache.calcite.rex.RexDynamicParam param) {
    var types = REX.getTypeFactory();
    return switch (param.getType().getSqlTypeName()) {
      case TIMESTAMP -> REX.makeCall(param.getType(), ClickHouseFunction.FROM_MILLIS, List.of(
          new org.apache.calcite.rex.RexDynamicParam(types.createSqlType(SqlTypeName.BIGINT), param.getIndex()),
          REX.makeLiteral("UTC")));
      case DATE -> REX.makeCall(param.getType(), ClickHouseFunction.TO_DATE32, List.of(
          new org.apache.calcite.rex.RexDynamicParam(types.createSqlType(SqlTypeName.INTEGER), param.getIndex())));
      default -> param;
    };
  }

  /**
   * Casts name ClickHouse types verbatim (Calcite quotes {@code Nullable(DateTime)} as one
   * identifier); a TIMESTAMP is {@code DateTime64(3, 'UTC')}, as the warehouse stores times,
   * not a second-precision {@code DateTime} in the server's zone.
   */
  @Override
  public SqlNode getCastSpec(org.apache.calcite.rel.type.RelDataType type) {
    SqlNode spec = super.getCastSpec(type);
    String name;
    if (type.getSqlTypeName() == SqlTypeName.TIMESTAMP) {
      name = "DateTime64(" + Math.min(9, Math.max(3, type.getPrecision())) + ", 'UTC')";
      name = type.isNullable() ? "Nullable(" + name + ")" : name;
    } else {
      // Calcite's spec prints its whole ClickHouse name as one quoted identifier
      String text = spec == null ? "" : spec.toSqlString(this).getSql();
      if (!(text.startsWith("`") && text.endsWith("`") && text.indexOf('(') > 0)) {
        return spec;
      }
      name = text.substring(1, text.length() - 1);
    }
    return new org.apache.calcite.sql.SqlDataTypeSpec(new ClickHouseTypeName(name),
        org.apache.calcite.sql.parser.SqlParserPos.ZERO);
  }

  /**
   * Lets the JDBC rules push aggregates of kind OTHER_FUNCTION — Lode's {@link PushedAggregate}s
   * ({@code countIf}, {@code uniq}, {@code quantile}, …), which ClickHouse computes and the JVM
   * cannot; Calcite's own aggregates have kinds of their own.
   */
  @Override
  public boolean supportsAggregateFunction(SqlKind kind) {
    return kind == SqlKind.OTHER_FUNCTION || super.supportsAggregateFunction(kind);
  }

  /**
   * SQL's UNION, INTERSECT and EXCEPT remove duplicates; ClickHouse refuses a bare UNION (its
   * {@code union_default_mode} is empty) and reads a bare INTERSECT or EXCEPT as ALL, which
   * would return duplicate rows: they are written with DISTINCT.
   */
  private static final java.util.Map<SqlOperator, SqlOperator> DISTINCT_SET_OPERATORS = java.util.Map.of(
      org.apache.calcite.sql.fun.SqlStdOperatorTable.UNION,
      new org.apache.calcite.sql.SqlSetOperator("UNION DISTINCT", SqlKind.UNION, 12, false),
      org.apache.calcite.sql.fun.SqlStdOperatorTable.INTERSECT,
      new org.apache.calcite.sql.SqlSetOperator("INTERSECT DISTINCT", SqlKind.INTERSECT, 14, false),
      org.apache.calcite.sql.fun.SqlStdOperatorTable.EXCEPT,
      new org.apache.calcite.sql.SqlSetOperator("EXCEPT DISTINCT", SqlKind.EXCEPT, 12, false));

  @Override
  public void unparseCall(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
    if (call.getKind() == SqlKind.COUNT && call.getFunctionQuantifier() != null
        && "DISTINCT".equalsIgnoreCase(call.getFunctionQuantifier().toValue())) {
      writer.print("uniqExact");
      SqlWriter.Frame f = writer.startList("(", ")");
      for (var operand : call.getOperandList()) {
        writer.sep(",");
        operand.unparse(writer, 0, 0);
      }
      writer.endList(f);
      return;
    }
    SqlOperator distinctSetOp = DISTINCT_SET_OPERATORS.get(call.getOperator());
    if (distinctSetOp != null) {
      distinctSetOp.createCall(call.getParserPosition(), call.getOperandList()).unparse(writer, leftPrec, rightPrec);
      return;
    }
    if (call.getKind() == SqlKind.FLOOR && call.operandCount() == 2) {
      SqlNode unit = call.operand(1);
      TimeUnitRange range = unit instanceof SqlIntervalQualifier q ? q.timeUnitRange
          : unit instanceof SqlLiteral l ? l.getValueAs(TimeUnitRange.class) : null;
      if (range != null) {
        unparseFloor(writer, call.operand(0), range);
        return;
      }
    }
    super.unparseCall(writer, call, leftPrec, rightPrec);
  }

  /**
   * {@code FLOOR(ts TO unit)} as a ClickHouse DateTime (Calcite's own ClickHouse dialect
   * yields a Date for DAY and coarser units, which a TIMESTAMP column cannot read); weeks
   * start on Monday.
   */
  private static void unparseFloor(SqlWriter writer, SqlNode operand, TimeUnitRange unit) {
    String[] wrap = switch (unit) {
      case YEAR -> new String[] {"toDateTime(toStartOfYear(", "), 'UTC')"};
      case QUARTER -> new String[] {"toDateTime(toStartOfQuarter(", "), 'UTC')"};
      case MONTH -> new String[] {"toDateTime(toStartOfMonth(", "), 'UTC')"};
      case WEEK -> new String[] {"toDateTime(toMonday(", "), 'UTC')"};
      case DAY -> new String[] {"toStartOfDay(", ")"};
      case HOUR -> new String[] {"toStartOfHour(", ")"};
      case MINUTE -> new String[] {"toStartOfMinute(", ")"};
      case SECOND -> new String[] {"toStartOfInterval(", ", INTERVAL 1 SECOND)"};
      default -> throw new UnsupportedOperationException("FLOOR to " + unit + " is not supported on ClickHouse");
    };
    writer.print(wrap[0]);
    operand.unparse(writer, 0, 0);
    writer.print(wrap[1]);
    writer.setNeedWhitespace(true);
  }
}
