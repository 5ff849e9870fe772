package dev.lode.load;

import dev.lode.warehouse.insert.TargetTable;

import java.util.List;
import java.util.Locale;

/**
 * What a file holds, and so which table it fills: behavior events, order lines (orders and
 * the item catalog derived from them), tickets, campaigns with their sends and responses,
 * the item catalog, CRM contacts (persons) and explicit identity links.
 */
public enum LoadKind {
  EVENTS("events", TargetTable.EVENTS, List.of(), List.of("event_time", "event_name")),
  ORDERS("orders", TargetTable.ORDER_LINES,
      List.of("currency", "country", "channel", "item_title", "item_category", "item_brand"),
      List.of("order_id", "order_time", "item_id")),
  TICKETS("tickets", TargetTable.TICKETS, List.of(), List.of("ticket_id", "opened_at")),
  CAMPAIGNS("campaigns", TargetTable.CAMPAIGNS, List.of(), List.of("campaign_id", "starts_at")),
  CAMPAIGN_SENDS("campaign_sends", TargetTable.CAMPAIGN_SENDS, List.of(),
      List.of("campaign_id", "send_id", "recipient", "sent_at")),
  CAMPAIGN_RESPONSES("campaign_responses", TargetTable.CAMPAIGN_RESPONSES, List.of(),
      List.of("campaign_id", "recipient", "response_type", "responded_at")),
  ITEMS("items", TargetTable.ITEMS, List.of(), List.of("item_id")),
  PERSONS("persons", TargetTable.CRM_CONTACTS, List.of("email", "phone"), List.of()),
  IDENTITIES("identities", TargetTable.IDENTITY_LINKS, List.of(), List.of("id_type", "id_value", "other_type",
      "other_value"));

  private final String id;
  private final TargetTable table;
  private final List<String> extras;
  private final List<String> required;

  LoadKind(String id, TargetTable table, List<String> extras, List<String> required) {
    this.id = id;
    this.table = table;
    this.extras = extras;
    this.required = required;
  }

  public String id() {
    return id;
  }

  /** The table each loaded record becomes a row of. */
  public TargetTable table() {
    return table;
  }

  /** Text columns a mapping may fill that feed derived tables (orders, items) rather than the main table. */
  public List<String> extras() {
    return extras;
  }

  /** Columns that must be non-empty after mapping, else the record is quarantined as missing_<column>. */
  public List<String> required() {
    return required;
  }

  /** The kind named {@code s} (e.g. {@code orders}, {@code campaign-sends}). */
  public static LoadKind of(String s) {
    String k = s.toLowerCase(Locale.ROOT).replace('-', '_');
    for (LoadKind v : values()) {
      if (v.id.equals(k)) {
        return v;
      }
    }
    throw new IllegalArgumentException("unknown load kind '" + s + "': expected one of events, orders, tickets,"
        + " campaigns, campaign_sends, campaign_responses, items, persons, identities");
  }
}
