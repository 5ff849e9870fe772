package dev.lode.recommend;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * How a value reaches a generated recommendation query: as a {@code ?} placeholder bound
 * by a PreparedStatement ({@link #jdbc()}), or as a strictly escaped ClickHouse literal
 * ({@link #literals()}) for callers that must hand over one self-contained query text,
 * such as a Calcite table function expanding into a sub-query.
 */
public abstract sealed class SqlBinder {
  /** A binder collecting values for PreparedStatement placeholders. */
  public static Jdbc jdbc() {
    return new Jdbc();
  }

  /** A binder writing escaped literals into the text. */
  public static SqlBinder literals() {
    return new Literals();
  }

  public abstract String string(String value);

  public abstract String number(double value);

  public abstract String integer(long value);

  /** A DateTime64(3, 'UTC') value. */
  public abstract String time(Instant value);

  /** Values bound through {@code ?} placeholders, in text order. */
  public static final class Jdbc extends SqlBinder {
    private final List<Object> values = new ArrayList<>();

    public List<Object> values() {
      return values;
    }

    @Override
    public String string(String value) {
      values.add(value);
      return "toString(?)";
    }

    @Override
    public String number(double value) {
      values.add(value);
      return "toFloat64(?)";
    }

    @Override
    public String integer(long value) {
      values.add(value);
      return "toInt64(?)";
    }

    @Override
    public String time(Instant value) {
      values.add(value.toEpochMilli());
      return "fromUnixTimestamp64Milli(toInt64(?), 'UTC')";
    }
  }

  /** Escaped literals: every character that could end or alter a string literal is escaped. */
  static final class Literals extends SqlBinder {
    @Override
    public String string(String value) {
      return quote(value);
    }

    @Override
    public String number(double value) {
      if (Double.isNaN(value) || Double.isInfinite(value)) {
        throw new IllegalArgumentException("not a finite number: " + value);
      }
      return "toFloat64(" + value + ")";
    }

    @Override
    public String integer(long value) {
      return "toInt64(" + value + ")";
    }

    @Override
    public String time(Instant value) {
      return "fromUnixTimestamp64Milli(toInt64(" + value.toEpochMilli() + "), 'UTC')";
    }
  }

  /** A ClickHouse string literal; the one escaping rule is {@link dev.lode.warehouse.SqlLiteral#string}. */
  public static String quote(String s) {
    return dev.lode.warehouse.SqlLiteral.string(s);
  }
}
