-- title: Daily KPIs
-- description: Visitors, sessions, purchase sessions and their conversion, orders, revenue and average order value for
-- description: each day (UTC). Two sources, labelled apart: visitors, sessions, purchase_sessions and
-- description: session_conversion_pct come from tracked behavior (visitors are distinct persons as identity resolution
-- description: attributes events, anonymous ids where no person is resolved; session_conversion_pct = purchase_sessions /
-- description: sessions, a session converting when it holds a purchase event); orders, revenue and avg_order_value count
-- description: completed orders from the sales system, tracked or not, so orders need not equal purchase_sessions.
-- description: Days without data show zeros, so a gap is visible rather than hidden.
-- param: start_date Date = today-7 | first day, inclusive
-- param: end_date Date = today-1 | last day, inclusive
-- schedule: 0 6 * * *
-- formats: csv, html
-- compare: start_date..end_date
-- headline: sum(revenue) | Revenue | currency
-- headline: sum(orders) | Orders | integer
-- headline: ratio(revenue, orders) | Average order value | currency
-- headline: avg(visitors) | Visitors per day | number
-- headline: pct(purchase_sessions, sessions) | Session conversion | percent
-- chart: line x=day y=visitors
-- chart: bar x=day y=orders
-- chart: bar x=day y=revenue
-- column: day | Day | date
-- column: visitors | Visitors | integer
-- column: sessions | Sessions | integer
-- column: purchase_sessions | Sessions with a purchase | integer
-- column: session_conversion_pct | Session conversion | percent
-- column: orders | Orders | integer
-- column: revenue | Revenue | currency
-- column: avg_order_value | Average order value | currency
WITH
    days AS (
        SELECT {start_date:Date} + number AS day
        FROM numbers(toUInt64(greatest(0, dateDiff('day', {start_date:Date}, {end_date:Date}) + 1)))
    ),
    behavior AS (
        SELECT toDate(e.event_time) AS day,
               uniqExact(multiIf(ifNull(i.person_id, '') != '', i.person_id, e.person_id != '', e.person_id,
                                 e.distinct_id)) AS visitors,
               uniqExactIf(e.session_id, e.session_id != '') AS sessions,
               uniqExactIf(e.session_id, e.session_id != '' AND e.event_name = 'purchase') AS converting_sessions
        FROM events AS e FINAL
        LEFT ANY JOIN
        (
            SELECT id_type, id_value, person_id FROM identities FINAL
            WHERE is_deleted = 0 AND id_type IN ('user_id', 'anonymous_id')
        ) AS i
        ON i.id_value = e.distinct_id AND i.id_type = if(e.user_id != '', 'user_id', 'anonymous_id')
        WHERE e.event_time >= toDateTime64({start_date:Date}, 3, 'UTC')
          AND e.event_time < toDateTime64({end_date:Date} + 1, 3, 'UTC')
        GROUP BY day
    ),
    sales AS (
        SELECT toDate(order_time) AS day, count() AS orders, sum(total) AS revenue
        FROM orders FINAL
        WHERE status = 'completed'
          AND order_time >= toDateTime64({start_date:Date}, 3, 'UTC')
          AND order_time < toDateTime64({end_date:Date} + 1, 3, 'UTC')
        GROUP BY day
    )
SELECT d.day AS day,
       b.visitors AS visitors,
       b.sessions AS sessions,
       b.converting_sessions AS purchase_sessions,
       round(if(b.sessions = 0, 0, 100 * b.converting_sessions / b.sessions), 2) AS session_conversion_pct,
       s.orders AS orders,
       s.revenue AS revenue,
       round(if(s.orders = 0, 0, s.revenue / s.orders), 2) AS avg_order_value
FROM days AS d
LEFT JOIN behavior AS b ON b.day = d.day
LEFT JOIN sales AS s ON s.day = d.day
ORDER BY day
