-- Orders placed in the last week, for the weekly report.
SELECT o.id, o.placed_at, c.email, o.total_cents
FROM orders o
JOIN customers c ON c.id = o.customer_id
WHERE o.placed_at >= datetime('now', '-7 days')
ORDER BY o.placed_at DESC;

ALTER TABLE orders ADD COLUMN gift_note text;
