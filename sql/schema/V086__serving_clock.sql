-- The clock the served lists were computed as of (lode.model.as-of, as the refresher read it:
-- auto, now, latest-event or an ISO instant) and the instant it resolved to at the cycle (NULL:
-- the engine's current time). recommend() serves a list only to a call whose clock setting is the
-- same, so a history loaded from files (auto = latest-event) is served as of its data, and a call
-- configured with another clock computes live.
ALTER TABLE rec_serving_state ADD COLUMN IF NOT EXISTS clock String DEFAULT 'now';
ALTER TABLE rec_serving_state ADD COLUMN IF NOT EXISTS clock_time Nullable(DateTime64(3, 'UTC'));
