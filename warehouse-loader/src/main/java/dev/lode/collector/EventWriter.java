package dev.lode.collector;

import dev.lode.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Inserts collector rows into the warehouse's {@code events} and {@code quarantine} tables as JDBC batches. */
public final class EventWriter implements AutoCloseable {
  static final String EVENT_COLUMNS = "event_id, event_time, received_time, sent_time, distinct_id, anonymous_id,"
      + " user_id, person_id, event_type, event_name, session_id, url, page, title, referrer, item_id, category, price,"
      + " quantity, revenue, dwell_ms, device_type, os, browser, user_agent, ip, locale, country, region, city,"
      + " properties, source, retention_days";
  private static final int EVENT_PARAMS = EVENT_COLUMNS.split(",").length;

  private final Warehouse warehouse;
  private final String eventsTable;
  private Connection connection;

  public EventWriter(Warehouse warehouse) {
    this(warehouse, "events");
  }

  /** A writer into another table of the events layout (benchmarks compare against one). */
  public EventWriter(Warehouse warehouse, String eventsTable) {
    if (!eventsTable.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException("not a table name: " + eventsTable);
    }
    this.warehouse = warehouse;
    this.eventsTable = eventsTable;
  }

  private Connection connection() throws SQLException {
    if (connection == null || connection.isClosed()) {
      connection = warehouse.connect();
    }
    return connection;
  }

  /** Inserts events in one batch. */
  public void insertEvents(List<CollectedEvent> events) throws SQLException {
    if (events.isEmpty()) {
      return;
    }
    String sql = "INSERT INTO " + eventsTable + " (" + EVENT_COLUMNS + ") VALUES (" + "?, ".repeat(EVENT_PARAMS - 1)
        + "?)";
    try (PreparedStatement ps = connection().prepareStatement(sql)) {
      for (CollectedEvent e : events) {
        int i = 1;
        ps.setString(i++, e.eventId());
        ps.setObject(i++, Instant.ofEpochMilli(e.eventTime()));
        ps.setObject(i++, Instant.ofEpochMilli(e.receivedTime()));
        if (e.sentTime() == null) {
          ps.setNull(i++, Types.TIMESTAMP);
        } else {
          ps.setObject(i++, Instant.ofEpochMilli(e.sentTime()));
        }
        ps.setString(i++, e.distinctId());
        ps.setString(i++, e.anonymousId());
        ps.setString(i++, e.userId());
        ps.setString(i++, "");
        ps.setString(i++, e.eventType());
        ps.setString(i++, e.eventName());
        ps.setString(i++, e.sessionId());
        ps.setString(i++, e.url());
        ps.setString(i++, e.page());
        ps.setString(i++, e.title());
        ps.setString(i++, e.referrer());
        ps.setString(i++, e.itemId());
        ps.setString(i++, e.category());
        ps.setBigDecimal(i++, e.price());
        ps.setInt(i++, e.quantity());
        ps.setBigDecimal(i++, e.revenue());
        ps.setLong(i++, e.dwellMs());
        ps.setString(i++, e.deviceType());
        ps.setString(i++, e.os());
        ps.setString(i++, e.browser());
        ps.setString(i++, e.userAgent());
        ps.setString(i++, e.ip());
        ps.setString(i++, e.locale());
        ps.setString(i++, e.country());
        ps.setString(i++, e.region());
        ps.setString(i++, e.city());
        ps.setObject(i++, e.properties());
        ps.setString(i++, e.source());
        ps.setInt(i, e.retentionDays());
        ps.addBatch();
      }
      ps.executeBatch();
    } catch (SQLException e) {
      closeQuietly();
      throw e;
    }
  }

  /** Inserts quarantine rows in one batch. */
  public void insertQuarantine(List<QuarantinedEvent> rows) throws SQLException {
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
  public Set<String> existingRowKeys(List<CollectedEvent> events) throws SQLException {
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
