-- Objects no model declares: reverse drift, a warning unless `undeclared: error`.
CREATE INDEX ix_posts_title ON posts (title);
CREATE TABLE audit_log (id bigint PRIMARY KEY, note text);
