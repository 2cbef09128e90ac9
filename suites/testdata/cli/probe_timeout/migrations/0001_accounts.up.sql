CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL CONSTRAINT uq_accounts_email UNIQUE);
CREATE FUNCTION slow_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_sleep(60);
  RETURN NEW;
END $$;
CREATE TRIGGER accounts_slow BEFORE INSERT ON accounts FOR EACH ROW EXECUTE FUNCTION slow_insert();
