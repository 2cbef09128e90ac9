-- Reference data the application needs: the probes must not change it.
INSERT INTO plans (id, code, tier) VALUES (1, 'free', 'free'), (2, 'pro', 'pro');
INSERT INTO accounts (plan_id, email) VALUES (1, 'a@example.com'), (2, 'b@example.com');
INSERT INTO invoices (account_id, number) SELECT id, 'INV-1' FROM accounts;
