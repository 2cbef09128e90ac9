DROP TABLE accounts;
DROP FUNCTION slow_insert();
