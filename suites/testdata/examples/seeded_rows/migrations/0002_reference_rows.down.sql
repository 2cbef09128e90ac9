DELETE FROM invoices;
DELETE FROM accounts;
DELETE FROM plans;
