-- tag: rfm_segment
-- version: 1
-- name: RFM segment
-- description: Customer segment from the profile's recency, frequency and monetary quintile scores (champions, loyal, potential_loyalist, new_customer, at_risk, hibernating, needs_attention). Only persons with orders.
-- owner: crm
-- category: value
-- sensitivity: none
-- kind: computed
-- refresh: 1d
-- ttl_days: 3
SELECT p.person_id AS person_id,
       multiIf(p.r_score >= 4 AND p.f_score >= 4, 'champions',
               p.f_score >= 4, 'loyal',
               p.r_score >= 4 AND p.f_score >= 2, 'potential_loyalist',
               p.r_score >= 4, 'new_customer',
               p.r_score <= 2 AND p.f_score >= 3, 'at_risk',
               p.r_score <= 2, 'hibernating',
               'needs_attention') AS value,
       round((p.r_score + p.f_score + p.m_score) / 15, 4) AS score,
       map('r_score', toFloat64(p.r_score), 'f_score', toFloat64(p.f_score), 'm_score', toFloat64(p.m_score),
           'orders', toFloat64(p.orders), 'revenue', toFloat64(p.revenue),
           'days_since_last_order', toFloat64(dateDiff('day', assumeNotNull(p.last_order_at), {as_of}))) AS counts,
       coalesce(b.examples, []) AS examples
FROM profiles AS p
LEFT ANY JOIN
(
    SELECT person_id,
           arrayMap(x -> x.2, arraySlice(arrayReverseSort(groupArray((event_time, event_id))), 1, 5)) AS examples
    FROM profile_events
    WHERE event_name = 'purchase' AND event_time <= {as_of}
    GROUP BY person_id
) AS b ON b.person_id = p.person_id
WHERE p.orders > 0
