-- recency_days is measured from the profile's own as-of instant (interest_as_of: the clock the
-- refresh ran with, lode.model.as-of or --as-of), not from the wall clock at read time: a history
-- loaded from files reads as of its data, and recency agrees with orders_30d, the RFM scores and
-- the tags computed in the same refresh. Only the view changes; the stored rows stay as they are.
CREATE OR REPLACE VIEW profiles AS
SELECT *,
       if(last_order_at IS NULL, NULL, dateDiff('day', last_order_at, interest_as_of)) AS recency_days
FROM profiles_store FINAL;
