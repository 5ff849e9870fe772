package dev.lode.udf.clickhouse;

import dev.lode.sql.schema.PushedAggregate;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlOperatorBinding;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlOperandTypeChecker;
import org.apache.calcite.sql.type.SqlReturnTypeInference;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeTransforms;

/**
 * The allow-list of ClickHouse functions SQL clients may call by their ClickHouse names (any
 * letter case), each pushed down as itself: time grains and parts, conversions, string, URL and
 * array functions, and aggregates with the -If and -Array combinators, the distinct counts and
 * the quantiles. Left out on purpose: {@code arrayJoin} (it multiplies rows, which a scalar
 * function must not), functions named like SQL keywords ({@code if}, {@code any}, {@code
 * extract}, {@code dateDiff}, whose unit the parser reads as SQL's; use CASE, MIN/MAX,
 * {@code regexpExtract} and TIMESTAMPDIFF) and anything that writes or reads
 * outside the warehouse's tables.
 */
public final class ClickHouseNatives {
  private ClickHouseNatives() {
  }

  private static final SqlReturnTypeInference DATE = ReturnTypes.DATE.andThen(SqlTypeTransforms.TO_NULLABLE);
  private static final SqlReturnTypeInference TIMESTAMP =
      ReturnTypes.explicit(SqlTypeName.TIMESTAMP, 3).andThen(SqlTypeTransforms.TO_NULLABLE);
  private static final SqlReturnTypeInference BIGINT = ReturnTypes.BIGINT.andThen(SqlTypeTransforms.TO_NULLABLE);
  private static final SqlReturnTypeInference BOOLEAN = ReturnTypes.BOOLEAN.andThen(SqlTypeTransforms.TO_NULLABLE);
  private static final SqlReturnTypeInference TEXT = ReturnTypes.VARCHAR.andThen(SqlTypeTransforms.TO_NULLABLE);
  private static final SqlReturnTypeInference DOUBLE =
      ReturnTypes.DOUBLE.andThen(SqlTypeTransforms.FORCE_NULLABLE);
  /** An array's element type (nullable: an index past the end is a default, a missing row NULL). */
  private static final SqlReturnTypeInference ELEMENT = b -> nullable(b, componentOf(b));
  /** An array of text, as ClickHouse's string-splitting functions return. */
  private static final SqlReturnTypeInference TEXT_ARRAY = b -> b.getTypeFactory().createArrayType(
      b.getTypeFactory().createSqlType(SqlTypeName.VARCHAR), -1);
  /** An array of the argument's type, as {@code groupArray} collects. */
  private static final SqlReturnTypeInference ARRAY_OF_ARG0 = b -> b.getTypeFactory().createArrayType(
      b.getTypeFactory().createTypeWithNullability(b.getOperandType(0), false), -1);
  /** The sum of an array's elements: BIGINT for whole numbers, DOUBLE otherwise. */
  private static final SqlReturnTypeInference ARRAY_SUM = b -> nullable(b, b.getTypeFactory().createSqlType(
      SqlTypeName.INT_TYPES.contains(componentOf(b).getSqlTypeName()) ? SqlTypeName.BIGINT : SqlTypeName.DOUBLE));

  private static RelDataType componentOf(SqlOperatorBinding b) {
    RelDataType component = b.getOperandType(0).getComponentType();
    return component != null ? component : b.getTypeFactory().createSqlType(SqlTypeName.ANY);
  }

  private static RelDataType nullable(SqlOperatorBinding b, RelDataType t) {
    RelDataTypeFactory f = b.getTypeFactory();
    return f.createTypeWithNullability(t, true);
  }

  /** Every function of the allow-list. */
  public static List<SqlFunction> all() {
    SqlOperandTypeChecker ts = OperandTypes.family(SqlTypeFamily.DATETIME);
    SqlOperandTypeChecker text = OperandTypes.family(SqlTypeFamily.CHARACTER);
    SqlOperandTypeChecker text2 = OperandTypes.family(SqlTypeFamily.CHARACTER, SqlTypeFamily.CHARACTER);
    SqlOperandTypeChecker text3 = OperandTypes.family(SqlTypeFamily.CHARACTER, SqlTypeFamily.CHARACTER,
        SqlTypeFamily.CHARACTER);
    SqlOperandTypeChecker array = OperandTypes.family(SqlTypeFamily.ARRAY);
    SqlOperandTypeChecker arrayAny = OperandTypes.family(SqlTypeFamily.ARRAY, SqlTypeFamily.ANY);
    SqlOperandTypeChecker arrays = OperandTypes.family(SqlTypeFamily.ARRAY, SqlTypeFamily.ARRAY);
    List<SqlFunction> all = new ArrayList<>();
    // time grains and parts
    for (String grain : List.of("toStartOfYear", "toStartOfQuarter", "toStartOfMonth", "toMonday")) {
      all.add(new NativeScalar(grain, DATE, ts));
    }
    all.add(new NativeScalar("toStartOfWeek", DATE, OperandTypes.or(ts,
        OperandTypes.family(SqlTypeFamily.DATETIME, SqlTypeFamily.INTEGER))));
    for (String grain : List.of("toStartOfDay", "toStartOfHour", "toStartOfMinute")) {
      all.add(new NativeScalar(grain, TIMESTAMP, ts));
    }
    all.add(new NativeScalar("toDate", DATE, OperandTypes.or(ts, text)));
    for (String part : List.of("toYear", "toQuarter", "toMonth", "toDayOfMonth", "toDayOfWeek", "toHour",
        "toMinute", "toYYYYMM", "toYYYYMMDD", "toUnixTimestamp")) {
      all.add(new NativeScalar(part, BIGINT, ts));
    }
    all.add(new NativeScalar("formatDateTime", TEXT, OperandTypes.family(SqlTypeFamily.DATETIME,
        SqlTypeFamily.CHARACTER)));
    // strings and URLs
    all.add(new NativeScalar("length", BIGINT, OperandTypes.or(text, array)));
    all.add(new NativeScalar("lengthUTF8", BIGINT, text));
    all.add(new NativeScalar("empty", BOOLEAN, OperandTypes.or(text, array)));
    all.add(new NativeScalar("notEmpty", BOOLEAN, OperandTypes.or(text, array)));
    all.add(new NativeScalar("positionCaseInsensitive", BIGINT, text2));
    for (String test : List.of("startsWith", "endsWith", "match")) {
      all.add(new NativeScalar(test, BOOLEAN, text2));
    }
    all.add(new NativeScalar("regexpExtract", TEXT, OperandTypes.or(text2,
        OperandTypes.family(SqlTypeFamily.CHARACTER, SqlTypeFamily.CHARACTER, SqlTypeFamily.INTEGER))));
    for (String replace : List.of("replaceAll", "replaceOne", "replaceRegexpAll", "replaceRegexpOne")) {
      all.add(new NativeScalar(replace, TEXT, text3));
    }
    for (String url : List.of("domain", "domainWithoutWWW", "protocol", "path", "cutQueryString")) {
      all.add(new NativeScalar(url, TEXT, text));
    }
    all.add(new NativeScalar("extractURLParameter", TEXT, text2));
    all.add(new NativeScalar("splitByChar", TEXT_ARRAY, text2));
    all.add(new NativeScalar("splitByString", TEXT_ARRAY, text2));
    all.add(new NativeScalar("extractAll", TEXT_ARRAY, text2));
    // arrays
    all.add(new NativeScalar("has", BOOLEAN, arrayAny));
    all.add(new NativeScalar("hasAny", BOOLEAN, arrays));
    all.add(new NativeScalar("hasAll", BOOLEAN, arrays));
    all.add(new NativeScalar("indexOf", BIGINT, arrayAny));
    all.add(new NativeScalar("arrayElement", ELEMENT, OperandTypes.family(SqlTypeFamily.ARRAY, SqlTypeFamily.INTEGER)));
    all.add(new NativeScalar("arrayStringConcat", TEXT, OperandTypes.or(array,
        OperandTypes.family(SqlTypeFamily.ARRAY, SqlTypeFamily.CHARACTER))));
    all.add(new NativeScalar("arrayEnumerate", b -> b.getTypeFactory().createArrayType(
        b.getTypeFactory().createSqlType(SqlTypeName.BIGINT), -1), array));
    for (String same : List.of("arraySort", "arrayReverseSort", "arrayDistinct", "arrayReverse")) {
      all.add(new NativeScalar(same, ReturnTypes.ARG0_NULLABLE, array));
    }
    // aggregates: -If
    all.add(new PushedAggregate("countIf", ReturnTypes.BIGINT, OperandTypes.family(SqlTypeFamily.BOOLEAN)));
    all.add(new PushedAggregate("sumIf", ReturnTypes.AGG_SUM,
        OperandTypes.family(SqlTypeFamily.NUMERIC, SqlTypeFamily.BOOLEAN)));
    all.add(new PushedAggregate("avgIf", DOUBLE, OperandTypes.family(SqlTypeFamily.NUMERIC, SqlTypeFamily.BOOLEAN)));
    for (String extreme : List.of("minIf", "maxIf")) {
      all.add(new PushedAggregate(extreme, ReturnTypes.ARG0_FORCE_NULLABLE,
          OperandTypes.family(SqlTypeFamily.ANY, SqlTypeFamily.BOOLEAN)));
    }
    for (String distinct : List.of("uniqIf", "uniqExactIf")) {
      all.add(new PushedAggregate(distinct, ReturnTypes.BIGINT,
          OperandTypes.family(SqlTypeFamily.ANY, SqlTypeFamily.BOOLEAN)));
    }
    // distinct counts
    for (String distinct : List.of("uniq", "uniqExact", "uniqCombined", "uniqHLL12")) {
      all.add(new PushedAggregate(distinct, ReturnTypes.BIGINT, OperandTypes.ONE_OR_MORE));
    }
    // aggregates: -Array (over the elements of every row's array)
    all.add(new PushedAggregate("sumArray", ARRAY_SUM, array));
    all.add(new PushedAggregate("avgArray", DOUBLE, array));
    all.add(new PushedAggregate("uniqArray", ReturnTypes.BIGINT, array));
    all.add(new PushedAggregate("uniqExactArray", ReturnTypes.BIGINT, array));
    all.add(new PushedAggregate("minArray", ELEMENT, array));
    all.add(new PushedAggregate("maxArray", ELEMENT, array));
    // collecting
    all.add(new PushedAggregate("groupArray", ARRAY_OF_ARG0, OperandTypes.ANY));
    all.add(new PushedAggregate("groupUniqArray", ARRAY_OF_ARG0, OperandTypes.ANY));
    // quantiles: quantile(x, level) is ClickHouse's quantile(level)(x)
    for (String q : List.of("quantile", "quantileExact", "quantileTDigest", "quantileTiming")) {
      all.add(new QuantileAggregate(q));
    }
    all.add(new PushedAggregate("median", DOUBLE, OperandTypes.family(SqlTypeFamily.NUMERIC)));
    all.add(new PushedAggregate("medianExact", DOUBLE, OperandTypes.family(SqlTypeFamily.NUMERIC)));
    return List.copyOf(all);
  }
}
