-- title: Monthly cohort retention
-- description: Customers grouped by the month of their first completed order; for each later month, the share of the
-- description: cohort that ordered again. Customers are resolved persons, or the sales system's customer number where no
-- description: person is resolved. Months after the last month with orders are left out rather than shown as zero.
-- param: first_cohort Date = month_start-6 | first cohort month shown
-- param: months UInt8 = 6 | months after the first order to follow
-- schedule: 0 7 1 * *
-- formats: csv, html
-- headline: sum(cohort_customers) where month_offset=0 | New customers in these cohorts | integer
-- headline: pct(active_customers, cohort_customers) where month_offset=1 | Ordered again the month after | percent
-- headline: pct(active_customers, cohort_customers) where month_offset=3 | Ordered in month 3 | percent
-- chart: heatmap x=month_offset y=retention_pct series=cohort_month
-- column: cohort_month | First order month | month
-- column: cohort_customers | Customers in the cohort | integer
-- column: month_offset | Months since the first order | integer
-- column: active_customers | Customers ordering | integer
-- column: retention_pct | Retention | percent
WITH
    buyers AS (
        SELECT if(person_id != '', person_id, customer_key) AS customer, toStartOfMonth(order_time) AS month
        FROM orders FINAL
        WHERE status = 'completed' AND (person_id != '' OR customer_key != '')
    ),
    firsts AS (
        SELECT customer, min(month) AS cohort_month FROM buyers GROUP BY customer
    ),
    sizes AS (
        SELECT cohort_month, count() AS cohort_customers FROM firsts GROUP BY cohort_month
    ),
    active AS (
        SELECT f.cohort_month AS cohort_month, toInt64(dateDiff('month', f.cohort_month, b.month)) AS month_offset,
               uniqExact(b.customer) AS active_customers
        FROM buyers AS b
        INNER JOIN firsts AS f ON f.customer = b.customer
        GROUP BY cohort_month, month_offset
    ),
    grid AS (
        SELECT s.cohort_month AS cohort_month, s.cohort_customers AS cohort_customers, toInt64(o) AS month_offset
        FROM sizes AS s
        ARRAY JOIN range(toUInt16({months:UInt8}) + 1) AS o
        WHERE s.cohort_month >= toStartOfMonth({first_cohort:Date})
          AND addMonths(s.cohort_month, o) <= (SELECT max(month) FROM buyers)
    )
SELECT g.cohort_month AS cohort_month,
       g.cohort_customers AS cohort_customers,
       g.month_offset AS month_offset,
       a.active_customers AS active_customers,
       round(100 * a.active_customers / g.cohort_customers, 2) AS retention_pct
FROM grid AS g
LEFT JOIN active AS a ON a.cohort_month = g.cohort_month AND a.month_offset = g.month_offset
ORDER BY cohort_month, month_offset
