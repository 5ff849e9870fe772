package dev.lode.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CSV (RFC 4180 quoting, quoted fields may span lines) or TSV records, with the column
 * names from the first line or from the mapping's {@code names}.
 */
final class DelimitedReader implements RecordReader {
  private final BufferedReader in;
  private final char delimiter;
  private final boolean quoting;
  private final List<String> columns;
  private final Map<String, Integer> index = new HashMap<>();
  private String[] fields = new String[16];
  private int width;
  private long nextLine = 1;
  private long line;
  private String raw;
  private final StringBuilder field = new StringBuilder();

  DelimitedReader(BufferedReader in, char delimiter, boolean quoting, MappingSpec spec) throws IOException {
    this.in = in;
    this.delimiter = delimiter;
    this.quoting = quoting;
    if (spec.header()) {
      if (!next()) {
        throw new IOException("the file is empty: expected a header line");
      }
      List<String> h = new ArrayList<>();
      for (int i = 0; i < width; i++) {
        String name = fields[i].strip();
        h.add(i == 0 && name.startsWith("\uFEFF") ? name.substring(1) : name);
      }
      columns = List.copyOf(h);
    } else if (spec.names() != null) {
      columns = List.copyOf(spec.names());
    } else {
      throw new IllegalArgumentException("a file without a header needs \"names\" in its mapping");
    }
    for (int i = 0; i < columns.size(); i++) {
      index.putIfAbsent(columns.get(i), i);
    }
  }

  @Override
  public List<String> columns() {
    return columns;
  }

  @Override
  public boolean next() throws IOException {
    String s = in.readLine();
    if (s == null) {
      return false;
    }
    line = nextLine++;
    width = 0;
    if (!quoting || s.indexOf('"') < 0) {
      splitPlain(s);
      raw = s;
      return true;
    }
    StringBuilder rawText = null;
    int i = 0;
    field.setLength(0);
    boolean inQuotes = false;
    boolean wasQuoted = false;
    while (true) {
      int n = s.length();
      for (; i < n; i++) {
        char c = s.charAt(i);
        if (inQuotes) {
          if (c == '"') {
            if (i + 1 < n && s.charAt(i + 1) == '"') {
              field.append('"');
              i++;
            } else {
              inQuotes = false;
            }
          } else {
            field.append(c);
          }
        } else if (c == '"' && field.isEmpty() && !wasQuoted) {
          inQuotes = true;
          wasQuoted = true;
        } else if (c == delimiter) {
          add(field.toString());
          field.setLength(0);
          wasQuoted = false;
        } else {
          field.append(c);
        }
      }
      if (!inQuotes) {
        break;
      }
      String more = in.readLine();
      if (more == null) {
        break; // unterminated quote at end of file: keep what we have, the mapping will judge it
      }
      nextLine++;
      if (rawText == null) {
        rawText = new StringBuilder(s);
      }
      rawText.append('\n').append(more);
      field.append('\n');
      s = more;
      i = 0;
    }
    add(field.toString());
    raw = rawText == null ? s : rawText.toString();
    return true;
  }

  private void splitPlain(String s) {
    int start = 0;
    int n = s.length();
    for (int i = 0; i < n; i++) {
      if (s.charAt(i) == delimiter) {
        add(s.substring(start, i));
        start = i + 1;
      }
    }
    add(s.substring(start));
  }

  private void add(String f) {
    if (width == fields.length) {
      fields = Arrays.copyOf(fields, width * 2);
    }
    fields[width++] = f;
  }

  @Override
  public String get(int i) {
    return i < width ? fields[i] : "";
  }

  @Override
  public String get(String name) {
    Integer i = index.get(name);
    return i == null ? "" : get(i);
  }

  @Override
  public int indexOf(String name) {
    Integer i = index.get(name);
    return i == null ? -1 : i;
  }

  @Override
  public long line() {
    return line;
  }

  @Override
  public String raw() {
    return raw;
  }

  @Override
  public int width() {
    return width;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
