package dev.lode.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.SQLException;
import java.sql.Struct;
import java.util.Collection;

/**
 * Prints a result set as a JSON array with one object per row, one row per line: numbers as
 * JSON numbers, arrays and tuples as JSON arrays, NULL as {@code null}, everything else as its text.
 */
final class JsonPrinter implements ResultPrinter {
  // Jackson's streaming core only: the data-binding mapper cost a one-statement run its start
  private static final JsonFactory JSON = new JsonFactory();

  @Override
  public long print(ResultRows rs, ResultColumns columns, PrintStream out, long maxRows) throws SQLException {
    out.println("[");
    long count = 0;
    boolean more = rs.next();
    while (more && count < maxRows) {
      count++;
      StringWriter row = new StringWriter();
      try (JsonGenerator g = JSON.createGenerator(row)) {
        g.writeStartObject();
        for (int i = 0; i < columns.size(); i++) {
          g.writeFieldName(columns.labels().get(i));
          value(g, rs.value(i));
        }
        g.writeEndObject();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      more = rs.next();
      out.println(row + (more && count < maxRows ? "," : ""));
    }
    out.println("]");
    return count;
  }

  private static void value(JsonGenerator g, Object v) throws IOException, SQLException {
    switch (v) {
      case null -> g.writeNull();
      case Boolean b -> g.writeBoolean(b);
      case Double d when !d.isNaN() && !d.isInfinite() -> g.writeNumber(new BigDecimal(CellText.number(d)));
      case Float f when !f.isNaN() && !f.isInfinite() -> g.writeNumber(new BigDecimal(CellText.of(f)));
      case BigDecimal b -> g.writeNumber(b);
      case Long l -> g.writeNumber(l);
      case Integer i -> g.writeNumber(i);
      case Short s -> g.writeNumber(s);
      case Byte b -> g.writeNumber(b);
      case java.math.BigInteger b -> g.writeNumber(b);
      case Array a -> elements(g, a.getArray());
      case Struct s -> elements(g, s.getAttributes());
      case Collection<?> c -> elements(g, c.toArray());
      default -> {
        if (v.getClass().isArray() && !(v instanceof byte[])) {
          elements(g, v);
        } else {
          g.writeString(CellText.of(v));
        }
      }
    }
  }

  private static void elements(JsonGenerator g, Object array) throws IOException, SQLException {
    g.writeStartArray();
    for (int i = 0; i < java.lang.reflect.Array.getLength(array); i++) {
      value(g, java.lang.reflect.Array.get(array, i));
    }
    g.writeEndArray();
  }
}
