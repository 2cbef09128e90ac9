DROP TABLE invoices;
DROP TABLE accounts;
DROP TABLE plans;
DROP TYPE plan_tier;
