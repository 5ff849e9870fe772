-- Behavior data quality: misclicks and bot-like sessions are flagged, never deleted, and
-- a data_quality view summarizes missing ids, late events, duplicates, quarantine
-- reasons and the share of events from each source. Thresholds live in lode_settings
-- (written from lode.quality.* at start).

-- One row per (distinct_id, session_id) with the figures the bot rule reads: rate,
-- regularity (coefficient of variation of the gaps between events) and user agent.
CREATE VIEW IF NOT EXISTS session_quality AS
SELECT
    distinct_id,
    session_id,
    s_source AS source,
    s_events AS events,
    s_started AS started_at,
    s_ended AS ended_at,
    dateDiff('millisecond', s_started, s_ended) AS duration_ms,
    s_events / greatest(duration_ms / 60000.0, 1.0 / 60) AS events_per_minute,
    if(length(s_gaps) < 2 OR arrayAvg(s_gaps) = 0, 0,
       sqrt(arrayAvg(arrayMap(g -> pow(g - arrayAvg(s_gaps), 2), s_gaps))) / arrayAvg(s_gaps)) AS gap_cv,
    s_user_agent AS user_agent,
    match(lower(s_user_agent), 'bot|crawl|spider|slurp|headless|phantomjs|python-requests|curl/|wget|scrapy') AS bot_user_agent,
    s_events >= (SELECT toUInt64OrZero(argMax(value, updated_at)) FROM lode_settings WHERE key = 'quality.bot_min_events')
        AND events_per_minute > (SELECT toFloat64OrZero(argMax(value, updated_at)) FROM lode_settings WHERE key = 'quality.bot_max_events_per_minute') AS bot_rate,
    s_events >= (SELECT toUInt64OrZero(argMax(value, updated_at)) FROM lode_settings WHERE key = 'quality.bot_min_events')
        AND gap_cv < (SELECT toFloat64OrZero(argMax(value, updated_at)) FROM lode_settings WHERE key = 'quality.bot_max_gap_cv') AS bot_regular,
    bot_user_agent OR bot_rate OR bot_regular AS is_bot,
    multiIf(bot_user_agent, 'user_agent', bot_rate, 'rate', bot_regular, 'regularity', '') AS bot_reason
FROM
(
    SELECT
        distinct_id,
        session_id,
        any(source) AS s_source,
        count() AS s_events,
        min(event_time) AS s_started,
        max(event_time) AS s_ended,
        arrayPopFront(arrayDifference(arraySort(groupArray(toUnixTimestamp64Milli(event_time))))) AS s_gaps,
        any(user_agent) AS s_user_agent
    FROM events
    WHERE session_id != ''
    GROUP BY distinct_id, session_id
);

-- Events with their quality flags: is_misclick (a page or product view left within
-- quality.misclick_ms) and is_bot (its session is bot-like).
CREATE VIEW IF NOT EXISTS events_quality AS
SELECT e.*,
       e.event_name IN ('page_view', 'product_view') AND e.dwell_ms > 0
           AND e.dwell_ms < (SELECT toUInt64OrZero(argMax(value, updated_at)) FROM lode_settings WHERE key = 'quality.misclick_ms') AS is_misclick,
       s.is_bot = 1 AS is_bot,
       s.bot_reason AS bot_reason
FROM events AS e
LEFT ANY JOIN (SELECT distinct_id, session_id, is_bot, bot_reason FROM session_quality) AS s
ON s.distinct_id = e.distinct_id AND s.session_id = e.session_id;

-- One row per check: check, dimension (a source or reason), value, total, share = value/total.
CREATE VIEW IF NOT EXISTS data_quality AS
SELECT check, dimension, value, total, value / greatest(total, 1) AS share
FROM
(
    SELECT 'events' AS check, source AS dimension, count() AS value, (SELECT count() FROM events) AS total
    FROM events GROUP BY source
    UNION ALL
    SELECT 'missing_ids' AS check, source AS dimension,
           countIf(distinct_id = '' OR lower(distinct_id) IN ('undefined', 'null', 'none', 'nan', '0', '-1',
               '[object object]', 'anonymous', 'unknown', 'guest', 'test')) AS value,
           count() AS total
    FROM events GROUP BY source
    UNION ALL
    SELECT 'late_events' AS check, source AS dimension,
           countIf(dateDiff('second', event_time, received_time) >
                   (SELECT toInt64OrZero(argMax(value, updated_at)) FROM lode_settings WHERE key = 'quality.late_after_s')) AS value,
           count() AS total
    FROM events GROUP BY source
    UNION ALL
    SELECT 'duplicate_events' AS check, source AS dimension, count() - uniqExact(event_id) AS value, count() AS total
    FROM events GROUP BY source
    UNION ALL
    SELECT 'misclicks' AS check, source AS dimension, countIf(is_misclick) AS value,
           countIf(event_name IN ('page_view', 'product_view')) AS total
    FROM events_quality GROUP BY source
    UNION ALL
    SELECT 'bot_sessions' AS check, source AS dimension, countIf(is_bot) AS value, count() AS total
    FROM session_quality GROUP BY source
    UNION ALL
    SELECT 'quarantine' AS check, reason_code AS dimension, count() AS value, (SELECT count() FROM quarantine) AS total
    FROM quarantine GROUP BY reason_code
    UNION ALL
    SELECT 'unresolved_events' AS check, source AS dimension, countIf(person_id = '') AS value, count() AS total
    FROM events_resolved GROUP BY source
);
