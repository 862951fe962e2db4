-- 0007_orders.sql
-- Orders table + demo orders. customer_id references customers(id).
CREATE TABLE orders (
    order_number  BIGINT PRIMARY KEY,
    customer_id   INT REFERENCES customers(id),
    order_date    DATE NOT NULL,
    total_eur     NUMERIC(10,2),
    status        VARCHAR(16)
);

CREATE INDEX idx_orders_customer ON orders (customer_id);
CREATE INDEX idx_orders_date ON orders (order_date);

INSERT INTO orders (order_number, customer_id, order_date, total_eur, status) VALUES
  (558013582, 10, '2026-03-10', 61.09, 'paid'),
  (407968600, 6, '2025-02-19', 328.92, 'refunded'),
  (466679506, 5, '2026-11-18', 92.53, 'refunded'),
  (725677394, 5, '2025-10-25', 943.90, 'refunded'),
  (514437352, 9, '2025-09-07', 799.44, 'open'),
  (822944798, 7, '2025-11-21', 24.71, 'refunded'),
  (532761868, 9, '2026-03-14', 837.31, 'paid'),
  (605544375, 10, '2025-10-11', 380.28, 'refunded');

-- schema_version 2.14.0.3
UPDATE meta SET value = '2.14.0.3' WHERE key = 'schema_version';
