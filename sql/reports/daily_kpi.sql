-- title: Daily KPIs
-- description: Visitors, sessions, conversion, orders, revenue and average order value for each day (UTC).
-- description: Visitors are distinct persons (anonymous ids where no person is resolved) with any event; conversion is
-- description: the share of sessions with a purchase event; orders, revenue and average order value count completed
-- description: orders from the sales system. Days without data show zeros, so a gap is visible rather than hidden.
-- param: start_date Date = today-7 | first day, inclusive
-- param: end_date Date = today-1 | last day, inclusive
-- schedule: 0 6 * * *
-- formats: csv, html
-- chart: line x=day y=visitors,sessions,orders
WITH
    days AS (
        SELECT {start_date:Date} + number AS day
        FROM numbers(toUInt64(greatest(0, dateDiff('day', {start_date:Date}, {end_date:Date}) + 1)))
    ),
    behavior AS (
        SELECT toDate(event_time) AS day,
               uniqExact(if(person_id != '', person_id, distinct_id)) AS visitors,
               uniqExactIf(session_id, session_id != '') AS sessions,
               uniqExactIf(session_id, session_id != '' AND event_name = 'purchase') AS converting_sessions
        FROM events FINAL
        WHERE event_time >= toDateTime64({start_date:Date}, 3, 'UTC')
          AND event_time < toDateTime64({end_date:Date} + 1, 3, 'UTC')
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
       round(if(b.sessions = 0, 0, 100 * b.converting_sessions / b.sessions), 2) AS conversion_pct,
       s.orders AS orders,
       s.revenue AS revenue,
       round(if(s.orders = 0, 0, s.revenue / s.orders), 2) AS avg_order_value
FROM days AS d
LEFT JOIN behavior AS b ON b.day = d.day
LEFT JOIN sales AS s ON s.day = d.day
ORDER BY day
