package dev.lode.warehouse.insert;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The ClickHouse column types the loaders write, each knowing how to turn a mapped text
 * value into its Java value (or say why it can't) and how to write that value as RowBinary.
 * Timestamps are epoch milliseconds, decimals are longs scaled by 10^4.
 */
public enum ColumnType {
  STRING, DATETIME64, NULLABLE_DATETIME64, DECIMAL, NULLABLE_DECIMAL, INT32, UINT8, UINT16, UINT32, UINT64,
  FLOAT32, MAP, ARRAY, COUNTS;

  /** Decimal(18, 4) scale. */
  public static final int SCALE = 4;

  /** Whether an empty text value is a missing value (NULL) rather than a parse error. */
  public boolean nullable() {
    return this == NULLABLE_DATETIME64 || this == NULLABLE_DECIMAL;
  }

  /** The value written when a column is not mapped. */
  public Object empty() {
    return switch (this) {
      case STRING -> "";
      case DATETIME64, INT32, UINT8, UINT16, UINT32, UINT64, DECIMAL -> 0L;
      case FLOAT32 -> 0.0;
      case MAP -> Map.of();
      case ARRAY -> List.of();
      case COUNTS -> Map.of();
      case NULLABLE_DATETIME64, NULLABLE_DECIMAL -> null;
    };
  }

  /** Parses decimal text to a long scaled by 10^4, quickly for plain numbers. */
  public static long parseDecimal(String s) {
    int n = s.length();
    int i = 0;
    boolean neg = false;
    if (n > 0 && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      neg = s.charAt(0) == '-';
      i = 1;
    }
    long v = 0;
    int frac = -1;
    int digits = 0;
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        if (frac >= 0) {
          if (frac >= SCALE) {
            continue; // extra precision beyond 4 places is truncated
          }
          frac++;
        }
        v = v * 10 + (c - '0');
        if (++digits > 18) {
          return new BigDecimal(s).movePointRight(SCALE).longValueExact();
        }
      } else if (c == '.' && frac < 0) {
        frac = 0;
      } else {
        return new BigDecimal(s).movePointRight(SCALE).setScale(0, java.math.RoundingMode.DOWN).longValueExact();
      }
    }
    if (digits == 0) {
      throw new NumberFormatException("not a number: '" + s + "'");
    }
    for (int f = Math.max(frac, 0); f < SCALE; f++) {
      v *= 10;
    }
    return neg ? -v : v;
  }

  /** Parses integer text, accepting a float-looking integer such as {@code 17850.0}. */
  public static long parseLong(String s) {
    int dot = s.indexOf('.');
    if (dot >= 0) {
      for (int i = dot + 1; i < s.length(); i++) {
        if (s.charAt(i) != '0') {
          throw new NumberFormatException("not an integer: '" + s + "'");
        }
      }
      s = s.substring(0, dot);
    }
    return Long.parseLong(s);
  }

  @SuppressWarnings("unchecked")
  public void write(RowBinaryOutput out, Object v) throws IOException {
    switch (this) {
      case STRING -> out.writeString((String) v);
      case DATETIME64, DECIMAL, UINT64 -> out.writeInt64((Long) v);
      case NULLABLE_DATETIME64, NULLABLE_DECIMAL -> {
        if (v == null) {
          out.writeByte(1);
        } else {
          out.writeByte(0);
          out.writeInt64((Long) v);
        }
      }
      case INT32, UINT32 -> out.writeInt32((int) (long) (Long) v);
      case UINT16 -> out.writeInt16((int) (long) (Long) v);
      case UINT8 -> out.writeByte((int) (long) (Long) v);
      case FLOAT32 -> out.writeFloat32((float) (double) (Double) v);
      case MAP -> {
        Map<String, String> m = (Map<String, String>) v;
        out.writeVarUInt(m.size());
        for (var e : m.entrySet()) {
          out.writeString(e.getKey());
          out.writeString(e.getValue());
        }
      }
      case COUNTS -> {
        Map<String, Long> m = (Map<String, Long>) v;
        out.writeVarUInt(m.size());
        for (var e : m.entrySet()) {
          out.writeString(e.getKey());
          out.writeInt64(e.getValue());
        }
      }
      case ARRAY -> {
        List<String> l = (List<String>) v;
        out.writeVarUInt(l.size());
        for (String s : l) {
          out.writeString(s);
        }
      }
    }
  }
}
