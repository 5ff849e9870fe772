-- What each run of the blend tuner chose, on which validation slice: the server's blend takes its
-- default weights (and the trained model's hyper-parameters) from the newest temporal tuning, the protocol serving resembles,
-- unless lode.recommend.weight.* / lode.recommend.ease.lambda / lode.recommend.ials.lambda, .alpha
-- are configured. rec_models records the
-- weights each build's model was served with and where they came from.
CREATE TABLE IF NOT EXISTS rec_tunings
(
    tuned_at        DateTime64(3, 'UTC'),
    protocol        LowCardinality(String) COMMENT 'temporal, random or leave_last_out: the validation slice''s protocol',
    slice           String COMMENT 'the validation slice in words (train / validation bounds, seed)',
    trained         LowCardinality(String) COMMENT 'the trained source the weights pivot on: ease or ials',
    ease_lambda     Float64 COMMENT 'the EASE penalty chosen on the slice (the configured one on an iALS catalog)',
    ials_lambda     Float64 COMMENT 'implicit ALS''s penalty chosen on the slice (the configured one on an EASE catalog)',
    ials_alpha      Float64 COMMENT 'implicit ALS''s confidence chosen on the slice',
    weights         Map(String, Float64) COMMENT 'the chosen weight per source',
    untuned         Array(String) COMMENT 'sources with no candidate on the slice: they kept their configured weight',
    persons         UInt64 COMMENT 'validation persons scored',
    k               UInt32,
    recall_before   Float64 COMMENT 'the blend on the slice with the configured weights',
    ndcg_before     Float64,
    recall_at_k     Float64 COMMENT 'the blend on the slice with the chosen weights',
    ndcg_at_k       Float64,
    tune_ms         UInt64
)
ENGINE = MergeTree
ORDER BY (protocol, tuned_at);

ALTER TABLE rec_models ADD COLUMN IF NOT EXISTS weights String DEFAULT '' COMMENT 'the blend weights the model was built and served with, and where they came from (a tuning, the configuration, the defaults)';
