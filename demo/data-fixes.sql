-- Fix the country code of customers imported with 'UK'.
UPDATE customers SET country = 'GB' WHERE country = 'UK';

-- Remove test orders placed by the QA account.
DELETE FROM orders WHERE customer_id = (SELECT id FROM customers WHERE email = 'qa@example.com');
