package dev.lode.warehouse.insert;

import static dev.lode.warehouse.insert.ColumnType.ARRAY;
import static dev.lode.warehouse.insert.ColumnType.COUNTS;
import static dev.lode.warehouse.insert.ColumnType.DATETIME64;
import static dev.lode.warehouse.insert.ColumnType.DECIMAL;
import static dev.lode.warehouse.insert.ColumnType.FLOAT32;
import static dev.lode.warehouse.insert.ColumnType.INT32;
import static dev.lode.warehouse.insert.ColumnType.MAP;
import static dev.lode.warehouse.insert.ColumnType.NULLABLE_DATETIME64;
import static dev.lode.warehouse.insert.ColumnType.NULLABLE_DECIMAL;
import static dev.lode.warehouse.insert.ColumnType.STRING;
import static dev.lode.warehouse.insert.ColumnType.UINT16;
import static dev.lode.warehouse.insert.ColumnType.UINT32;
import static dev.lode.warehouse.insert.ColumnType.UINT64;
import static dev.lode.warehouse.insert.ColumnType.UINT8;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A warehouse table the loaders write: its name and the columns a load fills, in RowBinary order. */
public record TargetTable(String name, List<Column> columns) {

  /** One column and its type. */
  public record Column(String name, ColumnType type) {
  }

  public static final TargetTable EVENTS = of("events", "event_id", STRING, "event_time", DATETIME64,
      "received_time", DATETIME64, "sent_time", NULLABLE_DATETIME64, "distinct_id", STRING, "anonymous_id", STRING,
      "user_id", STRING, "person_id", STRING, "event_type", STRING, "event_name", STRING, "session_id", STRING,
      "url", STRING, "page", STRING, "title", STRING, "referrer", STRING, "item_id", STRING, "category", STRING,
      "price", NULLABLE_DECIMAL, "quantity", INT32, "revenue", NULLABLE_DECIMAL, "dwell_ms", UINT64,
      "device_type", STRING, "os", STRING, "browser", STRING, "user_agent", STRING, "ip", STRING, "locale", STRING,
      "country", STRING, "region", STRING, "city", STRING, "properties", MAP, "source", STRING,
      "retention_days", UINT16);

  public static final TargetTable ORDER_LINES = of("order_lines", "order_id", STRING, "line_no", UINT32,
      "customer_key", STRING, "person_id", STRING, "order_time", DATETIME64, "item_id", STRING, "quantity", INT32,
      "unit_price", DECIMAL, "status", STRING, "source", STRING, "loaded_at", DATETIME64);

  public static final TargetTable ORDERS = of("orders", "order_id", STRING, "customer_key", STRING,
      "person_id", STRING, "order_time", DATETIME64, "status", STRING, "total", DECIMAL, "currency", STRING,
      "country", STRING, "channel", STRING, "source", STRING, "loaded_at", DATETIME64);

  public static final TargetTable ITEMS = of("items", "item_id", STRING, "title", STRING, "category", STRING,
      "subcategory", STRING, "brand", STRING, "price", DECIMAL, "stock", UINT64, "consumable", UINT8,
      "seasons", ARRAY, "attributes", MAP, "source", STRING, "loaded_at", DATETIME64);

  public static final TargetTable TICKETS = of("tickets", "ticket_id", STRING, "requester", STRING,
      "requester_type", STRING, "person_id", STRING, "item_id", STRING, "order_id", STRING, "opened_at", DATETIME64,
      "closed_at", NULLABLE_DATETIME64, "ticket_type", STRING, "channel", STRING, "sentiment", FLOAT32,
      "severity", UINT8, "status", STRING, "subject", STRING, "body", STRING, "source", STRING,
      "loaded_at", DATETIME64);

  public static final TargetTable CAMPAIGNS = of("campaigns", "campaign_id", STRING, "name", STRING,
      "channel", STRING, "offer", STRING, "starts_at", DATETIME64, "ends_at", NULLABLE_DATETIME64, "source", STRING,
      "loaded_at", DATETIME64);

  public static final TargetTable CAMPAIGN_SENDS = of("campaign_sends", "campaign_id", STRING, "send_id", STRING,
      "recipient", STRING, "recipient_type", STRING, "person_id", STRING, "channel", STRING, "variant", STRING,
      "sent_at", DATETIME64, "source", STRING, "loaded_at", DATETIME64);

  public static final TargetTable CAMPAIGN_RESPONSES = of("campaign_responses", "campaign_id", STRING,
      "send_id", STRING, "recipient", STRING, "recipient_type", STRING, "person_id", STRING, "response_type", STRING,
      "responded_at", DATETIME64, "order_id", STRING, "source", STRING, "loaded_at", DATETIME64);

  public static final TargetTable CRM_CONTACTS = of("crm_contacts", "contact_id", STRING, "customer_no", STRING,
      "user_id", STRING, "email_sha256", STRING, "phone_sha256", STRING, "country", STRING, "city", STRING,
      "traits", MAP, "source", STRING, "loaded_at", DATETIME64);

  public static final TargetTable IDENTITY_LINKS = of("identity_links", "id_type", STRING, "id_value", STRING,
      "other_type", STRING, "other_value", STRING, "linked_at", DATETIME64, "source", STRING, "evidence", STRING,
      "loaded_at", DATETIME64);

  public static final TargetTable QUARANTINE = of("quarantine", "received_time", DATETIME64, "source", STRING,
      "reason_code", STRING, "detail", STRING, "raw_payload", STRING, "file", STRING, "line", UINT64);

  public static final TargetTable LOADS = of("loads", "load_id", STRING, "kind", STRING, "file", STRING,
      "file_sha256", STRING, "mapping", STRING, "mapping_sha256", STRING, "source", STRING, "started_at", DATETIME64,
      "finished_at", DATETIME64, "status", STRING, "rows_read", UINT64, "rows_loaded", UINT64,
      "rows_quarantined", UINT64, "rows_duplicate", UINT64, "quarantine_reasons", COUNTS, "error", STRING);

  public static final TargetTable IDENTITIES = of("identities", "id_type", STRING, "id_value", STRING,
      "person_id", STRING, "first_seen", DATETIME64, "updated_at", DATETIME64, "source", STRING,
      "link_reason", STRING, "is_deleted", UINT8);

  public static final TargetTable PERSONS = of("persons", "person_id", STRING, "created_at", DATETIME64,
      "updated_at", DATETIME64, "first_seen", NULLABLE_DATETIME64, "source", STRING, "is_deleted", UINT8);

  public static final TargetTable IDENTITY_MERGES = of("identity_merges", "merged_at", DATETIME64,
      "from_person_id", STRING, "into_person_id", STRING, "link_id_type", STRING, "link_id_value", STRING,
      "other_id_type", STRING, "other_id_value", STRING, "source", STRING, "evidence", STRING);

  public static final TargetTable IDENTITY_CONFLICTS = of("identity_conflicts", "detected_at", DATETIME64,
      "person_a", STRING, "person_b", STRING, "id_type", STRING, "id_value", STRING, "other_type", STRING,
      "other_value", STRING, "reason", STRING, "source", STRING, "evidence", STRING);

  public static final TargetTable IDENTITY_LOOKUP = of("identity_lookup", "run_id", STRING, "id_type", STRING,
      "id_value", STRING);

  public static final TargetTable WATERMARKS = of("identity_watermarks", "stream", STRING, "watermark", DATETIME64,
      "updated_at", DATETIME64);

  private static TargetTable of(String name, Object... pairs) {
    List<Column> cols = new ArrayList<>();
    for (int i = 0; i < pairs.length; i += 2) {
      cols.add(new Column((String) pairs[i], (ColumnType) pairs[i + 1]));
    }
    return new TargetTable(name, List.copyOf(cols));
  }

  /** The column's position, or -1. */
  public int index(String column) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equals(column)) {
        return i;
      }
    }
    return -1;
  }

  public List<String> columnNames() {
    return columns.stream().map(Column::name).toList();
  }

  /** Column name → type, in order. */
  public Map<String, ColumnType> types() {
    Map<String, ColumnType> m = new LinkedHashMap<>();
    columns.forEach(c -> m.put(c.name(), c.type()));
    return m;
  }

  /** A row of the column defaults. */
  public Object[] emptyRow() {
    Object[] r = new Object[columns.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = columns.get(i).type().empty();
    }
    return r;
  }

  /** Writes one row as RowBinary. */
  public void write(RowBinaryOutput out, Object[] row) throws java.io.IOException {
    for (int i = 0; i < row.length; i++) {
      columns.get(i).type().write(out, row[i]);
    }
  }
}
