-- title: Campaign effect: responders against comparable non-responders
-- description: For each campaign, recipients who browsed in the lookback_days before the send (and, when segment_tag is
-- description: set, hold that tag, e.g. price_sensitive for the coupon uplift among price-sensitive browsers) are split into
-- description: responders (clicked or converted) and non-responders; the report compares the share of each that placed a
-- description: completed order within window_days of the send, and revenue per recipient. The uplift is in percentage
-- description: points. This is an observational comparison, not a randomized test. Browsing is attributed as in
-- description: events_resolved (the collector stamps no person on events); sends, responses and orders carry the person
-- description: identity resolution stamped on them. For loaded history, set start_date to the period of the campaigns.
-- param: start_date Date = today-90 | campaigns starting on or after this day
-- param: window_days UInt16 = 14 | days after the send in which an order counts
-- param: lookback_days UInt16 = 30 | a recipient is a browser with an event this many days before the send
-- param: segment_tag String = | optional tag_id recipients must hold (empty = everyone)
-- param: segment_value String = | tag value required when segment_tag is set (empty = any value)
-- schedule: 0 7 * * 1
-- formats: csv, html
-- headline: count() | Campaigns | integer
-- headline: sum(responders) | Responders | integer
-- headline: avg(uplift_pts) | Average uplift | points
-- chart: bar x=campaign y=responder_conversion_pct,non_responder_conversion_pct
-- column: campaign_id | Campaign ID | text
-- column: campaign | Campaign | text
-- column: offer | Offer | text
-- column: responders | Responders | integer
-- column: non_responders | Non-responders | integer
-- column: responder_conversion_pct | Responders ordering | percent
-- column: non_responder_conversion_pct | Non-responders ordering | percent
-- column: uplift_pts | Uplift | points
-- column: responder_revenue_per_person | Revenue per responder | currency
-- column: non_responder_revenue_per_person | Revenue per non-responder | currency
WITH
    campaign_list AS (
        SELECT campaign_id, name, offer FROM campaigns FINAL WHERE toDate(starts_at) >= {start_date:Date}
    ),
    sends AS (
        SELECT campaign_id, person_id, min(sent_at) AS sent_at
        FROM campaign_sends FINAL
        WHERE person_id != '' AND campaign_id IN (SELECT campaign_id FROM campaign_list)
        GROUP BY campaign_id, person_id
    ),
    browsers AS (
        SELECT s.campaign_id AS campaign_id, s.person_id AS person_id
        FROM sends AS s
        INNER JOIN (SELECT person_id, event_time FROM profile_events_all) AS e ON e.person_id = s.person_id
        WHERE e.event_time < s.sent_at AND e.event_time >= s.sent_at - toIntervalDay({lookback_days:UInt16})
        GROUP BY campaign_id, person_id
    ),
    segment AS (
        SELECT DISTINCT person_id FROM tag_values FINAL
        WHERE is_deleted = 0 AND tag_id = {segment_tag:String}
          AND ({segment_value:String} = '' OR value = {segment_value:String})
    ),
    eligible AS (
        SELECT campaign_id, person_id,
               (campaign_id, person_id) IN (
                   SELECT campaign_id, person_id FROM campaign_responses FINAL
                   WHERE response_type IN ('click', 'convert') AND person_id != '') AS responded
        FROM browsers
        WHERE {segment_tag:String} = '' OR person_id IN (SELECT person_id FROM segment)
    ),
    outcome AS (
        SELECT s.campaign_id AS campaign_id, s.person_id AS person_id, count() AS orders, sum(o.total) AS revenue
        FROM sends AS s
        INNER JOIN (SELECT person_id, order_time, total FROM orders FINAL WHERE status = 'completed' AND person_id != '') AS o
            ON o.person_id = s.person_id
        WHERE o.order_time >= s.sent_at AND o.order_time < s.sent_at + toIntervalDay({window_days:UInt16})
        GROUP BY campaign_id, person_id
    ),
    per_campaign AS (
        SELECT e.campaign_id AS campaign_id,
               countIf(e.responded) AS responders,
               countIf(NOT e.responded) AS non_responders,
               countIf(e.responded AND o.orders > 0) AS responder_buyers,
               countIf(NOT e.responded AND o.orders > 0) AS non_responder_buyers,
               sumIf(o.revenue, e.responded) AS responder_revenue,
               sumIf(o.revenue, NOT e.responded) AS non_responder_revenue
        FROM eligible AS e
        LEFT JOIN outcome AS o ON o.campaign_id = e.campaign_id AND o.person_id = e.person_id
        GROUP BY campaign_id
    )
SELECT p.campaign_id AS campaign_id,
       c.name AS campaign,
       c.offer AS offer,
       p.responders AS responders,
       p.non_responders AS non_responders,
       round(if(p.responders = 0, 0, 100 * p.responder_buyers / p.responders), 2) AS responder_conversion_pct,
       round(if(p.non_responders = 0, 0, 100 * p.non_responder_buyers / p.non_responders), 2) AS non_responder_conversion_pct,
       round(responder_conversion_pct - non_responder_conversion_pct, 2) AS uplift_pts,
       round(if(p.responders = 0, 0, p.responder_revenue / p.responders), 2) AS responder_revenue_per_person,
       round(if(p.non_responders = 0, 0, p.non_responder_revenue / p.non_responders), 2) AS non_responder_revenue_per_person
FROM per_campaign AS p
INNER JOIN campaign_list AS c ON c.campaign_id = p.campaign_id
ORDER BY campaign_id
