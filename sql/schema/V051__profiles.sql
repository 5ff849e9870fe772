-- One row per person summarizing behavior and the silos, written by the profile refresh
-- (dev.lode.profiles.ProfileRefresher) as INSERT … SELECT inside the engine. Each refresh
-- writes a new version of the rows it recomputes; the profiles view shows the latest.
CREATE TABLE IF NOT EXISTS profiles_store
(
    person_id            String,
    ids                  Array(String) COMMENT 'the person''s ids as id_type:id_value (up to 20)',
    first_seen           Nullable(DateTime64(3, 'UTC')),
    last_seen            Nullable(DateTime64(3, 'UTC')),
    events               UInt64,
    sessions             UInt64,
    page_views           UInt64 COMMENT 'page_view and product_view events',
    product_views        UInt64,
    avg_dwell_ms         Float64 COMMENT 'mean dwell of views that report one',
    top_categories       Array(String) COMMENT 'up to 5 categories by time-decayed interest, strongest first',
    top_category_scores  Array(Float64) COMMENT 'their interest at interest_as_of (dwell-weighted views, carts, purchases, halved every half-life)',
    top_category         String,
    interest_as_of       DateTime64(3, 'UTC'),
    interest_half_life_days Float64,
    carts                UInt64 COMMENT 'add_to_cart events',
    abandoned_carts      UInt64 COMMENT 'sessions with an add_to_cart and no purchase',
    orders               UInt64 COMMENT 'orders not cancelled (orders table; purchase events when the person has no orders rows)',
    orders_30d           UInt64,
    revenue              Decimal(18, 4),
    first_order_at       Nullable(DateTime64(3, 'UTC')),
    last_order_at        Nullable(DateTime64(3, 'UTC')),
    r_score              UInt8 COMMENT 'RFM recency 1..5 (5 = most recent quintile); 0 without orders',
    f_score              UInt8,
    m_score              UInt8,
    rfm                  String COMMENT 'e.g. 545; empty without orders',
    discount_view_share  Float64 COMMENT 'share of product views on discounted offers',
    discounted_purchase_share Float64 COMMENT 'share of bought lines or purchases made at a discount',
    price_sensitivity    Float64 COMMENT '0..1: discount-seeking browsing, tempered by full-price buying',
    tickets              UInt64,
    complaints           UInt64,
    last_ticket_at       Nullable(DateTime64(3, 'UTC')),
    last_ticket_type     String,
    last_complaint_at    Nullable(DateTime64(3, 'UTC')),
    avg_ticket_sentiment Nullable(Float64),
    campaigns_sent       UInt64,
    campaign_opens       UInt64,
    campaign_clicks      UInt64,
    campaign_conversions UInt64,
    campaign_unsubscribes UInt64,
    last_campaign_response_at Nullable(DateTime64(3, 'UTC')),
    consent_profiling    LowCardinality(String) COMMENT 'granted, withheld, unknown (no decision recorded)',
    consent_marketing    LowCardinality(String),
    consent_personalization LowCardinality(String),
    computed_at          DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(computed_at)
ORDER BY person_id;

-- The profile BI tools read: one current row per person, recency computed at read time.
CREATE VIEW IF NOT EXISTS profiles AS
SELECT *,
       if(last_order_at IS NULL, NULL, dateDiff('day', last_order_at, now64(3))) AS recency_days
FROM profiles_store FINAL;
