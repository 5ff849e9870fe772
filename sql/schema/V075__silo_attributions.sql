-- Silo rows (orders, order lines, tickets, campaign sends and responses, consents) carry the
-- person their customer number, requester or recipient resolves to: after each identity
-- resolution run dev.lode.identity.SiloAttribution stamps person_id in place (a mutation, so
-- no row is duplicated and loaded_at keeps its meaning). This log says which persons gained
-- or lost rows in which run, so the incremental profile, tag and recommendation refreshes
-- redo them although the rows' loaded_at is older than their watermark.
CREATE TABLE IF NOT EXISTS silo_attributions
(
    attributed_at DateTime64(3, 'UTC'),
    person_id     String COMMENT 'a person that gained or lost rows ('''' never)',
    silo          LowCardinality(String) COMMENT 'the table whose rows were stamped',
    keys          UInt64 COMMENT 'distinct row keys (customer numbers, tickets, recipients, consent ids) re-stamped'
)
ENGINE = MergeTree
ORDER BY (attributed_at, person_id)
TTL toDateTime(attributed_at) + toIntervalDay(30);
