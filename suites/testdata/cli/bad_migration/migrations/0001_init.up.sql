CREATE TABLE things (id integer PRIMARY KEY);

CREATE TABLE broken (id integer,, name text);
