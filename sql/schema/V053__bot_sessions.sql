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

-- V050's attribution stays as it is under a new name (every attributed event, bots included);
-- profile_events is now that view without the events of bot sessions.
RENAME TABLE profile_events TO profile_events_all;

CREATE VIEW IF NOT EXISTS profile_events AS
SELECT *
FROM profile_events_all
WHERE session_id NOT IN (SELECT session_id FROM bot_sessions FINAL WHERE is_bot = 1);
