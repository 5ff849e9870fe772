-- title: Weekly purchase funnel
-- description: How many visitors went product view → add to cart → checkout → purchase in one week, each step within
-- description: window_hours of the visitor's first step (ClickHouse windowFunnel), with the conversion from the previous
-- description: step and from the first.
-- param: week_start Date = week_start-1 | first day of the week (the default is last week's Monday)
-- param: window_hours UInt32 = 24 | hours from the first step in which the later steps must happen
-- schedule: 0 6 * * 1
-- formats: csv, html
-- compare: week_start 7 days
-- headline: first(visitors) | Visitors viewing a product | integer
-- headline: last(visitors) | Visitors who purchased | integer
-- headline: last(from_first_pct) | View-to-purchase conversion | percent
-- chart: funnel x=step_name y=visitors
-- column: step | No. | integer
-- column: step_name | Step | name
-- column: visitors | Visitors | integer
-- column: from_previous_pct | From the previous step | percent
-- column: from_first_pct | From the first step | percent
WITH
    per_visitor AS (
        SELECT if(person_id != '', person_id, distinct_id) AS visitor,
               windowFunnel({window_hours:UInt32} * 3600)(toDateTime(event_time),
                   event_name = 'product_view', event_name = 'add_to_cart',
                   event_name = 'checkout', event_name = 'purchase') AS level
        FROM events FINAL
        WHERE event_time >= toDateTime64({week_start:Date}, 3, 'UTC')
          AND event_time < toDateTime64({week_start:Date} + 7, 3, 'UTC')
        GROUP BY visitor
    ),
    reached AS (
        SELECT [countIf(level >= 1), countIf(level >= 2), countIf(level >= 3), countIf(level >= 4)] AS c
        FROM per_visitor
    )
SELECT step,
       ['product_view', 'add_to_cart', 'checkout', 'purchase'][step] AS step_name,
       c[step] AS visitors,
       round(if(step = 1, if(c[1] = 0, 0, 100), if(c[step - 1] = 0, 0, 100 * c[step] / c[step - 1])), 2) AS from_previous_pct,
       round(if(c[1] = 0, 0, 100 * c[step] / c[1]), 2) AS from_first_pct
FROM reached
ARRAY JOIN arrayEnumerate(c) AS step
ORDER BY step
