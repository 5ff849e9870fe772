package dev.lode.load;

import dev.lode.warehouse.Warehouse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads one file of one {@link LoadKind} through a {@link MappingSpec}: every record is
 * read, mapped and validated in Java and streamed into its table as one RowBinary insert;
 * records that cannot load go to {@code quarantine} with file, line and reason; records
 * repeating a key already in the file are skipped as duplicates; order files also fill
 * {@code orders} and {@code items}. A completed load of the same bytes with the same
 * mapping is recorded in {@code loads}, so loading the same file again adds nothing.
 */
public final class BatchLoader {
  private static final Logger LOG = LoggerFactory.getLogger(BatchLoader.class);
  private static final int MAX_RAW = 16_384;

  private final Warehouse warehouse;

  public BatchLoader(Warehouse warehouse) {
    this.warehouse = warehouse;
  }

  /**
   * How to run a load.
   *
   * @param source the source label for the rows; null = the mapping's, else the file's base name
   * @param force load even when the same file was loaded before (rows replace rows with equal keys)
   */
  public record Options(String source, boolean force, LoadProgress progress) {
    public static Options defaults() {
      return new Options(null, false, LoadProgress.NONE);
    }
  }

  /** Loads {@code file} as {@code kind} with {@code spec}. */
  public LoadSummary load(Path file, LoadKind kind, MappingSpec spec, Options options) throws IOException, SQLException {
    if (spec.kind() != null && LoadKind.of(spec.kind()) != kind) {
      throw new IllegalArgumentException("mapping " + spec.name() + " is for kind " + spec.kind() + ", not " + kind.id());
    }
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(file + " is not a readable file");
    }
    long t0 = System.nanoTime();
    String fileName = file.getFileName().toString();
    String fileSha = sha256(file);
    try (Connection c = warehouse.connect()) {
      if (!options.force()) {
        Long previous = previousLoad(c, fileSha, kind, spec.sha256());
        if (previous != null) {
          return new LoadSummary(fileName, kind.id(), null, true, previous, 0, Map.of(), previous, Map.of(), Map.of(),
              (System.nanoTime() - t0) / 1e9);
        }
      }
      String source = options.source() != null ? options.source()
          : spec.source() != null ? spec.source() : baseName(fileName);
      Run run = new Run(kind, source, fileName, System.currentTimeMillis(), options.progress(), t0);
      String error = null;
      try {
        try (RecordReader reader = RecordReader.open(file, spec)) {
          CompiledMapping mapping = new CompiledMapping(spec, kind, reader);
          RowBinaryInsert.insert(c, kind.table(), out -> run.stream(reader, mapping, out));
        }
        run.writeDerived(c);
        run.writeQuarantine(c);
      } catch (IOException | SQLException | RuntimeException e) {
        error = e.getMessage() == null ? e.toString() : e.getMessage();
        throw e;
      } finally {
        try {
          run.recordLoad(c, file, fileSha, spec, error);
        } catch (SQLException e) {
          LOG.warn("could not record the load of {}: {}", fileName, e.getMessage());
        }
      }
      return run.summary((System.nanoTime() - t0) / 1e9);
    }
  }

  private static Long previousLoad(Connection c, String fileSha, LoadKind kind, String mappingSha) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT rows_read FROM loads WHERE file_sha256 = ? AND kind = ?"
        + " AND mapping_sha256 = ? AND status = 'completed' ORDER BY started_at DESC LIMIT 1")) {
      ps.setString(1, fileSha);
      ps.setString(2, kind.id());
      ps.setString(3, mappingSha);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : null;
      }
    }
  }

  private static String baseName(String fileName) {
    String b = fileName.replaceAll("\\.gz$", "").replaceAll("\\.[A-Za-z0-9]+$", "");
    return b.isEmpty() ? fileName : b;
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The state of one load while records stream through. */
  private static final class Run {
    final LoadKind kind;
    final TargetTable table;
    final String source;
    final String file;
    final long loadedAt;
    final LoadProgress progress;
    final long t0;
    final String loadId = UUID.randomUUID().toString();
    long read;
    long loaded;
    long duplicates;
    final Map<String, Long> reasons = new LinkedHashMap<>();
    final List<Object[]> quarantine = new ArrayList<>();
    final SeenKeys seen = new SeenKeys();
    final Map<String, Long> tallies = new LinkedHashMap<>();
    final Map<String, Long> derived = new LinkedHashMap<>();
    // orders kind: per-order header and per-item catalog entries derived from the lines
    final Map<String, long[]> lineCounters = new HashMap<>();
    final Map<String, Object[]> orders = new LinkedHashMap<>();
    final Map<String, Object[]> items = new LinkedHashMap<>();
    final Map<String, Long> itemTimes = new HashMap<>();

    Run(LoadKind kind, String source, String file, long loadedAt, LoadProgress progress, long t0) {
      this.kind = kind;
      this.table = kind.table();
      this.source = source;
      this.file = file;
      this.loadedAt = loadedAt;
      this.progress = progress;
      this.t0 = t0;
    }

    void stream(RecordReader reader, CompiledMapping mapping, RowBinaryOutput out) throws IOException {
      String[] names = mapping.names();
      Object[] row = new Object[names.length];
      Completer completer = new Completer(kind, names, mapping, this);
      List<Map.Entry<String, Predicate<RecordReader>>> tallyRules = new ArrayList<>(mapping.tallies().entrySet());
      long[] tallyCounts = new long[tallyRules.size()];
      int width = table.columns().size();
      while (reader.next()) {
        read++;
        if ((read & 0xFFFF) == 0) {
          progress.update(read, (System.nanoTime() - t0) / 1e9);
        }
        String key;
        try {
          mapping.map(row);
          key = completer.complete(row, reader);
        } catch (CompiledMapping.Rejection r) {
          quarantine(r.reason, r.getMessage(), reader);
          continue;
        }
        if (!seen.add(key)) {
          duplicates++;
          continue;
        }
        for (int i = 0; i < width; i++) {
          table.columns().get(i).type().write(out, row[i]);
        }
        loaded++;
        for (int t = 0; t < tallyCounts.length; t++) {
          if (tallyRules.get(t).getValue().test(reader)) {
            tallyCounts[t]++;
          }
        }
        completer.derive(row);
      }
      for (int t = 0; t < tallyCounts.length; t++) {
        tallies.put(tallyRules.get(t).getKey(), tallyCounts[t]);
      }
      progress.update(read, (System.nanoTime() - t0) / 1e9);
    }

    void quarantine(String reason, String detail, RecordReader reader) {
      reasons.merge(reason, 1L, Long::sum);
      String raw = reader.raw();
      if (raw != null && raw.length() > MAX_RAW) {
        raw = raw.substring(0, MAX_RAW);
      }
      quarantine.add(new Object[] {System.currentTimeMillis(), source, reason, detail, raw == null ? "" : raw, file,
          reader.line()});
    }

    void writeQuarantine(Connection c) throws SQLException {
      if (!quarantine.isEmpty()) {
        RowBinaryInsert.insert(c, TargetTable.QUARANTINE, out -> {
          for (Object[] q : quarantine) {
            TargetTable.QUARANTINE.write(out, q);
          }
        });
      }
    }

    void writeDerived(Connection c) throws SQLException {
      if (!orders.isEmpty()) {
        RowBinaryInsert.insert(c, TargetTable.ORDERS, out -> {
          for (Object[] o : orders.values()) {
            TargetTable.ORDERS.write(out, o);
          }
        });
        derived.put("orders", (long) orders.size());
      }
      if (!items.isEmpty()) {
        RowBinaryInsert.insert(c, TargetTable.ITEMS, out -> {
          for (Object[] o : items.values()) {
            TargetTable.ITEMS.write(out, o);
          }
        });
        derived.put("items", (long) items.size());
      }
    }

    void recordLoad(Connection c, Path path, String fileSha, MappingSpec spec, String error) throws SQLException {
      Object[] row = {loadId, kind.id(), path.getFileName().toString(), fileSha, spec.name(), spec.sha256(), source,
          loadedAt, System.currentTimeMillis(), error == null ? "completed" : "failed", read, loaded,
          reasons.values().stream().mapToLong(Long::longValue).sum(), duplicates, reasons,
          error == null ? "" : error};
      RowBinaryInsert.insert(c, TargetTable.LOADS, out -> TargetTable.LOADS.write(out, row));
    }

    LoadSummary summary(double seconds) {
      return new LoadSummary(file, kind.id(), loadId, false, read, loaded, reasons, duplicates, derived, tallies,
          seconds);
    }
  }

  /** Fills the columns a kind derives rather than maps (ids, times, source) and names the record's key. */
  private static final class Completer {
    private final LoadKind kind;
    private final Run run;
    private final Map<String, Integer> idx = new HashMap<>();
    private final boolean lineNoMapped;
    private final StringBuilder key = new StringBuilder();

    Completer(LoadKind kind, String[] names, CompiledMapping mapping, Run run) {
      this.kind = kind;
      this.run = run;
      for (int i = 0; i < names.length; i++) {
        idx.put(names[i], i);
      }
      this.lineNoMapped = mapping.maps("line_no");
    }

    private int i(String col) {
      return idx.get(col);
    }

    String complete(Object[] row, RecordReader reader) throws CompiledMapping.Rejection {
      if (idx.containsKey("source") && ((String) row[i("source")]).isEmpty()) {
        row[i("source")] = run.source;
      }
      if (idx.containsKey("loaded_at")) {
        row[i("loaded_at")] = run.loadedAt;
      }
      key.setLength(0);
      switch (kind) {
        case EVENTS -> {
          if (((String) row[i("distinct_id")]).isEmpty()) {
            String user = (String) row[i("user_id")];
            row[i("distinct_id")] = user.isEmpty() ? row[i("anonymous_id")] : user;
          }
          if (((String) row[i("distinct_id")]).isEmpty()) {
            throw new CompiledMapping.Rejection("missing_id", "no distinct_id, user_id or anonymous_id");
          }
          if (((String) row[i("event_type")]).isEmpty()) {
            row[i("event_type")] = "track";
          }
          row[i("received_time")] = run.loadedAt;
          if (((String) row[i("event_id")]).isEmpty()) {
            // a content hash: the same line loaded again is the same event
            row[i("event_id")] = CompiledMapping.sha256(reader.raw()).substring(0, 32);
          }
          key.append(row[i("event_id")]);
        }
        case ORDERS -> {
          String order = (String) row[i("order_id")];
          if (!lineNoMapped) {
            long[] n = run.lineCounters.computeIfAbsent(order, k -> new long[1]);
            row[i("line_no")] = ++n[0];
          }
          if (((String) row[i("status")]).isEmpty()) {
            row[i("status")] = "completed";
          }
          key.append(order).append('\u0001').append(row[i("line_no")]);
        }
        case TICKETS -> {
          typedId(row, "requester", "requester_type");
          key.append(row[i("ticket_id")]);
        }
        case CAMPAIGNS -> key.append(row[i("campaign_id")]);
        case CAMPAIGN_SENDS -> {
          typedId(row, "recipient", "recipient_type");
          key.append(row[i("campaign_id")]).append('\u0001').append(row[i("send_id")]);
        }
        case CAMPAIGN_RESPONSES -> {
          typedId(row, "recipient", "recipient_type");
          key.append(row[i("campaign_id")]).append('\u0001').append(row[i("send_id")]).append('\u0001')
              .append(row[i("recipient")]).append('\u0001').append(row[i("response_type")]).append('\u0001')
              .append(row[i("responded_at")]);
        }
        case ITEMS -> key.append(row[i("item_id")]);
        case PERSONS -> {
          String email = (String) row[i("email")];
          if (!email.isEmpty() && ((String) row[i("email_sha256")]).isEmpty()) {
            row[i("email_sha256")] = CompiledMapping.sha256(CompiledMapping.normalizeEmail(email));
          }
          String phone = (String) row[i("phone")];
          if (!phone.isEmpty() && ((String) row[i("phone_sha256")]).isEmpty()) {
            row[i("phone_sha256")] = CompiledMapping.sha256(CompiledMapping.normalizePhone(phone));
          }
          if (((String) row[i("contact_id")]).isEmpty()) {
            for (String col : List.of("customer_no", "user_id", "email_sha256", "phone_sha256")) {
              if (!((String) row[i(col)]).isEmpty()) {
                row[i("contact_id")] = col + ":" + row[i(col)];
                break;
              }
            }
          }
          if (((String) row[i("contact_id")]).isEmpty()) {
            throw new CompiledMapping.Rejection("missing_id", "no customer_no, user_id, email or phone");
          }
          key.append(row[i("contact_id")]);
        }
        case IDENTITIES -> {
          if ((Long) row[i("linked_at")] == 0L) {
            row[i("linked_at")] = run.loadedAt;
          }
          if (((String) row[i("evidence")]).isEmpty()) {
            row[i("evidence")] = run.file + ":" + reader.line();
          }
          key.append(row[i("id_type")]).append('\u0001').append(row[i("id_value")]).append('\u0001')
              .append(row[i("other_type")]).append('\u0001').append(row[i("other_value")]);
        }
      }
      return key.toString();
    }

    /** A raw email in an id column is hashed (PII never lands in silo tables) and typed email_sha256. */
    private void typedId(Object[] row, String valueCol, String typeCol) {
      String v = (String) row[i(valueCol)];
      String t = (String) row[i(typeCol)];
      if (v.indexOf('@') > 0 && (t.isEmpty() || t.equals("email"))) {
        row[i(valueCol)] = CompiledMapping.sha256(CompiledMapping.normalizeEmail(v));
        row[i(typeCol)] = "email_sha256";
      } else if (t.isEmpty() && !v.isEmpty()) {
        row[i(typeCol)] = v.matches("[0-9a-f]{64}") ? "email_sha256" : "customer_no";
      }
    }

    /** Orders: accumulates the order header and the item catalog from each loaded line. */
    void derive(Object[] row) {
      if (kind != LoadKind.ORDERS) {
        return;
      }
      String order = (String) row[i("order_id")];
      long time = (Long) row[i("order_time")];
      long qty = (Long) row[i("quantity")];
      long price = (Long) row[i("unit_price")];
      Object[] o = run.orders.get(order);
      if (o == null) {
        o = TargetTable.ORDERS.emptyRow();
        o[0] = order;
        o[1] = row[i("customer_key")];
        o[3] = time;
        o[4] = row[i("status")];
        o[6] = row[i("currency")];
        o[7] = row[i("country")];
        o[8] = row[i("channel")];
        o[9] = row[i("source")];
        o[10] = run.loadedAt;
        run.orders.put(order, o);
      } else {
        o[3] = Math.min((Long) o[3], time);
      }
      o[5] = (Long) o[5] + qty * price;
      String item = (String) row[i("item_id")];
      String title = (String) row[i("item_title")];
      Long seen = run.itemTimes.get(item);
      if (seen == null || (time >= seen && (price > 0 || !title.isEmpty()))) {
        Object[] it = run.items.get(item);
        if (it == null) {
          it = TargetTable.ITEMS.emptyRow();
          it[0] = item;
          it[10] = row[i("source")];
          it[11] = run.loadedAt;
          run.items.put(item, it);
        }
        if (!title.isEmpty()) {
          it[1] = title;
          it[2] = row[i("item_category")];
        }
        if (!((String) row[i("item_brand")]).isEmpty()) {
          it[4] = row[i("item_brand")];
        }
        if (price > 0) {
          it[5] = price;
        }
        run.itemTimes.put(item, time);
      }
    }
  }
}
