package dev.lode.collector.spool;

import dev.lode.collector.CollectedEvent;
import dev.lode.collector.QuarantinedEvent;
import dev.lode.warehouse.insert.ColumnType;
import dev.lode.warehouse.insert.RowBinaryInsert;
import dev.lode.warehouse.insert.TargetTable;
import dev.lode.warehouse.Warehouse;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Inserts collector rows into the warehouse's {@code events} and {@code quarantine} tables. */
public final class EventWriter implements AutoCloseable {
  /**
   * Engine settings of the collector's inserts. Skip indexes are not built for a freshly
   * inserted part: every part is merged soon, and the merge builds them for the merged part
   * anyway (on a 2-core machine building them at insert cost about a fifth of the insert's
   * CPU; queries read the not yet merged parts without index pruning, with the same
   * results). A ReplacingMergeTree insert need not collapse equal keys within its block:
   * the flusher already keeps one row per key, and merges and FINAL collapse the rest.
   */
  static final java.util.Map<String, String> INSERT_SETTINGS = java.util.Map.of(
      "materialize_skip_indexes_on_insert", "0", "optimize_on_insert", "0");

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EventWriter.class);

  private final Warehouse warehouse;
  private final String eventsTable;
  private Connection connection;
  /** {@link #INSERT_SETTINGS}, or none once the warehouse refused them (an older ClickHouse server). */
  private volatile java.util.Map<String, String> insertSettings;

  public EventWriter(Warehouse warehouse) {
    this(warehouse, "events");
  }

  /** A writer into another table of the events layout (benchmarks compare against one). */
  public EventWriter(Warehouse warehouse, String eventsTable) {
    this(warehouse, eventsTable, INSERT_SETTINGS);
  }

  EventWriter(Warehouse warehouse, String eventsTable, java.util.Map<String, String> insertSettings) {
    if (!eventsTable.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException("not a table name: " + eventsTable);
    }
    this.warehouse = warehouse;
    this.eventsTable = eventsTable;
    this.insertSettings = insertSettings;
  }

  /**
   * After a failed insert: when the warehouse does not know one of the insert settings (they
   * only make inserts cheaper), later inserts go without them; the caller retries the batch.
   */
  private void failed(Exception e) {
    closeQuietly();
    String m = String.valueOf(e.getMessage());
    if (!insertSettings.isEmpty() && (m.contains("UNKNOWN_SETTING") || m.contains("Unknown setting"))) {
      LOG.warn("the warehouse does not know the collector's insert settings {}; inserting without them: {}",
          insertSettings.keySet(), m.lines().findFirst().orElse(m));
      insertSettings = java.util.Map.of();
    }
  }

  private Connection connection() throws SQLException {
    if (connection == null || connection.isClosed()) {
      connection = warehouse.connect();
    }
    return connection;
  }

  /**
   * Inserts events as one streamed RowBinary insert with the column list named, the
   * fastest path clickhouse-jdbc offers that keeps columns where they belong.
   */
  public void insertEvents(List<CollectedEvent> events) throws SQLException {
    if (events.isEmpty()) {
      return;
    }
    TargetTable table = new TargetTable(eventsTable, TargetTable.EVENTS.columns());
    try {
      RowBinaryInsert.insert(connection(), table, insertSettings, out -> {
        for (CollectedEvent e : events) {
          table.write(out, row(e));
        }
      });
    } catch (SQLException | RuntimeException e) {
      failed(e);
      throw e;
    }
  }

  /**
   * Inserts rows the caller writes as RowBinary in {@code TargetTable.EVENTS} column order
   * (the flusher writes spooled records without decoding them), as one streamed insert.
   */
  void insertRows(RowBinaryInsert.RowWriter rows) throws SQLException {
    try {
      RowBinaryInsert.insert(connection(), new TargetTable(eventsTable, TargetTable.EVENTS.columns()), insertSettings,
          rows);
    } catch (SQLException | RuntimeException e) {
      failed(e);
      throw e;
    }
  }

  /** The event as a row of {@code TargetTable.EVENTS}. */
  static Object[] row(CollectedEvent e) {
    return new Object[] {e.eventId(), e.eventTime(), e.receivedTime(), e.sentTime(), e.distinctId(),
        e.anonymousId(), e.userId(), "", e.eventType(), e.eventName(), e.sessionId(), e.url(), e.page(),
        e.title(), e.referrer(), e.itemId(), e.category(), scaled(e.price()), (long) e.quantity(),
        scaled(e.revenue()), e.dwellMs(), e.deviceType(), e.os(), e.browser(), e.userAgent(), e.ip(),
        e.locale(), e.country(), e.region(), e.city(), e.properties(), e.source(), (long) e.retentionDays()};
  }

  /** A Decimal(18, 4) value as the loaders' RowBinary writer takes it: a long scaled by 10^4, or null. */
  private static Long scaled(BigDecimal v) {
    return v == null ? null : v.movePointRight(ColumnType.SCALE).setScale(0, RoundingMode.HALF_UP).longValueExact();
  }

  /** Inserts quarantine rows in one batch. */
  void insertQuarantine(List<QuarantinedEvent> rows) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = connection().prepareStatement("INSERT INTO quarantine (received_time, source,"
        + " reason_code, detail, raw_payload, file, line) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      for (QuarantinedEvent q : rows) {
        ps.setObject(1, Instant.ofEpochMilli(q.receivedTime()));
        ps.setString(2, q.source());
        ps.setString(3, q.reason().code());
        ps.setString(4, q.detail());
        ps.setString(5, q.rawPayload());
        ps.setString(6, q.file());
        ps.setLong(7, q.line());
        ps.addBatch();
      }
      ps.executeBatch();
    } catch (SQLException e) {
      closeQuietly();
      throw e;
    }
  }

  /**
   * The stored-row keys ({@link CollectedEvent#rowKey} plus dwell time) of these events that
   * the table already holds; used after a restart so replayed records are not stored twice.
   */
  Set<String> existingRowKeys(List<CollectedEvent> events) throws SQLException {
    Set<String> found = new HashSet<>();
    for (int from = 0; from < events.size(); from += 1000) {
      List<CollectedEvent> chunk = events.subList(from, Math.min(events.size(), from + 1000));
      StringBuilder in = new StringBuilder();
      List<String> ids = new ArrayList<>();
      for (CollectedEvent e : chunk) {
        in.append(in.isEmpty() ? "?" : ", ?");
        ids.add(e.eventId());
      }
      try (PreparedStatement ps = connection().prepareStatement("SELECT distinct_id, toUnixTimestamp64Milli(event_time),"
          + " event_id, dwell_ms FROM " + eventsTable + " WHERE event_id IN (" + in + ")")) {
        for (int i = 0; i < ids.size(); i++) {
          ps.setString(i + 1, ids.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            found.add(rs.getString(1) + '\u0001' + rs.getLong(2) + '\u0001' + rs.getString(3) + '\u0001' + rs.getLong(4));
          }
        }
      } catch (SQLException e) {
        closeQuietly();
        throw e;
      }
    }
    return found;
  }

  private void closeQuietly() {
    try {
      if (connection != null) {
        connection.close();
      }
    } catch (SQLException ignored) {
      // reconnect on the next call
    }
    connection = null;
  }

  @Override
  public void close() {
    closeQuietly();
  }
}
