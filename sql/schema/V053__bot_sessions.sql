-- Sessions the bot rule (session_quality, V022: user agent, rate, regularity) flagged, as the
-- profile refresh last found them. Their events are left out of profile_events, so profiles
-- and tags describe people, not crawlers; they stay in events, events_quality and
-- data_quality. A session flagged earlier that no longer meets the rule (more events made it
-- look human) gets a newer row with is_bot = 0.
CREATE TABLE IF NOT EXISTS bot_sessions
(
    session_id  String,
    is_bot      UInt8,
    reason      LowCardinality(String) COMMENT 'user_agent, rate or regularity (see session_quality)',
    flagged_at  DateTime64(3, 'UTC') COMMENT 'when the profile refresh evaluated the session'
)
ENGINE = ReplacingMergeTree(flagged_at)
ORDER BY session_id;

-- profile_events (V050) without the events of bot sessions.
CREATE OR REPLACE VIEW profile_events AS
SELECT e.* EXCEPT (person_id),
       if(i.person_id != '', i.person_id, e.person_id) AS person_id
FROM events AS e
LEFT ANY JOIN
(
    SELECT concat(if(id_type = 'user_id', 'u:', 'a:'), id_value) AS id_key, person_id
    FROM identities FINAL
    WHERE is_deleted = 0 AND id_type IN ('user_id', 'anonymous_id')
) AS i
ON i.id_key = concat(if(e.user_id != '', 'u:', 'a:'), e.distinct_id)
WHERE if(i.person_id != '', i.person_id, e.person_id) != ''
  AND e.session_id NOT IN (SELECT session_id FROM bot_sessions FINAL WHERE is_bot = 1);
