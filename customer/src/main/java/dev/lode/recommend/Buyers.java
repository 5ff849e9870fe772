package dev.lode.recommend;

/**
 * The purchases the model's popularity and trending count, each with its buyer as identity
 * resolution knows them: an order line's person as resolution stamped it (else its customer
 * number, else its order: a guest checkout is one buyer), a purchase event's person through the
 * id it was sent under ({@code profile_events} semantics, as the collector stamps no person; else
 * its distinct id). So one customer buying through the shop's order system and the web counts once.
 */
final class Buyers {
  private static final String IDS = "SELECT id_type, id_value, person_id FROM identities FINAL"
      + " WHERE is_deleted = 0 AND id_type IN ('user_id', 'anonymous_id')";

  private Buyers() {
  }

  /**
   * A query over the build's {@code b_cutoff} with columns buyer, person_id ('' = none resolved),
   * order_id (the event id for an event), item_id, t and region (the order's country, the event's
   * country), for the purchases at or after {@code from} (an SQL time expression; null = all) and
   * before the cutoff.
   */
  static String purchases(String from) {
    String lines = from == null ? "" : " AND l.order_time >= " + from;
    String orders = from == null ? "" : " AND order_time >= " + from;
    String events = from == null ? "" : " AND e.event_time >= " + from;
    return "SELECT if(l.person_id != '', l.person_id, if(l.customer_key != '', concat('customer_no:', l.customer_key),"
        + " concat('order:', l.order_id))) AS buyer, l.person_id AS person_id, l.order_id AS order_id,"
        + " l.item_id AS item_id, l.order_time AS t, o.country AS region\n"
        + "          FROM order_lines l\n"
        + "          LEFT JOIN (SELECT order_id, any(country) AS country FROM orders WHERE order_time < b_cutoff" + orders
        + " GROUP BY order_id) o ON o.order_id = l.order_id\n"
        + "          WHERE l.item_id != '' AND l.status = 'completed' AND l.quantity > 0 AND l.order_time < b_cutoff"
        + lines + "\n"
        + "          UNION ALL\n"
        + "          SELECT if(ep != '', ep, concat('visitor:', distinct_id)), ep, event_id, item_id, event_time, region"
        + " FROM (SELECT if(i.person_id != '', i.person_id, e.person_id) AS ep, e.distinct_id AS distinct_id,"
        + " e.event_id AS event_id, e.item_id AS item_id, e.event_time AS event_time, toString(e.country) AS region"
        + " FROM events AS e LEFT ANY JOIN (" + IDS + ") AS i"
        + " ON i.id_value = e.distinct_id AND i.id_type = if(e.user_id != '', 'user_id', 'anonymous_id')"
        + " WHERE e.item_id != '' AND e.event_name = 'purchase' AND e.event_time < b_cutoff" + events + ")";
  }
}
