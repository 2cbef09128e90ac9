DROP TABLE audit.audit_scratch;
DROP TABLE audit.events;
DROP SCHEMA audit;
DROP TABLE public_scratch;
DROP TABLE accounts;
