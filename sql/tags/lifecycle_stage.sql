-- tag: lifecycle_stage
-- version: 1
-- name: Lifecycle stage
-- description: new_visitor (no order, first seen this week), browser (no order), first_time_buyer (one order in the last 30 days), repeat_buyer (2+ orders, last within 90 days), active_buyer (ordered within 90 days otherwise), lapsed (no order for 90 days).
-- owner: crm
-- category: lifecycle
-- sensitivity: none
-- kind: computed
-- refresh: 1d
-- ttl_days: 3
SELECT person_id,
       multiIf(orders = 0 AND first_seen > {as_of} - INTERVAL 7 DAY, 'new_visitor',
               orders = 0, 'browser',
               last_order_at <= {as_of} - INTERVAL 90 DAY, 'lapsed',
               orders = 1 AND last_order_at > {as_of} - INTERVAL 30 DAY, 'first_time_buyer',
               orders >= 2, 'repeat_buyer',
               'active_buyer') AS value,
       1.0 AS score,
       map('orders', toFloat64(orders), 'sessions', toFloat64(sessions),
           'days_since_first_seen', toFloat64(if(first_seen IS NULL, -1, dateDiff('day', assumeNotNull(first_seen), {as_of}))),
           'days_since_last_order', toFloat64(if(last_order_at IS NULL, -1, dateDiff('day', assumeNotNull(last_order_at), {as_of})))) AS counts,
       CAST([], 'Array(String)') AS examples
FROM profiles
WHERE first_seen IS NOT NULL OR orders > 0
