-- Rolls 0002 back: the undeclared index and table go.
DROP TABLE audit_log;
DROP INDEX ix_posts_title;
