-- The trained source of a recommendation model (EASE, fitted in the JVM over the purchase matrix) is
-- stored beside the co-occurrence neighbours: rec_item_neighbors rows of kind 'ease', together = the
-- customers who bought both items, similarity = the learned item-item weight B[item][neighbor]. Serving
-- reads it with the same point lookup by item_id. rec_models records what each training cost.
ALTER TABLE rec_item_neighbors MODIFY COLUMN kind LowCardinality(String) COMMENT 'basket, session, customer (co-occurrence cosine), ease (trained weight)';
ALTER TABLE rec_models ADD COLUMN IF NOT EXISTS trainer String DEFAULT '' COMMENT 'the trained source and its hyper-parameters, none when off';
ALTER TABLE rec_models ADD COLUMN IF NOT EXISTS train_ms UInt64 DEFAULT 0 COMMENT 'time to read the purchase matrix, fit and write the weights';
ALTER TABLE rec_models ADD COLUMN IF NOT EXISTS train_heap_mb UInt64 DEFAULT 0 COMMENT 'JVM heap peak while training';
ALTER TABLE rec_models ADD COLUMN IF NOT EXISTS train_items UInt32 DEFAULT 0 COMMENT 'items the model was trained on';
