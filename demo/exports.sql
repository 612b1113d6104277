-- Customers who signed up this year, for the marketing newsletter.
SELECT id, email, full_name, country, created_at
FROM customers
WHERE created_at >= date('now', 'start of year')
ORDER BY created_at
LIMIT 5000;

-- Revenue per product category last month.
SELECT p.category,
       count(DISTINCT o.id)                        AS orders,
       round(sum(oi.quantity * oi.unit_price), 2)  AS revenue
FROM orders o
JOIN order_items oi ON oi.order_id = o.id
JOIN products p     ON p.id = oi.product_id
WHERE o.placed_at >= date('now', 'start of month', '-1 month')
  AND o.placed_at <  date('now', 'start of month')
GROUP BY p.category
ORDER BY revenue DESC;

-- Every order (no LIMIT, SELECT *): the precheck will say so.
SELECT * FROM orders;
