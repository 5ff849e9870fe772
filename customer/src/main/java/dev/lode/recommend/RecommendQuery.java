package dev.lode.recommend;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * Builds the one ClickHouse query that recommends for a set of persons: it reads their
 * behaviour live (time-decayed), joins the precomputed model tables for candidates, blends
 * the sources by weight, removes what the person complained about, returned, already
 * bought (unless consumable) and what is out of stock, and ranks. The same text serves one
 * person ({@code recommend}) and every test person of an evaluation at once.
 *
 * <p>Values reach the text only through the {@link SqlBinder}, all in the leading
 * {@code WITH} list, so a PreparedStatement binds them in order.
 */
final class RecommendQuery {
  /** Who to recommend for: one person id, or a generated sub-query with a person_id column. */
  sealed interface Target permits Person, Persons {
  }

  /** One person, by id (bound, never pasted). */
  record Person(String id) implements Target {
  }

  /** Internal only: the SQL is written by Lode, never taken from a caller. */
  record Persons(String subquery) implements Target {
  }

  private RecommendQuery() {
  }

  /**
   * The query text; result columns person_id, item_id, score, rank, source, reason. A null {@code asOf}
   * means the engine's current time.
   *
   * @param consent whether personal sources need a granted 'personalization' consent
   * @param regionFromHistory take the region from the person's orders when the profile has none
   */
  static String sql(SqlBinder b, RecommendSettings s, Target target, String model, Instant asOf, RecContext ctx,
                    int k, boolean consent) {
    return sql(b, s, target, model, asOf, ctx, k, consent ? Personal.IF_CONSENTED : Personal.ALWAYS);
  }

  /** Whose personal data the batch form reads. */
  enum Personal {
    /** Persons whose latest 'personalization' consent is a grant. */
    IF_CONSENTED,
    /** Every target person. */
    ALWAYS,
    /** Nobody: context-only lists, e.g. for a person Lode knows nothing about. */
    NEVER
  }

  /** {@link #sql} with an explicit rule for whose personal data is read. */
  static String sql(SqlBinder b, RecommendSettings s, Target target, String model, Instant asOf, RecContext ctx,
                    int k, Personal personal) {
    StringBuilder q = new StringBuilder();
    String weightCases = header(q, b, s, model, asOf, ctx, k);
    String targetSql = switch (target) {
      case Person p -> "SELECT " + b.string(p.id()) + " AS person_id";
      case Persons ps -> ps.subquery();
    };
    q.append("  (SELECT max(generation) FROM rec_models WHERE model = p_model) AS p_gen,\n");
    q.append("targets AS (").append(targetSql).append("),\n");
    // Personal data is read only for persons whose latest 'personalization' consent is a grant.
    if (personal == Personal.IF_CONSENTED) {
      q.append("""
          personal AS (
            SELECT person_id FROM consents
            WHERE person_id IN (SELECT person_id FROM targets) AND purpose = 'personalization'
            GROUP BY person_id HAVING argMax(granted, recorded_at) = 1),
          """);
    } else if (personal == Personal.ALWAYS) {
      q.append("personal AS (SELECT person_id FROM targets),\n");
    } else {
      q.append("personal AS (SELECT person_id FROM targets WHERE 0),\n");
    }
    q.append("""
        history AS (
          SELECT person_id, item_id,
                 sum(w * exp(-0.6931471805599453 * greatest(dateDiff('second', t, p_asof), 0) / (86400 * p_half_life))) AS weight,
                 max(bought) AS bought
          FROM (
            SELECT e_person AS person_id, item_id, event_time AS t,
                   multiIf(event_name = 'purchase', p_w_purchase, event_name = 'add_to_cart', p_w_cart, p_w_view) AS w,
                   toUInt8(event_name = 'purchase') AS bought
            FROM ${PERSONAL_EVENTS}
            WHERE e_person IN (SELECT person_id FROM personal) AND item_id != '' AND event_time < p_asof
              AND event_name IN ('product_view', 'add_to_cart', 'purchase')
            UNION ALL
            SELECT person_id, item_id, order_time, p_w_purchase, toUInt8(1)
            FROM order_lines
            WHERE person_id IN (SELECT person_id FROM personal) AND item_id != '' AND order_time < p_asof
              AND status = 'completed' AND quantity > 0)
          GROUP BY person_id, item_id),
        catalog AS (
          SELECT item_id, category, seasons, stock, consumable FROM items FINAL),
        order_tickets AS (
          SELECT person_id, order_id FROM tickets
          WHERE person_id IN (SELECT person_id FROM personal) AND ticket_type IN ('complaint', 'return')
            AND item_id = '' AND order_id != '' AND opened_at < p_asof),
        excluded AS (
          SELECT person_id, item_id FROM tickets
          WHERE person_id IN (SELECT person_id FROM personal) AND ticket_type IN ('complaint', 'return')
            AND item_id != '' AND opened_at < p_asof
          UNION ALL
          SELECT t.person_id, l.item_id
          FROM (SELECT order_id, item_id FROM order_lines WHERE order_id IN (SELECT order_id FROM order_tickets)) l
          INNER JOIN order_tickets t ON t.order_id = l.order_id
          UNION ALL
          SELECT person_id, item_id FROM order_lines
          WHERE person_id IN (SELECT person_id FROM personal) AND status = 'returned' AND order_time < p_asof
          UNION ALL
          SELECT person_id, item_id FROM history
          WHERE bought = 1 AND item_id NOT IN (SELECT item_id FROM catalog WHERE consumable = 1)),
        profile AS (
          SELECT t.person_id AS person_id,
                 if(p_region != '', p_region, if(t.person_id IN (SELECT person_id FROM personal), pr.country, '')) AS region,
                 if(p_segment != '', p_segment, if(t.person_id IN (SELECT person_id FROM personal), pr.segment, '')) AS segment
          FROM targets t
          LEFT JOIN (
            SELECT person_id, argMax(country, updated_at) AS country, argMax(traits['segment'], updated_at) AS segment
            FROM persons WHERE person_id IN (SELECT person_id FROM targets) GROUP BY person_id) pr
          ON pr.person_id = t.person_id),
        active_seasons AS (
          SELECT r.region AS region, groupUniqArray((toString(c.name), toString(c.kind))) AS seasons
          FROM (SELECT DISTINCT region FROM profile) r CROSS JOIN rec_calendar c
          WHERE p_day BETWEEN c.start_date AND c.end_date
            AND (empty(c.regions) OR has(c.regions, r.region)) AND NOT has(c.not_regions, r.region)
          GROUP BY r.region),
        context_keys AS (
          SELECT p.person_id AS person_id, seg, sk.1 AS sea,
                 multiIf(sk.2 = 'holiday', 3, sk.2 = 'season', 2, 1) AS sea_w, reg
          FROM profile p LEFT JOIN active_seasons a ON a.region = p.region
          ARRAY JOIN arrayDistinct([if(p.segment = '', '*', p.segment), '*']) AS seg
          ARRAY JOIN arrayConcat([('*', '')], a.seasons) AS sk
          ARRAY JOIN arrayDistinct([if(p.region = '', '*', p.region), '*']) AS reg),
        interests AS (
          SELECT h.person_id AS person_id, c.category AS category, sum(h.weight) AS w
          FROM catalog c INNER JOIN history h ON h.item_id = c.item_id
          WHERE c.category != '' AND c.item_id IN (SELECT item_id FROM history)
          GROUP BY person_id, category ORDER BY w DESC LIMIT 3 BY person_id),
        neighbors AS (
          SELECT kind, item_id, neighbor_id, similarity FROM rec_item_neighbors
          WHERE model = p_model AND generation = p_gen
            AND item_id IN (SELECT item_id FROM history UNION ALL SELECT p_item)),
        """);
    q.append("candidates AS (\n").append(candidateUnion(s, BATCH_CANDIDATES)).append("),\n");
    q.append("""
        weighted AS (
          SELECT person_id, item_id, source AS w_source, via AS w_via,
                 raw / max(raw) OVER (PARTITION BY person_id, source, position(via, '|catalog|') > 0) * multiIf(%s, 0) AS contribution
          FROM candidates
          WHERE raw > 0 AND (source IN ('similar', 'seasonal', 'trending') OR person_id IN (SELECT person_id FROM personal))),
        blended AS (
          SELECT person_id, item_id, sum(contribution) AS score,
                 argMax(w_source, (contribution, w_via, w_source)) AS source, argMax(w_via, (contribution, w_via, w_source)) AS via
          FROM weighted WHERE contribution > 0
          GROUP BY person_id, item_id)
        SELECT person_id, item_id, score,
               toUInt32(row_number() OVER (PARTITION BY person_id ORDER BY score DESC, item_id)) AS item_rank,
               source,
               %s AS reason
        FROM blended b
        LEFT ANTI JOIN excluded e ON e.person_id = b.person_id AND e.item_id = b.item_id
        WHERE b.item_id != p_item AND b.item_id NOT IN (SELECT item_id FROM catalog WHERE stock = 0)
        QUALIFY item_rank <= p_k
        ORDER BY person_id, item_rank
        """.formatted(weightCases, REASON));
    return q.toString().replace("${PERSONAL_EVENTS}", PersonEvents.from("SELECT person_id FROM personal"));
  }

  /**
   * The same blend for one person, shaped for latency: everything about the person (consent,
   * decayed history, exclusions, profile, active seasons, category interests) is a scalar
   * computed once, so the query plans and runs as a handful of index-backed scans instead of
   * the batch form's repeated sub-queries. Result columns as {@link #sql}.
   */
  static String person(SqlBinder b, RecommendSettings s, String person, String model, Instant asOf, RecContext ctx,
                       int k, boolean consent) {
    StringBuilder q = new StringBuilder();
    String weightCases = header(q, b, s, model, asOf, ctx, k);
    q.append("  ").append(b.string(person)).append(" AS p_person,\n");
    q.append(consent
        ? "  (SELECT argMax(granted, recorded_at) = 1 FROM consents WHERE person_id = p_person"
          + " AND purpose = 'personalization') AS p_personal,\n"
        : "  true AS p_personal,\n");
    q.append("""
          (SELECT max(generation) FROM rec_models WHERE model = p_model) AS p_gen,
          (SELECT groupArray((item_id, weight, bought)) FROM (
             SELECT item_id,
                    sum(w * exp(-0.6931471805599453 * greatest(dateDiff('second', t, p_asof), 0) / (86400 * p_half_life))) AS weight,
                    max(bought) AS bought
             FROM (
               SELECT item_id, event_time AS t,
                      multiIf(event_name = 'purchase', p_w_purchase, event_name = 'add_to_cart', p_w_cart, p_w_view) AS w,
                      toUInt8(event_name = 'purchase') AS bought
               FROM events
               WHERE p_personal AND ${PERSON_EVENTS} AND item_id != '' AND event_time < p_asof
                 AND event_name IN ('product_view', 'add_to_cart', 'purchase')
               UNION ALL
               SELECT item_id, order_time, p_w_purchase, toUInt8(1) FROM order_lines
               WHERE p_personal AND person_id = p_person AND item_id != '' AND order_time < p_asof
                 AND status = 'completed' AND quantity > 0)
             GROUP BY item_id ORDER BY weight DESC LIMIT 1000)) AS p_history,
          arrayMap(x -> x.1, p_history) AS p_items,
          (SELECT groupUniqArray(item_id) FROM (
             SELECT item_id FROM tickets
             WHERE p_personal AND person_id = p_person AND ticket_type IN ('complaint', 'return') AND item_id != ''
               AND opened_at < p_asof
             UNION ALL
             SELECT item_id FROM order_lines WHERE p_personal AND order_id IN (
               SELECT order_id FROM tickets
               WHERE p_personal AND person_id = p_person AND ticket_type IN ('complaint', 'return') AND item_id = ''
                 AND order_id != '' AND opened_at < p_asof)
             UNION ALL
             SELECT item_id FROM order_lines
             WHERE p_personal AND person_id = p_person AND status = 'returned' AND order_time < p_asof
             UNION ALL
             SELECT arrayJoin(arrayFilter(x -> x.3 = 1, p_history)).1 AS item_id
             WHERE item_id NOT IN (SELECT item_id FROM items FINAL
                                   WHERE consumable = 1 AND item_id IN (SELECT arrayJoin(p_items)))))
            AS p_excluded,
          (SELECT (argMax(country, updated_at), argMax(traits['segment'], updated_at)) FROM persons
           WHERE p_personal AND person_id = p_person) AS p_profile,
          if(p_region != '', p_region, if(p_personal, p_profile.1, '')) AS p_reg,
          if(p_segment != '', p_segment, if(p_personal, p_profile.2, '')) AS p_seg,
          (SELECT groupUniqArray((toString(name), toString(kind))) FROM rec_calendar
           WHERE p_day BETWEEN start_date AND end_date AND (empty(regions) OR has(regions, p_reg))
             AND NOT has(not_regions, p_reg)) AS p_seasons,
          arrayConcat(['*'], arrayMap(x -> x.1, p_seasons)) AS p_season_names,
          arrayConcat([1], arrayMap(x -> if(x.2 = 'holiday', 3, 2), p_seasons)) AS p_season_weights,
          (SELECT groupArray((category, w)) FROM (
             SELECT c.category AS category, sum(h.w) AS w
             FROM (SELECT item_id, category FROM items FINAL
                   WHERE item_id IN (SELECT arrayJoin(p_items)) AND category != '') c
             INNER JOIN (SELECT x.1 AS hid, x.2 AS w FROM (SELECT arrayJoin(p_history) AS x)) h ON h.hid = c.item_id
             GROUP BY category ORDER BY w DESC LIMIT 3)) AS p_interests,
          arrayMap(x -> x.1, p_interests) AS p_interest_names,
        candidates AS (
          SELECT n.neighbor_id AS cand, toString(n.kind) AS source,
                 sum(h.w * n.similarity) AS raw, argMax(n.item_id, h.w * n.similarity) AS via
          FROM rec_item_neighbors n
          INNER JOIN (SELECT x.1 AS hid, x.2 AS w FROM (SELECT arrayJoin(p_history) AS x)) h ON h.hid = n.item_id
          WHERE n.model = p_model AND n.generation = p_gen AND n.item_id IN (SELECT arrayJoin(p_items))
          GROUP BY cand, source
          UNION ALL
          SELECT h.1, 'recent', h.2, h.1 FROM (SELECT arrayJoin(arrayFilter(x -> x.3 = 0, p_history)) AS h)
          UNION ALL
          SELECT item_id, 'ials', toFloat64(score), '' FROM rec_person_items
          WHERE p_personal AND model = p_model AND generation = p_gen AND kind = 'ials' AND person_id = p_person
          UNION ALL
          SELECT p.item_id, 'category', p.score * p_interests[indexOf(p_interest_names, c.category)].2, c.category
          FROM rec_item_popularity p
          INNER JOIN (SELECT item_id, category FROM items FINAL WHERE has(p_interest_names, category)) c
            ON c.item_id = p.item_id
          WHERE p.model = p_model AND p.generation = p_gen AND p.segment = '*' AND p.season = '*' AND p.region = '*'
          UNION ALL
          SELECT neighbor_id, 'similar', max(similarity), p_item FROM rec_item_neighbors
          WHERE p_item != '' AND model = p_model AND generation = p_gen AND item_id = p_item AND kind != 'ease'
          GROUP BY neighbor_id
          UNION ALL
          SELECT item_id, 'seasonal',
                 sum(score * p_season_weights[indexOf(p_season_names, season)] * if(region != '*', 2, 1) * if(segment != '*', 1.5, 1)),
                 argMax(concat(season, '|', region, '|', segment),
                        score * p_season_weights[indexOf(p_season_names, season)] * if(region != '*', 2, 1) * if(segment != '*', 1.5, 1))
          FROM rec_item_popularity
          WHERE model = p_model AND generation = p_gen AND segment IN (if(p_seg = '', '*', p_seg), '*')
            AND region IN (if(p_reg = '', '*', p_reg), '*') AND has(p_season_names, season)
          GROUP BY item_id
          UNION ALL
          SELECT item_id, 'seasonal', 1.0, concat(arrayFirst(x -> has(p_season_names, x), seasons), '|catalog|')
          FROM items FINAL WHERE stock != 0 AND hasAny(seasons, p_season_names)
          UNION ALL
          SELECT item_id, 'trending', score, toString(recent) FROM rec_item_trending
          WHERE model = p_model AND generation = p_gen ORDER BY score DESC LIMIT 200),
        blended AS (
          SELECT cand, sum(contribution) AS score, argMax(w_source, (contribution, w_via, w_source)) AS source, argMax(w_via, (contribution, w_via, w_source)) AS via
          FROM (
            SELECT cand, source AS w_source, via AS w_via,
                   raw / max(raw) OVER (PARTITION BY source, position(via, '|catalog|') > 0) * multiIf(%s, 0) AS contribution
            FROM candidates
            WHERE raw > 0 AND (p_personal OR source IN ('similar', 'seasonal', 'trending')))
          WHERE contribution > 0
          GROUP BY cand)
        SELECT p_person AS person_id, cand AS item_id, score,
               toUInt32(row_number() OVER (ORDER BY score DESC, cand)) AS item_rank, source,
               %s AS reason
        FROM blended
        WHERE cand NOT IN (SELECT arrayJoin(p_excluded)) AND cand != p_item
          AND cand NOT IN (SELECT item_id FROM items FINAL WHERE stock = 0)
        ORDER BY score DESC, cand
        LIMIT p_k
        """.formatted(weightCases, REASON.strip()));
    return q.toString().replace("${PERSON_EVENTS}", PersonEvents.of("p_person"));
  }

  /** The batch form's candidate sub-queries, each with the sources it feeds. */
  private static final List<Map.Entry<List<Source>, String>> BATCH_CANDIDATES = List.of(
      Map.entry(List.of(Source.BASKET, Source.SESSION, Source.CUSTOMER, Source.EASE), """
          SELECT h.person_id AS person_id, n.neighbor_id AS item_id, toString(n.kind) AS source,
                 sum(h.weight * n.similarity) AS raw, argMax(h.item_id, h.weight * n.similarity) AS via
          FROM neighbors n INNER JOIN history h ON h.item_id = n.item_id
          GROUP BY person_id, item_id, source
          """),
      Map.entry(List.of(Source.RECENT), """
          SELECT person_id, item_id, 'recent', weight, item_id FROM history WHERE bought = 0
          """),
      Map.entry(List.of(Source.IALS), """
          SELECT person_id, item_id, 'ials', toFloat64(score), '' FROM rec_person_items
          WHERE model = p_model AND generation = p_gen AND kind = 'ials' AND person_id IN (SELECT person_id FROM personal)
          """),
      Map.entry(List.of(Source.CATEGORY), """
          SELECT ci.person_id, cp.item_id, 'category', ci.w * cp.score, ci.category
          FROM (
            SELECT c.category AS category, p.item_id AS item_id, p.score AS score
            FROM rec_item_popularity p
            INNER JOIN (SELECT item_id, category FROM catalog
                        WHERE category IN (SELECT category FROM interests)) c ON c.item_id = p.item_id
            WHERE p.model = p_model AND p.generation = p_gen AND p.segment = '*' AND p.season = '*' AND p.region = '*') cp
          INNER JOIN interests ci ON ci.category = cp.category
          """),
      Map.entry(List.of(Source.SIMILAR), """
          SELECT t.person_id, n.neighbor_id, 'similar', max(n.similarity), p_item
          FROM targets t CROSS JOIN neighbors n
          WHERE p_item != '' AND n.item_id = p_item AND n.kind != 'ease'
          GROUP BY t.person_id, n.neighbor_id
          """),
      Map.entry(List.of(Source.SEASONAL), """
          SELECT k.person_id, p.item_id, 'seasonal',
                 sum(p.score * k.sea_w * if(p.region != '*', 2, 1) * if(p.segment != '*', 1.5, 1)),
                 argMax(concat(p.season, '|', p.region, '|', p.segment),
                        p.score * k.sea_w * if(p.region != '*', 2, 1) * if(p.segment != '*', 1.5, 1))
          FROM (
            SELECT segment, season, region, item_id, score FROM rec_item_popularity
            WHERE model = p_model AND generation = p_gen
              AND (segment, season, region) IN (SELECT seg, sea, reg FROM context_keys)) p
          INNER JOIN context_keys k ON p.segment = k.seg AND p.season = k.sea AND p.region = k.reg
          GROUP BY k.person_id, p.item_id
          """),
      Map.entry(List.of(Source.SEASONAL), """
          SELECT k.person_id, c.item_id, 'seasonal', 1.0, concat(k.sea, '|catalog|')
          FROM (SELECT DISTINCT person_id, sea FROM context_keys WHERE sea != '*') k
          INNER JOIN (SELECT item_id, arrayJoin(seasons) AS season FROM catalog WHERE stock != 0) c ON c.season = k.sea
          """),
      Map.entry(List.of(Source.TRENDING), """
          SELECT t.person_id, tr.item_id, 'trending', tr.score, toString(tr.recent)
          FROM targets t CROSS JOIN (
            SELECT item_id, score, recent FROM rec_item_trending
            WHERE model = p_model AND generation = p_gen ORDER BY score DESC LIMIT 200) tr
          """));

  /**
   * The UNION ALL of the candidate sub-queries whose sources have a weight: a source weighted 0
   * (e.g. one source alone in rec_eval) costs nothing.
   */
  private static String candidateUnion(RecommendSettings s, List<Map.Entry<List<Source>, String>> parts) {
    List<String> used = new ArrayList<>();
    for (Map.Entry<List<Source>, String> p : parts) {
      if (p.getKey().stream().anyMatch(x -> s.weight(x) > 0)) {
        used.add(p.getValue().strip());
      }
    }
    if (used.isEmpty()) {
      throw new IllegalArgumentException("every recommendation source has weight 0");
    }
    // a UNION ALL takes its column names from its first SELECT: an empty first one names them all
    return "SELECT '' AS person_id, '' AS item_id, '' AS source, toFloat64(0) AS raw, '' AS via WHERE 0\n  UNION ALL\n  "
        + String.join("\n  UNION ALL\n  ", used);
  }

  /** Appends the leading WITH list of bound values; returns the multiIf cases mapping a source to its weight. */
  private static String header(StringBuilder q, SqlBinder b, RecommendSettings s, String model, Instant asOf,
                               RecContext ctx, int k) {
    q.append("WITH\n");
    q.append("  ").append(b.string(model)).append(" AS p_model,\n");
    // asOf null = the engine's now: the text then stays the same from call to call (plan caches hit)
    q.append("  ").append(asOf == null ? "now64(3, 'UTC')" : b.time(asOf)).append(" AS p_asof,\n");
    q.append("  ").append(ctx.date() == null ? "toDate(p_asof)" : "toDate(" + b.string(ctx.date().toString()) + ")")
        .append(" AS p_day,\n");
    q.append("  ").append(b.string(ctx.region())).append(" AS p_region,\n");
    q.append("  ").append(b.string(ctx.segment())).append(" AS p_segment,\n");
    q.append("  ").append(b.string(ctx.item())).append(" AS p_item,\n");
    q.append("  ").append(b.integer(k)).append(" AS p_k,\n");
    q.append("  ").append(b.number(s.halfLifeDays())).append(" AS p_half_life,\n");
    q.append("  ").append(b.number(s.viewWeight())).append(" AS p_w_view,\n");
    q.append("  ").append(b.number(s.cartWeight())).append(" AS p_w_cart,\n");
    q.append("  ").append(b.number(s.purchaseWeight())).append(" AS p_w_purchase,\n");
    List<String> weightCases = new ArrayList<>();
    for (Source src : Source.values()) {
      q.append("  ").append(b.number(s.weight(src))).append(" AS p_weight_").append(src.sqlName()).append(",\n");
      weightCases.add("source = '" + src.sqlName() + "', p_weight_" + src.sqlName());
    }
    return String.join(", ", weightCases);
  }

  /** The human-readable reason, from the winning source and its evidence (via). */
  private static final String REASON = """
             multiIf(
               source = 'basket', concat('bought together with ', via),
               source = 'session', concat('viewed in the same sessions as ', via),
               source = 'customer', concat('customers who bought ', via, ' also bought it'),
               source = 'ease', concat('learned from customers whose purchases are like yours (', via, ')'),
               source = 'ials', 'learned from customers whose purchases are like yours',
               source = 'recent', 'you looked at it recently',
               source = 'category', concat('your recent interest in category ', via),
               source = 'similar', concat('similar to ', via),
               source = 'seasonal' AND splitByChar('|', via)[2] = 'catalog',
                 concat('a ', splitByChar('|', via)[1], ' item in the catalog'),
               source = 'seasonal',
                 concat('popular',
                        if(splitByChar('|', via)[2] = '*', '', concat(' in ', splitByChar('|', via)[2])),
                        if(splitByChar('|', via)[3] = '*', '', concat(' with ', splitByChar('|', via)[3], ' customers')),
                        if(splitByChar('|', via)[1] = '*', '', concat(' during ', splitByChar('|', via)[1]))),
               concat('trending: ', via, ' buyers in the last 14 days'))""";

  /** Validates a model name before it is used in DDL (partition drops). */
  static String modelName(String model) {
    if (!model.matches("[A-Za-z0-9_@:.\\-]{1,64}")) {
      throw new IllegalArgumentException("model name '" + model + "' must be 1-64 of A-Z a-z 0-9 _ @ : . -");
    }
    return model.toLowerCase(Locale.ROOT);
  }
}
