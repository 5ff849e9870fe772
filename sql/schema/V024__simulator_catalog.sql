-- The items the behavior simulator browses and buys: the current catalog with a price,
-- without non-product lines (postage, fees, manual adjustments).
CREATE VIEW IF NOT EXISTS sim_catalog AS
SELECT item_id, category, price
FROM items FINAL
WHERE price > 0 AND category NOT IN ('', 'non_product');
