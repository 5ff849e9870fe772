package dev.lode.load;

import dev.lode.hash.Sha256;
import dev.lode.warehouse.insert.TargetTable;

import dev.lode.warehouse.insert.RowBinaryOutput;

import dev.lode.warehouse.insert.RowBinaryInsert;

import dev.lode.warehouse.Warehouse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
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
   * @param dryRun read, map, validate and serialize every record but write nothing
   */
  public record Options(String source, boolean force, LoadProgress progress, boolean dryRun) {
    public Options(String source, boolean force, LoadProgress progress) {
      this(source, force, progress, false);
    }

    public static Options defaults() {
      return new Options(null, false, LoadProgress.NONE, false);
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
    if (options.dryRun()) {
      String source = options.source() != null ? options.source()
          : spec.source() != null ? spec.source() : baseName(fileName);
      Run run = new Run(kind, source, fileName, System.currentTimeMillis(), options.progress(), t0);
      try (RecordReader reader = RecordReader.open(file, spec)) {
        CompiledMapping mapping = new CompiledMapping(spec, kind, reader);
        RowBinaryOutput sink = new RowBinaryOutput(java.io.OutputStream.nullOutputStream());
        run.stream(reader, mapping, sink);
        sink.flush();
      }
      return run.summary((System.nanoTime() - t0) / 1e9);
    }
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
    return Sha256.hex(file);
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
    final Map<String, ItemEntry> items = new LinkedHashMap<>();

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
          for (ItemEntry e : items.values()) {
            TargetTable.ITEMS.write(out, e.row);
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
    // column positions, resolved once: a map lookup per column per record was the loader's top cost
    private final int colAnonymousId;
    private final int colCampaignId;
    private final int colChannel;
    private final int colContactId;
    private final int colCountry;
    private final int colCurrency;
    private final int colCustomerKey;
    private final int colDistinctId;
    private final int colEmail;
    private final int colEventId;
    private final int colEventType;
    private final int colEvidence;
    private final int colIdType;
    private final int colIdValue;
    private final int colItemBrand;
    private final int colItemCategory;
    private final int colItemId;
    private final int colItemTitle;
    private final int colLineNo;
    private final int colLinkedAt;
    private final int colLoadedAt;
    private final int colOrderId;
    private final int colOrderTime;
    private final int colOtherType;
    private final int colOtherValue;
    private final int colPhone;
    private final int colQuantity;
    private final int colReceivedTime;
    private final int colRecipient;
    private final int colRespondedAt;
    private final int colResponseType;
    private final int colSendId;
    private final int colSource;
    private final int colStatus;
    private final int colTicketId;
    private final int colUnitPrice;
    private final int colUserId;

    Completer(LoadKind kind, String[] names, CompiledMapping mapping, Run run) {
      this.kind = kind;
      this.run = run;
      for (int i = 0; i < names.length; i++) {
        idx.put(names[i], i);
      }
      this.lineNoMapped = mapping.maps("line_no");
      colAnonymousId = ix("anonymous_id");
      colCampaignId = ix("campaign_id");
      colChannel = ix("channel");
      colContactId = ix("contact_id");
      colCountry = ix("country");
      colCurrency = ix("currency");
      colCustomerKey = ix("customer_key");
      colDistinctId = ix("distinct_id");
      colEmail = ix("email");
      colEventId = ix("event_id");
      colEventType = ix("event_type");
      colEvidence = ix("evidence");
      colIdType = ix("id_type");
      colIdValue = ix("id_value");
      colItemBrand = ix("item_brand");
      colItemCategory = ix("item_category");
      colItemId = ix("item_id");
      colItemTitle = ix("item_title");
      colLineNo = ix("line_no");
      colLinkedAt = ix("linked_at");
      colLoadedAt = ix("loaded_at");
      colOrderId = ix("order_id");
      colOrderTime = ix("order_time");
      colOtherType = ix("other_type");
      colOtherValue = ix("other_value");
      colPhone = ix("phone");
      colQuantity = ix("quantity");
      colReceivedTime = ix("received_time");
      colRecipient = ix("recipient");
      colRespondedAt = ix("responded_at");
      colResponseType = ix("response_type");
      colSendId = ix("send_id");
      colSource = ix("source");
      colStatus = ix("status");
      colTicketId = ix("ticket_id");
      colUnitPrice = ix("unit_price");
      colUserId = ix("user_id");
    }

    private int ix(String col) {
      return idx.getOrDefault(col, -1);
    }

    private int i(String col) {
      return idx.get(col);
    }

    String complete(Object[] row, RecordReader reader) throws CompiledMapping.Rejection {
      if ((colSource >= 0) && ((String) row[colSource]).isEmpty()) {
        row[colSource] = run.source;
      }
      if ((colLoadedAt >= 0)) {
        row[colLoadedAt] = run.loadedAt;
      }
      key.setLength(0);
      switch (kind) {
        case EVENTS -> {
          if (((String) row[colDistinctId]).isEmpty()) {
            String user = (String) row[colUserId];
            row[colDistinctId] = user.isEmpty() ? row[colAnonymousId] : user;
          }
          if (((String) row[colDistinctId]).isEmpty()) {
            throw new CompiledMapping.Rejection("missing_id", "no distinct_id, user_id or anonymous_id");
          }
          if (((String) row[colEventType]).isEmpty()) {
            row[colEventType] = "track";
          }
          row[colReceivedTime] = run.loadedAt;
          if (((String) row[colEventId]).isEmpty()) {
            // a content hash: the same line loaded again is the same event
            row[colEventId] = CompiledMapping.sha256(reader.raw()).substring(0, 32);
          }
          key.append(row[colEventId]);
        }
        case ORDERS -> {
          String order = (String) row[colOrderId];
          if (!lineNoMapped) {
            long[] n = run.lineCounters.computeIfAbsent(order, k -> new long[1]);
            row[colLineNo] = ++n[0];
          }
          if (((String) row[colStatus]).isEmpty()) {
            row[colStatus] = "completed";
          }
          key.append(order).append('\u0001').append(row[colLineNo]);
        }
        case TICKETS -> {
          typedId(row, "requester", "requester_type");
          key.append(row[colTicketId]);
        }
        case CAMPAIGNS -> key.append(row[colCampaignId]);
        case CAMPAIGN_SENDS -> {
          typedId(row, "recipient", "recipient_type");
          key.append(row[colCampaignId]).append('\u0001').append(row[colSendId]);
        }
        case CAMPAIGN_RESPONSES -> {
          typedId(row, "recipient", "recipient_type");
          key.append(row[colCampaignId]).append('\u0001').append(row[colSendId]).append('\u0001')
              .append(row[colRecipient]).append('\u0001').append(row[colResponseType]).append('\u0001')
              .append(row[colRespondedAt]);
        }
        case ITEMS -> key.append(row[colItemId]);
        case PERSONS -> {
          String email = (String) row[colEmail];
          if (!email.isEmpty() && ((String) row[i("email_sha256")]).isEmpty()) {
            row[i("email_sha256")] = CompiledMapping.sha256(CompiledMapping.normalizeEmail(email));
          }
          String phone = (String) row[colPhone];
          if (!phone.isEmpty() && ((String) row[i("phone_sha256")]).isEmpty()) {
            row[i("phone_sha256")] = CompiledMapping.sha256(CompiledMapping.normalizePhone(phone));
          }
          if (((String) row[colContactId]).isEmpty()) {
            for (String col : List.of("customer_no", "user_id", "email_sha256", "phone_sha256")) {
              if (!((String) row[i(col)]).isEmpty()) {
                row[colContactId] = col + ":" + row[i(col)];
                break;
              }
            }
          }
          if (((String) row[colContactId]).isEmpty()) {
            throw new CompiledMapping.Rejection("missing_id", "no customer_no, user_id, email or phone");
          }
          key.append(row[colContactId]);
        }
        case IDENTITIES -> {
          if ((Long) row[colLinkedAt] == 0L) {
            row[colLinkedAt] = run.loadedAt;
          }
          if (((String) row[colEvidence]).isEmpty()) {
            row[colEvidence] = run.file + ":" + reader.line();
          }
          key.append(row[colIdType]).append('\u0001').append(row[colIdValue]).append('\u0001')
              .append(row[colOtherType]).append('\u0001').append(row[colOtherValue]);
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
      String order = (String) row[colOrderId];
      long time = (Long) row[colOrderTime];
      long qty = (Long) row[colQuantity];
      long price = (Long) row[colUnitPrice];
      Object[] o = run.orders.get(order);
      if (o == null) {
        o = TargetTable.ORDERS.emptyRow();
        o[0] = order;
        o[1] = row[colCustomerKey];
        o[3] = time;
        o[4] = row[colStatus];
        o[6] = row[colCurrency];
        o[7] = row[colCountry];
        o[8] = row[colChannel];
        o[9] = row[colSource];
        o[10] = run.loadedAt;
        run.orders.put(order, o);
      } else {
        o[3] = Math.min((Long) o[3], time);
      }
      o[5] = (Long) o[5] + qty * price;
      String item = (String) row[colItemId];
      String title = (String) row[colItemTitle];
      // one lookup per line: the catalog row and the time of the line it was last taken from
      ItemEntry entry = run.items.get(item);
      if (entry == null || (time >= entry.time && (price > 0 || !title.isEmpty()))) {
        Object[] it;
        if (entry == null) {
          it = TargetTable.ITEMS.emptyRow();
          it[0] = item;
          it[TargetTable.ITEMS.index("stock")] = -1L; // sold lines say nothing about stock: -1 = unknown, never "out"
          it[10] = row[colSource];
          it[11] = run.loadedAt;
          entry = new ItemEntry(it);
          run.items.put(item, entry);
        } else {
          it = entry.row;
        }
        if (!title.isEmpty()) {
          it[1] = title;
          it[2] = row[colItemCategory];
        }
        if (!((String) row[colItemBrand]).isEmpty()) {
          it[4] = row[colItemBrand];
        }
        if (price > 0) {
          it[5] = price;
        }
        entry.time = time;
      }
    }
  }

  /** A catalog row derived from order lines, with the time of the line it was last taken from. */
  private static final class ItemEntry {
    final Object[] row;
    long time;

    ItemEntry(Object[] row) {
      this.row = row;
    }
  }
}
