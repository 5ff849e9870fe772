-- The sales silo: the item catalog, orders and their lines. Reloading the same record
-- replaces it (ReplacingMergeTree on loaded_at), so a second load adds nothing.
CREATE TABLE IF NOT EXISTS items
(
    item_id     String,
    title       String,
    category    LowCardinality(String),
    subcategory LowCardinality(String),
    brand       LowCardinality(String),
    price       Decimal(18, 4),
    stock       Int64,
    consumable  UInt8 COMMENT '1 = bought again and again; recommendations may repeat it',
    seasons     Array(LowCardinality(String)) COMMENT 'e.g. christmas, spring_festival, summer',
    attributes  Map(String, String),
    source      LowCardinality(String),
    loaded_at   DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(loaded_at)
ORDER BY item_id;

CREATE TABLE IF NOT EXISTS orders
(
    order_id     String,
    customer_key String COMMENT 'the customer number in the sales system',
    person_id    String,
    order_time   DateTime64(3, 'UTC'),
    status       LowCardinality(String) COMMENT 'completed, cancelled, returned',
    total        Decimal(18, 4),
    currency     LowCardinality(String),
    country      LowCardinality(String),
    channel      LowCardinality(String),
    source       LowCardinality(String),
    loaded_at    DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(loaded_at)
PARTITION BY toYYYYMM(order_time)
ORDER BY (order_id);

CREATE TABLE IF NOT EXISTS order_lines
(
    order_id     String,
    line_no      UInt32,
    customer_key String,
    person_id    String,
    order_time   DateTime64(3, 'UTC'),
    item_id      String,
    quantity     Int32,
    unit_price   Decimal(18, 4),
    status       LowCardinality(String),
    source       LowCardinality(String),
    loaded_at    DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(loaded_at)
PARTITION BY toYYYYMM(order_time)
ORDER BY (order_id, line_no);
