-- Gift notes on orders.
ALTER TABLE orders ADD COLUMN gift_note text;

-- Faster look-ups of a customer's orders.
CREATE INDEX orders_customer_id_idx ON orders (customer_id);

-- Risky: dropping a table needs a very good reason.
DROP TABLE legacy_coupons;
