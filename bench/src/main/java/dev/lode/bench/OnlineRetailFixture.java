package dev.lode.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Loads the UCI Online Retail CSV into order_lines, orders, items and persons for the
 * recommendation bench: a deliberately small loader (one pass, prepared-statement batches).
 * Customer 17850 becomes person {@code retail:17850}; cancellations load as status
 * cancelled; lines without a customer keep an empty person. Every item is in stock and
 * non-consumable, since the data set says nothing about either.
 */
final class OnlineRetailFixture {
  /** What was loaded. */
  record Loaded(long lines, int orders, int items, int persons, long millis) {
  }

  private OnlineRetailFixture() {
  }

  static Loaded load(Connection c, Path csvGz) throws IOException, SQLException {
    long t0 = System.nanoTime();
    Timestamp now = Timestamp.from(Instant.now());
    Map<String, Object[]> orders = new HashMap<>();
    Map<String, String[]> items = new HashMap<>();
    Map<String, Object[]> persons = new HashMap<>();
    long lines = 0;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(csvGz), 1 << 16), StandardCharsets.UTF_8));
         PreparedStatement ps = c.prepareStatement("INSERT INTO order_lines (order_id, line_no, customer_key, person_id,"
             + " order_time, item_id, quantity, unit_price, status, source, loaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      String header = in.readLine();
      if (header == null || !header.startsWith("InvoiceNo,StockCode")) {
        throw new IOException(csvGz + " is not the Online Retail CSV (header " + header + ")");
      }
      Map<String, Integer> lineNo = new HashMap<>();
      String line;
      while ((line = in.readLine()) != null) {
        List<String> f = split(line);
        if (f.size() != 8) {
          throw new IOException(csvGz + " line " + (lines + 2) + ": expected 8 fields, got " + f.size());
        }
        String invoice = f.get(0);
        String cust = f.get(6).isEmpty() ? "" : Long.toString((long) Double.parseDouble(f.get(6)));
        String person = cust.isEmpty() ? "" : "retail:" + cust;
        Instant t = LocalDateTime.parse(f.get(4).replace(' ', 'T')).toInstant(ZoneOffset.UTC);
        int qty = Integer.parseInt(f.get(3));
        BigDecimal price = new BigDecimal(f.get(5));
        String status = invoice.startsWith("C") ? "cancelled" : "completed";
        ps.setString(1, invoice);
        ps.setInt(2, lineNo.merge(invoice, 1, Integer::sum));
        ps.setString(3, cust);
        ps.setString(4, person);
        ps.setTimestamp(5, Timestamp.from(t));
        ps.setString(6, f.get(1));
        ps.setInt(7, qty);
        ps.setBigDecimal(8, price);
        ps.setString(9, status);
        ps.setString(10, "online_retail");
        ps.setTimestamp(11, now);
        ps.addBatch();
        if (++lines % 100_000 == 0) {
          ps.executeBatch();
        }
        Object[] o = orders.computeIfAbsent(invoice, k -> new Object[] {cust, person, t, status, BigDecimal.ZERO, f.get(7)});
        o[4] = ((BigDecimal) o[4]).add(price.multiply(BigDecimal.valueOf(qty)));
        items.merge(f.get(1), new String[] {f.get(2), f.get(5)}, (a, b) -> a[0].length() >= b[0].length() ? a : b);
        if (!person.isEmpty()) {
          persons.merge(person, new Object[] {t, f.get(7), t}, (a, b) -> new Object[] {
              ((Instant) a[0]).isBefore((Instant) b[0]) ? a[0] : b[0],
              ((Instant) a[2]).isAfter((Instant) b[2]) ? a[1] : b[1],
              ((Instant) a[2]).isAfter((Instant) b[2]) ? a[2] : b[2]});
        }
      }
      ps.executeBatch();
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO orders (order_id, customer_key, person_id, order_time,"
        + " status, total, currency, country, channel, source, loaded_at) VALUES (?, ?, ?, ?, ?, ?, 'GBP', ?, 'web', 'online_retail', ?)")) {
      for (Map.Entry<String, Object[]> e : orders.entrySet()) {
        Object[] o = e.getValue();
        ps.setString(1, e.getKey());
        ps.setString(2, (String) o[0]);
        ps.setString(3, (String) o[1]);
        ps.setTimestamp(4, Timestamp.from((Instant) o[2]));
        ps.setString(5, (String) o[3]);
        ps.setBigDecimal(6, (BigDecimal) o[4]);
        ps.setString(7, (String) o[5]);
        ps.setTimestamp(8, now);
        ps.addBatch();
      }
      ps.executeBatch();
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO items (item_id, title, category, price, stock, consumable,"
        + " source, loaded_at) VALUES (?, ?, '', ?, 1000, 0, 'online_retail', ?)")) {
      for (Map.Entry<String, String[]> e : items.entrySet()) {
        ps.setString(1, e.getKey());
        ps.setString(2, e.getValue()[0]);
        ps.setBigDecimal(3, new BigDecimal(e.getValue()[1]).max(BigDecimal.ZERO));
        ps.setTimestamp(4, now);
        ps.addBatch();
      }
      ps.executeBatch();
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO persons (person_id, created_at, updated_at, first_seen,"
        + " country, source) VALUES (?, ?, ?, ?, ?, 'online_retail')")) {
      for (Map.Entry<String, Object[]> e : persons.entrySet()) {
        ps.setString(1, e.getKey());
        ps.setTimestamp(2, Timestamp.from((Instant) e.getValue()[0]));
        ps.setTimestamp(3, now);
        ps.setTimestamp(4, Timestamp.from((Instant) e.getValue()[0]));
        ps.setString(5, (String) e.getValue()[1]);
        ps.addBatch();
      }
      ps.executeBatch();
    }
    return new Loaded(lines, orders.size(), items.size(), persons.size(), (System.nanoTime() - t0) / 1_000_000);
  }

  /** Splits one CSV record (RFC 4180 quoting; the file has no line breaks inside fields). */
  static List<String> split(String line) {
    List<String> out = new ArrayList<>(8);
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (quoted) {
        if (ch == '"') {
          if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
            cur.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          cur.append(ch);
        }
      } else if (ch == '"') {
        quoted = true;
      } else if (ch == ',') {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(ch);
      }
    }
    out.add(cur.toString());
    return out;
  }
}
