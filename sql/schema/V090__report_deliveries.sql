-- Report delivery (email, webhook): every attempt to hand a run to a recipient is kept with
-- the run, so a report nobody received is visible in report_runs and in bin/lode status.
ALTER TABLE report_runs ADD COLUMN IF NOT EXISTS delivery_status LowCardinality(String) DEFAULT ''
    COMMENT 'empty (no recipients), delivered, failed (a recipient did not get it after all attempts)';
ALTER TABLE report_runs ADD COLUMN IF NOT EXISTS delivery_attempts Array(String)
    COMMENT 'every delivery attempt: time, channel, recipient (no secret), attempt, outcome';
