package dev.lode.profiles;

import dev.lode.warehouse.SqlLiteral;
import dev.lode.warehouse.StepProgress;
import dev.lode.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Recomputes the {@code profiles} table inside the engine: a full refresh rewrites every
 * person's row; an incremental one rewrites only persons with new events, orders,
 * tickets, campaign rows, consent decisions or identity links since the previous
 * successful refresh. Nothing is pulled into the JVM: each step is an INSERT … SELECT.
 */
public final class ProfileRefresher {
  /** The outcome of one refresh. */
  public record Result(String runId, String mode, Instant asOf, long persons, long millis) {
  }

  // The discount signals a view or purchase can carry: a discount or coupon property, an
  // on-sale flag, or a sale-like landing URL.
  static final String DISCOUNTED = "(toFloat64OrZero(properties['discount']) > 0 OR properties['on_sale'] IN ('1', 'true')"
      + " OR properties['coupon'] != '' OR match(lower(url), 'sale|discount|coupon|deal|clearance|promo'))";

  private static final String STAGE_SELECT = """
      SELECT
          p.person_id AS person_id,
          ids.ids AS ids,
          ev.first_seen AS first_seen,
          ev.last_seen AS last_seen,
          ev.events AS events,
          ev.sessions AS sessions,
          ev.page_views AS page_views,
          ev.product_views AS product_views,
          ev.avg_dwell_ms AS avg_dwell_ms,
          arrayMap(x -> x.1, it.top) AS top_categories,
          arrayMap(x -> round(x.2, 4), it.top) AS top_category_scores,
          if(empty(it.top), '', it.top[1].1) AS top_category,
          ${AS_OF} AS interest_as_of,
          ${HALF_LIFE_DAYS} AS interest_half_life_days,
          ev.carts AS carts,
          ab.abandoned AS abandoned_carts,
          if(o.orders > 0, o.orders, ev.purchases) AS orders,
          if(o.orders > 0, o.orders_30d, ev.purchases_30d) AS orders_30d,
          toDecimal128(if(o.orders > 0, o.revenue, ev.purchase_revenue), 4) AS revenue,
          if(o.orders > 0, o.first_order_at, ev.first_purchase_at) AS first_order_at,
          if(o.orders > 0, o.last_order_at, ev.last_purchase_at) AS last_order_at,
          if(ev.product_views = 0, 0, ev.discount_views / ev.product_views) AS discount_view_share,
          multiIf(ln.lines > 0, ln.discounted / ln.lines,
                  ev.purchases > 0, ev.discounted_purchases / ev.purchases, 0) AS discounted_purchase_share,
          round(if(ln.lines > 0 OR ev.purchases > 0,
                   0.5 * discount_view_share + 0.5 * discounted_purchase_share,
                   discount_view_share), 4) AS price_sensitivity,
          tk.tickets AS tickets,
          tk.complaints AS complaints,
          tk.last_ticket_at AS last_ticket_at,
          tk.last_ticket_type AS last_ticket_type,
          tk.last_complaint_at AS last_complaint_at,
          tk.avg_sentiment AS avg_ticket_sentiment,
          cs.sent AS campaigns_sent,
          cr.opens AS campaign_opens,
          cr.clicks AS campaign_clicks,
          cr.conversions AS campaign_conversions,
          cr.unsubscribes AS campaign_unsubscribes,
          cr.last_response_at AS last_campaign_response_at,
          if(cn.person_id = '', 'unknown', cn.profiling) AS consent_profiling,
          if(cn.person_id = '', 'unknown', cn.marketing) AS consent_marketing,
          if(cn.person_id = '', 'unknown', cn.personalization) AS consent_personalization
      FROM
      (
          SELECT DISTINCT person_id FROM
          (
              SELECT person_id FROM profile_events WHERE event_time <= ${AS_OF} AND ${EV_FILTER}
              UNION ALL SELECT person_id FROM orders FINAL WHERE person_id != '' AND ${FILTER}
              UNION ALL SELECT person_id FROM tickets FINAL WHERE person_id != '' AND ${FILTER}
              UNION ALL SELECT person_id FROM campaign_sends FINAL WHERE person_id != '' AND ${FILTER}
              UNION ALL SELECT person_id FROM persons FINAL WHERE is_deleted = 0 AND ${FILTER}
          )
      ) AS p
      LEFT ANY JOIN
      (
          SELECT person_id,
                 toNullable(min(event_time)) AS first_seen,
                 toNullable(max(event_time)) AS last_seen,
                 count() AS events,
                 uniqExactIf(session_id, session_id != '') AS sessions,
                 countIf(event_name IN ('page_view', 'product_view')) AS page_views,
                 countIf(event_name = 'product_view') AS product_views,
                 ifNotFinite(avgIf(dwell_ms, event_name IN ('page_view', 'product_view') AND dwell_ms > 0), 0) AS avg_dwell_ms,
                 countIf(event_name = 'add_to_cart') AS carts,
                 countIf(event_name = 'product_view' AND ${DISCOUNTED}) AS discount_views,
                 countIf(event_name = 'purchase') AS purchases,
                 countIf(event_name = 'purchase' AND event_time > ${AS_OF} - toIntervalDay(30)) AS purchases_30d,
                 countIf(event_name = 'purchase' AND ${DISCOUNTED}) AS discounted_purchases,
                 sumIf(ifNull(revenue, toDecimal64(0, 4)), event_name = 'purchase') AS purchase_revenue,
                 if(purchases = 0, NULL, toNullable(minIf(event_time, event_name = 'purchase'))) AS first_purchase_at,
                 if(purchases = 0, NULL, toNullable(maxIf(event_time, event_name = 'purchase'))) AS last_purchase_at
          FROM profile_events
          WHERE event_time <= ${AS_OF} AND ${EV_FILTER}
          GROUP BY person_id
      ) AS ev ON ev.person_id = p.person_id
      LEFT ANY JOIN
      (
          SELECT person_id, countIf(has_cart AND NOT has_purchase) AS abandoned
          FROM
          (
              SELECT person_id, session_id,
                     max(event_name = 'add_to_cart') AS has_cart,
                     max(event_name IN ('purchase', 'order_completed')) AS has_purchase
              FROM profile_events
              WHERE session_id != '' AND event_time <= ${AS_OF} AND ${EV_FILTER}
              GROUP BY person_id, session_id
          )
          GROUP BY person_id
      ) AS ab ON ab.person_id = p.person_id
      LEFT ANY JOIN
      (
          -- interest: each view weighs 1 plus a minute of dwell (up to 5 more), a misclick 0.1,
          -- a cart 3, a purchase 5; every weight halves each half-life back from as_of
          SELECT person_id, arraySlice(arrayReverseSort(x -> x.2, groupArray((category, s))), 1, 5) AS top
          FROM
          (
              SELECT person_id, category,
                     sum(multiIf(event_name = 'purchase', 5.0,
                                 event_name = 'add_to_cart', 3.0,
                                 dwell_ms > 0 AND dwell_ms < ${MISCLICK_MS}, 0.1,
                                 1.0 + least(dwell_ms, 300000) / 60000.0)
                         * pow(0.5, dateDiff('second', event_time, ${AS_OF}) / (${HALF_LIFE_DAYS} * 86400.0))) AS s
              FROM profile_events
              WHERE category != '' AND event_time <= ${AS_OF} AND ${EV_FILTER}
                AND event_name IN ('page_view', 'product_view', 'add_to_cart', 'purchase')
              GROUP BY person_id, category
          )
          GROUP BY person_id
      ) AS it ON it.person_id = p.person_id
      LEFT ANY JOIN
      (
          SELECT person_id, count() AS orders, sum(total) AS revenue,
                 countIf(order_time > ${AS_OF} - toIntervalDay(30)) AS orders_30d,
                 toNullable(min(order_time)) AS first_order_at, toNullable(max(order_time)) AS last_order_at
          FROM orders FINAL
          WHERE person_id != '' AND status != 'cancelled' AND order_time <= ${AS_OF} AND ${FILTER}
          GROUP BY person_id
      ) AS o ON o.person_id = p.person_id
      LEFT ANY JOIN
      (
          SELECT l.person_id AS person_id, count() AS lines,
                 countIf(i.price > 0 AND l.unit_price < i.price * 0.95) AS discounted
          FROM order_lines AS l FINAL
          LEFT ANY JOIN (SELECT item_id, price FROM items FINAL) AS i ON i.item_id = l.item_id
          WHERE l.person_id != '' AND l.status != 'cancelled' AND l.order_time <= ${AS_OF} AND ${L_FILTER}
          GROUP BY l.person_id
      ) AS ln ON ln.person_id = p.person_id
      LEFT ANY JOIN
      (
          SELECT person_id, count() AS tickets, countIf(ticket_type = 'complaint') AS complaints,
                 toNullable(max(opened_at)) AS last_ticket_at, argMax(ticket_type, opened_at) AS last_ticket_type,
                 if(complaints = 0, NULL, toNullable(maxIf(opened_at, ticket_type = 'complaint'))) AS last_complaint_at,
                 toNullable(avg(toFloat64(sentiment))) AS avg_sentiment
          FROM tickets FINAL
          WHERE person_id != '' AND opened_at <= ${AS_OF} AND ${FILTER}
          GROUP BY person_id
      ) AS tk ON tk.person_id = p.person_id
      LEFT ANY JOIN
      (
          SELECT person_id, count() AS sent FROM campaign_sends FINAL
          WHERE person_id != '' AND sent_at <= ${AS_OF} AND ${FILTER}
          GROUP BY person_id
      ) AS cs ON cs.person_id = p.person_id
      LEFT ANY JOIN
      (
          SELECT person_id, countIf(response_type = 'open') AS opens, countIf(response_type = 'click') AS clicks,
                 countIf(response_type = 'convert') AS conversions, countIf(response_type = 'unsubscribe') AS unsubscribes,
                 toNullable(max(responded_at)) AS last_response_at
          FROM campaign_responses FINAL
          WHERE person_id != '' AND responded_at <= ${AS_OF} AND ${FILTER}
          GROUP BY person_id
      ) AS cr ON cr.person_id = p.person_id
      LEFT ANY JOIN
      (
          SELECT person_id,
                 multiIf(countIf(purpose = 'profiling') = 0, 'unknown', anyIf(granted, purpose = 'profiling') = 1, 'granted', 'withheld') AS profiling,
                 multiIf(countIf(purpose = 'marketing') = 0, 'unknown', anyIf(granted, purpose = 'marketing') = 1, 'granted', 'withheld') AS marketing,
                 multiIf(countIf(purpose = 'personalization') = 0, 'unknown', anyIf(granted, purpose = 'personalization') = 1, 'granted', 'withheld') AS personalization
          FROM person_consents
          WHERE ${FILTER}
          GROUP BY person_id
      ) AS cn ON cn.person_id = p.person_id
      LEFT ANY JOIN
      (
          SELECT person_id, groupArray(20)(concat(id_type, ':', id_value)) AS ids
          FROM identities FINAL
          WHERE is_deleted = 0 AND ${FILTER}
          GROUP BY person_id
      ) AS ids ON ids.person_id = p.person_id
      """;

  // RFM: exact quintiles by rank over every person with orders (this refresh's rows and the
  // current rows of everyone else). A person's score is 1 + floor(5 * b / n), b = how many of
  // the n persons have a strictly smaller value (rank() - 1): equal values share a score, the
  // one of the first position their group takes (docs/tags.md, "RFM scores").
  private static final String PUBLISH = """
      INSERT INTO profiles_store
      SELECT
          s.person_id, s.ids, s.first_seen, s.last_seen, s.events, s.sessions, s.page_views, s.product_views,
          s.avg_dwell_ms, s.top_categories, s.top_category_scores, s.top_category, s.interest_as_of,
          s.interest_half_life_days, s.carts, s.abandoned_carts, s.orders, s.orders_30d, s.revenue,
          s.first_order_at, s.last_order_at,
          toUInt8(if(s.orders = 0, 0, 1 + intDiv(5 * rk.r_below, greatest(rk.n, 1)))) AS r_score,
          toUInt8(if(s.orders = 0, 0, 1 + intDiv(5 * rk.f_below, greatest(rk.n, 1)))) AS f_score,
          toUInt8(if(s.orders = 0, 0, 1 + intDiv(5 * rk.m_below, greatest(rk.n, 1)))) AS m_score,
          if(s.orders = 0, '', concat(toString(r_score), toString(f_score), toString(m_score))) AS rfm,
          s.discount_view_share, s.discounted_purchase_share, s.price_sensitivity,
          s.tickets, s.complaints, s.last_ticket_at, s.last_ticket_type, s.last_complaint_at, s.avg_ticket_sentiment,
          s.campaigns_sent, s.campaign_opens, s.campaign_clicks, s.campaign_conversions, s.campaign_unsubscribes,
          s.last_campaign_response_at, s.consent_profiling, s.consent_marketing, s.consent_personalization,
          ${COMPUTED_AT} AS computed_at
      FROM ${STAGE} AS s
      LEFT ANY JOIN
      (
          SELECT rk_person,
                 rank() OVER (ORDER BY last_order_at) - 1 AS r_below,
                 rank() OVER (ORDER BY orders) - 1 AS f_below,
                 rank() OVER (ORDER BY revenue) - 1 AS m_below,
                 count() OVER () AS n
          FROM
          (
              SELECT person_id AS rk_person, assumeNotNull(last_order_at) AS last_order_at, orders, revenue
              FROM ${STAGE} WHERE orders > 0
              UNION ALL
              SELECT person_id, assumeNotNull(last_order_at), orders, revenue FROM profiles_store FINAL
              WHERE orders > 0 AND person_id NOT IN (SELECT person_id FROM ${STAGE})
          )
      ) AS rk ON rk.rk_person = s.person_id
      """;

  // Persons touched since the watermark, by any source a profile reads.
  private static final String CHANGED = """
      SELECT DISTINCT person_id FROM
      (
          SELECT person_id FROM profile_events WHERE received_time > ${SINCE}
          UNION ALL SELECT person_id FROM orders WHERE loaded_at > ${SINCE}
          UNION ALL SELECT person_id FROM order_lines WHERE loaded_at > ${SINCE}
          UNION ALL SELECT person_id FROM tickets WHERE loaded_at > ${SINCE}
          UNION ALL SELECT person_id FROM campaign_sends WHERE loaded_at > ${SINCE}
          UNION ALL SELECT person_id FROM campaign_responses WHERE loaded_at > ${SINCE}
          UNION ALL SELECT person_id FROM person_consents WHERE recorded_at > ${SINCE}
          UNION ALL SELECT person_id FROM identities WHERE updated_at > ${SINCE}
          UNION ALL SELECT person_id FROM persons WHERE updated_at > ${SINCE}
          UNION ALL SELECT person_id FROM silo_attributions WHERE attributed_at > ${SINCE}
      )
      WHERE person_id != ''
      """;

  // The ids the changed persons' events were sent under: a filter on distinct_id, the
  // events table's first sort key column, reads only their granules.
  private static final String CHANGED_IDS = """
      SELECT DISTINCT distinct_id FROM
      (
          SELECT distinct_id FROM events WHERE person_id IN (SELECT person_id FROM ${CHANGED})
          UNION ALL
          SELECT id_value FROM identities FINAL
          WHERE id_type IN ('user_id', 'anonymous_id') AND person_id IN (SELECT person_id FROM ${CHANGED})
      )
      """;

  private final Warehouse warehouse;
  private final ProfileSettings settings;

  public ProfileRefresher(Warehouse warehouse, ProfileSettings settings) {
    this.warehouse = warehouse;
    this.settings = settings;
  }

  /** Recomputes every person's profile as of {@code asOf}. */
  public Result refreshAll(Instant asOf) throws SQLException {
    return refreshAll(asOf, StepProgress.NONE);
  }

  /** {@link #refreshAll(Instant)}, telling {@code steps} as each stage begins. */
  public Result refreshAll(Instant asOf, StepProgress steps) throws SQLException {
    return run("full", asOf, null, steps);
  }

  /**
   * Recomputes the profiles of persons with data newer than the last successful refresh
   * (a full refresh when there was none). Columns relative to the clock (orders_30d, RFM
   * recency) of untouched persons move only at the next full refresh.
   */
  public Result refreshChanged(Instant asOf) throws SQLException {
    return refreshChanged(asOf, StepProgress.NONE);
  }

  /** {@link #refreshChanged(Instant)}, telling {@code steps} as each stage begins. */
  public Result refreshChanged(Instant asOf, StepProgress steps) throws SQLException {
    Optional<Instant> since = lastRefresh();
    return since.isEmpty() ? run("full", asOf, null, steps) : run("incremental", asOf, since.get(), steps);
  }

  /** When the last successful profile refresh started. */
  public Optional<Instant> lastRefresh() throws SQLException {
    try (Connection c = warehouse.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT count(), toUnixTimestamp64Milli(max(started_at)) FROM refresh_runs"
             + " WHERE target = 'profiles' AND status = 'ok'")) {
      rs.next();
      return rs.getLong(1) == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(rs.getLong(2)));
    }
  }

  private Result run(String mode, Instant asOf, Instant since, StepProgress steps) throws SQLException {
    int of = since == null ? 3 : 4;
    int step = 0;
    String runId = UUID.randomUUID().toString();
    String suffix = runId.replace("-", "");
    String stage = "profiles_stage_" + suffix;
    String changed = "profiles_changed_" + suffix;
    String changedIds = "profiles_changed_ids_" + suffix;
    Instant started = Instant.now();
    long t0 = System.nanoTime();
    try (Connection c = warehouse.connect(); Statement st = c.createStatement()) {
      try {
        String filter = "1";
        String lineFilter = "1";
        String eventFilter = "1";
        if (since != null) {
          steps.begin(step++, of, "finding the persons with new input");
          st.execute("CREATE TABLE " + changed + " ENGINE = MergeTree ORDER BY person_id AS "
              + CHANGED.replace("${SINCE}", SqlLiteral.timestamp(since)));
          filter = "person_id IN (SELECT person_id FROM " + changed + ")";
          lineFilter = "l.person_id IN (SELECT person_id FROM " + changed + ")";
          st.execute("CREATE TABLE " + changedIds + " ENGINE = MergeTree ORDER BY distinct_id AS "
              + CHANGED_IDS.replace("${CHANGED}", changed));
          eventFilter = "distinct_id IN (SELECT distinct_id FROM " + changedIds + ") AND " + filter;
        }
        steps.begin(step++, of, "flagging bot sessions");
        flagBotSessions(st, since);
        String select = STAGE_SELECT
            .replace("${AS_OF}", SqlLiteral.timestamp(asOf))
            .replace("${HALF_LIFE_DAYS}", SqlLiteral.number(settings.interestHalfLifeDays()))
            .replace("${MISCLICK_MS}", Long.toString(settings.misclickMs()))
            .replace("${DISCOUNTED}", DISCOUNTED)
            .replace("${L_FILTER}", lineFilter)
            .replace("${EV_FILTER}", eventFilter)
            .replace("${FILTER}", filter);
        steps.begin(step++, of, "computing profiles");
        st.execute("CREATE TABLE " + stage + " ENGINE = MergeTree ORDER BY person_id AS " + select);
        steps.begin(step, of, "publishing profiles");
        st.execute(PUBLISH.replace("${STAGE}", stage).replace("${COMPUTED_AT}", SqlLiteral.timestamp(Instant.now())));
        long persons;
        try (ResultSet rs = st.executeQuery("SELECT count() FROM " + stage)) {
          rs.next();
          persons = rs.getLong(1);
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        record(c, runId, mode, asOf, started, persons, "ok", "");
        return new Result(runId, mode, asOf, persons, millis);
      } catch (SQLException | RuntimeException e) {
        record(c, runId, mode, asOf, started, 0, "failed", String.valueOf(e.getMessage()));
        throw e;
      } finally {
        st.execute("DROP TABLE IF EXISTS " + stage);
        st.execute("DROP TABLE IF EXISTS " + changed);
        st.execute("DROP TABLE IF EXISTS " + changedIds);
      }
    }
  }

  /**
   * Records the current verdict of the bot rule ({@code session_quality}) in {@code bot_sessions}
   * for the sessions with events received since {@code since} (every session when null): bots, and
   * sessions flagged before that no longer are. {@code profile_events} leaves bot sessions out.
   */
  public static void flagBotSessions(Statement st, Instant since) throws SQLException {
    String sessions = since == null ? "" : " AND session_id IN (SELECT DISTINCT session_id FROM events WHERE"
        + " session_id != '' AND received_time >= " + SqlLiteral.timestamp(since) + ")";
    st.execute("INSERT INTO bot_sessions (session_id, is_bot, reason, flagged_at)"
        + " SELECT session_id, is_bot, bot_reason, now64(3) FROM session_quality"
        + " WHERE (is_bot OR session_id IN (SELECT session_id FROM bot_sessions FINAL WHERE is_bot = 1))" + sessions);
  }

  private static void record(Connection c, String runId, String mode, Instant asOf, Instant started, long rows,
                             String status, String error) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO refresh_runs (run_id, target, version, mode, as_of,"
        + " started_at, finished_at, rows_written, rows_removed, withheld, status, error)"
        + " VALUES (?, 'profiles', 0, ?, ?, ?, ?, ?, 0, 0, ?, ?)")) {
      ps.setString(1, runId);
      ps.setString(2, mode);
      ps.setTimestamp(3, Timestamp.from(asOf));
      ps.setTimestamp(4, Timestamp.from(started));
      ps.setTimestamp(5, Timestamp.from(Instant.now()));
      ps.setLong(6, rows);
      ps.setString(7, status);
      ps.setString(8, error);
      ps.executeUpdate();
    }
  }
}
