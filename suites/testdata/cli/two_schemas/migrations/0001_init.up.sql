CREATE TABLE accounts (id bigint PRIMARY KEY);
CREATE TABLE public_scratch (id int);
CREATE SCHEMA audit;
CREATE TABLE audit.events (
  id bigint PRIMARY KEY,
  account_id bigint NOT NULL REFERENCES accounts (id)
);
CREATE TABLE audit.audit_scratch (id int);
