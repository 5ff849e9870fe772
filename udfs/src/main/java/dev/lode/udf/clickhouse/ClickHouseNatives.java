package dev.lode.udf.clickhouse;

import dev.lode.sql.schema.PushedAggregate;
import java.util.List;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlReturnTypeInference;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeTransforms;

/**
 * The allow-list of ClickHouse functions SQL clients may call by their ClickHouse names (any
 * letter case): time grains, conversions, string search and the -If and distinct-count
 * aggregates, each pushed down as itself.
 */
public final class ClickHouseNatives {
  private ClickHouseNatives() {
  }

  private static final SqlReturnTypeInference DATE = ReturnTypes.DATE.andThen(SqlTypeTransforms.TO_NULLABLE);
  private static final SqlReturnTypeInference TIMESTAMP =
      ReturnTypes.explicit(SqlTypeName.TIMESTAMP, 3).andThen(SqlTypeTransforms.TO_NULLABLE);
  private static final SqlReturnTypeInference BIGINT = ReturnTypes.BIGINT.andThen(SqlTypeTransforms.TO_NULLABLE);

  /** Every function of the allow-list. */
  public static List<SqlFunction> all() {
    var ts = OperandTypes.family(SqlTypeFamily.DATETIME);
    return List.of(
        new NativeScalar("toStartOfYear", DATE, ts), new NativeScalar("toStartOfQuarter", DATE, ts),
        new NativeScalar("toStartOfMonth", DATE, ts), new NativeScalar("toMonday", DATE, ts),
        new NativeScalar("toStartOfWeek", DATE, OperandTypes.or(ts,
            OperandTypes.family(SqlTypeFamily.DATETIME, SqlTypeFamily.INTEGER))),
        new NativeScalar("toStartOfDay", TIMESTAMP, ts), new NativeScalar("toStartOfHour", TIMESTAMP, ts),
        new NativeScalar("toStartOfMinute", TIMESTAMP, ts),
        new NativeScalar("toDate", DATE, OperandTypes.or(ts, OperandTypes.family(SqlTypeFamily.CHARACTER))),
        new NativeScalar("length", BIGINT, OperandTypes.family(SqlTypeFamily.CHARACTER)),
        new NativeScalar("positionCaseInsensitive", BIGINT,
            OperandTypes.family(SqlTypeFamily.CHARACTER, SqlTypeFamily.CHARACTER)),
        new PushedAggregate("countIf", ReturnTypes.BIGINT, OperandTypes.family(SqlTypeFamily.BOOLEAN)),
        new PushedAggregate("sumIf", ReturnTypes.AGG_SUM,
            OperandTypes.family(SqlTypeFamily.NUMERIC, SqlTypeFamily.BOOLEAN)),
        new PushedAggregate("avgIf", ReturnTypes.DOUBLE.andThen(SqlTypeTransforms.FORCE_NULLABLE),
            OperandTypes.family(SqlTypeFamily.NUMERIC, SqlTypeFamily.BOOLEAN)),
        new PushedAggregate("uniq", ReturnTypes.BIGINT, OperandTypes.ONE_OR_MORE),
        new PushedAggregate("uniqExact", ReturnTypes.BIGINT, OperandTypes.ONE_OR_MORE),
        new QuantileAggregate());
  }
}
