#!/usr/bin/env python3
"""Generates a pgparity project with N models whose manifest and migrations agree exactly.

    scripts/generate-schema.py N OUTDIR [--pgtap OUT.sql] [--models-per-migration K]

OUTDIR gets pgparity.yaml, models.yaml and migrations/ (golang-migrate layout). Each model has
12 columns (bigint identity key, uuid, text, varchar(n), numeric(10,2), boolean, timestamptz with
and without a default, jsonb, an enum, a foreign key to an earlier model), a unique pair, two
indexes (one partial) and a check; there is one enum per 10 models. Every pgparity check passes
on it, with reverse drift as an error. The output depends only on the arguments.

--pgtap OUT.sql writes the equivalent pgTAP assertions (has_table, has_column, col_type_is,
col_not_null / col_is_null, fk_ok, has_index, col_is_unique, enum_has_labels) as one plan, for
`pg_prove` on a database migrated with the same project (run `CREATE EXTENSION pgtap` there
first). Used by the benchmark that compares pgparity with pgTAP (issue 3).

Up to 100 models go into migrations/0001_schema.up.sql (and .down.sql); more are split into
migrations of 100 models (--models-per-migration K changes that; 0 means one migration). Each
migration runs in one transaction, which locks every relation it creates or drops: dropping
1000 models at once (7000 relations) overflows PostgreSQL's default lock table
(max_locks_per_transaction 64 x max_connections 100).
"""
import argparse
import os
import sys

MODELS_PER_ENUM = 10
BASE_LABELS = ["draft", "active", "suspended", "archived", "deleted"]


def enum_name(k):
    return f"status_{k:04d}"


def enum_labels(k):
    # 3 to 5 labels, so enums differ from each other.
    return BASE_LABELS[: 3 + k % 3]


def table_name(i):
    return f"entity_{i:05d}"


def model_name(i):
    return f"Entity{i:05d}"


def parent_of(i):
    # A tree: every model but the first references an earlier one; the first references itself.
    return i // 2


class Model:
    """One generated model: its columns in three spellings (SQL, manifest, format_type)."""

    def __init__(self, i):
        self.i = i
        self.table = table_name(i)
        self.name = model_name(i)
        self.enum = enum_name(i // MODELS_PER_ENUM)
        self.parent = table_name(parent_of(i))
        first_label = enum_labels(i // MODELS_PER_ENUM)[0]
        code_len = 20 + i % 5 * 10
        # (column, SQL type, manifest type, canonical type, not null, SQL default, manifest default)
        self.columns = [
            ("id", "bigint GENERATED ALWAYS AS IDENTITY", "bigint", "bigint", True, None, None),
            ("public_id", "uuid", "uuid", "uuid", True, "gen_random_uuid()", "gen_random_uuid()"),
            ("parent_id", "bigint", "bigint", "bigint", False, None, None),
            ("tenant_id", "bigint", "bigint", "bigint", True, None, None),
            ("code", f"varchar({code_len})", f"varchar({code_len})",
             f"character varying({code_len})", True, None, None),
            ("name", "text", "text", "text", True, None, None),
            ("amount", "numeric(10, 2)", '"numeric(10,2)"', "numeric(10,2)", True, "0", '"0"'),
            ("is_active", "boolean", "boolean", "boolean", True, "true", '"true"'),
            ("status", self.enum, self.enum, self.enum, True, f"'{first_label}'",
             f"\"'{first_label}'\""),
            ("attributes", "jsonb", "jsonb", "jsonb", True, "'{}'::jsonb", "\"'{}'::jsonb\""),
            ("created_at", "timestamptz", "timestamptz", "timestamp with time zone", True, "now()",
             "now()"),
            ("updated_at", "timestamptz", "timestamptz", "timestamp with time zone", False, None,
             None),
        ]
        self.unique_name = f"uq_{self.table}_tenant_id_code"
        self.parent_index = f"ix_{self.table}_parent_id"
        self.active_index = f"ix_{self.table}_active_created_at"
        self.check_name = f"ck_{self.table}_amount_non_negative"
        self.fk_name = f"fk_{self.table}_parent_id"

    def create_sql(self):
        lines = []
        for col, sql_type, _, _, not_null, default, _ in self.columns:
            line = f"    {col} {sql_type}"
            if col == "id":
                line += " PRIMARY KEY"
            elif not_null:
                line += " NOT NULL"
            if default is not None:
                line += f" DEFAULT {default}"
            lines.append(line)
        lines.append(f"    CONSTRAINT {self.fk_name} FOREIGN KEY (parent_id)\n"
                     f"        REFERENCES {self.parent} (id) ON DELETE CASCADE")
        lines.append(f"    CONSTRAINT {self.unique_name} UNIQUE (tenant_id, code)")
        lines.append(f"    CONSTRAINT {self.check_name} CHECK (amount >= 0)")
        body = ",\n".join(lines)
        return (f"CREATE TABLE {self.table} (\n{body}\n);\n"
                f"CREATE INDEX {self.parent_index} ON {self.table} (parent_id);\n"
                f"CREATE INDEX {self.active_index} ON {self.table} (created_at) WHERE is_active;\n")

    def manifest_yaml(self):
        out = [f"  {self.name}:", f"    table: {self.table}", "    columns:"]
        for col, _, m_type, _, not_null, _, m_default in self.columns:
            attrs = [f"type: {m_type}"]
            if col == "id":
                attrs.append("primary_key: true")
            elif not_null:
                attrs.append("nullable: false")
            if m_default is not None:
                attrs.append(f"default: {m_default}")
            if col == "parent_id":
                attrs += [f"references: {self.parent}.id", "on_delete: cascade"]
            out.append(f"      {col}: {{{', '.join(attrs)}}}")
        out += [
            "    indexes:",
            f"      - {{name: {self.parent_index}, columns: [parent_id]}}",
            f"      - {{name: {self.active_index}, columns: [created_at], where: is_active}}",
            "    unique:",
            f"      - {{name: {self.unique_name}, columns: [tenant_id, code]}}",
            "    checks:",
            f"      - {{name: {self.check_name}, expression: \"amount >= 0\"}}",
        ]
        return "\n".join(out) + "\n"

    def pgtap(self):
        """The pgTAP assertions equivalent to pgparity's structural checks of this model."""
        t = self.table
        out = [f"SELECT has_table('public', '{t}', '{t} exists');"]
        for col, _, _, canonical, not_null, _, _ in self.columns:
            out.append(f"SELECT has_column('public', '{t}', '{col}', '{t}.{col} exists');")
            out.append(f"SELECT col_type_is('public', '{t}', '{col}', '{canonical}', "
                       f"'{t}.{col} is {canonical}');")
            null_fn = "col_not_null" if not_null else "col_is_null"
            out.append(f"SELECT {null_fn}('public', '{t}', '{col}', '{t}.{col} nullability');")
        out.append(f"SELECT fk_ok('public', '{t}', 'parent_id', 'public', '{self.parent}', 'id', "
                   f"'{t}.parent_id references {self.parent}.id');")
        out.append(f"SELECT has_index('public', '{t}', '{self.parent_index}', "
                   f"ARRAY['parent_id'], '{self.parent_index} exists');")
        out.append(f"SELECT has_index('public', '{t}', '{self.active_index}', "
                   f"ARRAY['created_at'], '{self.active_index} exists');")
        out.append(f"SELECT col_is_unique('public', '{t}', ARRAY['tenant_id', 'code'], "
                   f"'{t} (tenant_id, code) is unique');")
        return out


def write(path, text):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def generate(n, outdir, models_per_migration):
    models = [Model(i) for i in range(n)]
    enums = sorted({m.i // MODELS_PER_ENUM for m in models})
    mig_dir = os.path.join(outdir, "migrations")
    os.makedirs(mig_dir, exist_ok=True)
    for f in os.listdir(mig_dir):  # regenerate cleanly: stale migrations would change the schema
        if f.endswith(".sql"):
            os.remove(os.path.join(mig_dir, f))

    write(os.path.join(outdir, "pgparity.yaml"),
          f"# Generated by scripts/generate-schema.py {n}: do not edit.\n"
          "manifest: models.yaml\n"
          "migrations:\n  dir: migrations\n  max_seconds: 300\n"
          "undeclared: error\n")

    manifest = [f"# Generated by scripts/generate-schema.py {n}: do not edit.",
                "version: 1", "schema: public", "enums:"]
    manifest += [f"  {enum_name(k)}: [{', '.join(enum_labels(k))}]" for k in enums]
    manifest.append("models:")
    write(os.path.join(outdir, "models.yaml"),
          "\n".join(manifest) + "\n" + "".join(m.manifest_yaml() for m in models))

    chunk = models_per_migration or max(n, 1)
    for step, start in enumerate(range(0, n, chunk), start=1):
        part = models[start:start + chunk]
        part_enums = sorted({m.i // MODELS_PER_ENUM for m in part})
        # An enum is created with the first model that uses it.
        new_enums = [k for k in part_enums if k * MODELS_PER_ENUM >= start]
        name = "schema" if chunk >= n else f"schema_part_{step:04d}"
        up = [f"-- Generated by scripts/generate-schema.py {n}: models {start} to "
              f"{start + len(part) - 1}."]
        for k in new_enums:
            labels = ", ".join(f"'{label}'" for label in enum_labels(k))
            up.append(f"CREATE TYPE {enum_name(k)} AS ENUM ({labels});")
        up += [m.create_sql() for m in part]
        down = [f"DROP TABLE {m.table};" for m in reversed(part)]
        down += [f"DROP TYPE {enum_name(k)};" for k in reversed(new_enums)]
        base = os.path.join(mig_dir, f"{step:04d}_{name}")
        write(base + ".up.sql", "\n".join(up) + "\n")
        write(base + ".down.sql", "\n".join(down) + "\n")
    return models, enums


def write_pgtap(path, n, models, enums):
    tests = []
    for k in enums:
        labels = ", ".join(f"'{label}'" for label in enum_labels(k))
        tests.append(f"SELECT enum_has_labels('public', '{enum_name(k)}', ARRAY[{labels}], "
                     f"'{enum_name(k)} labels');")
    for m in models:
        tests += m.pgtap()
    text = (f"-- Generated by scripts/generate-schema.py {n} --pgtap: the pgTAP equivalent of\n"
            "-- pgparity's structural checks. Needs CREATE EXTENSION pgtap in the database.\n"
            "\\set QUIET 1\n\\set ON_ERROR_STOP true\n"
            "\\pset format unaligned\n\\pset tuples_only true\n\\pset pager off\n"
            "BEGIN;\n"
            f"SELECT plan({len(tests)});\n" + "\n".join(tests) + "\n"
            "SELECT * FROM finish();\nROLLBACK;\n")
    write(path, text)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of models")
    parser.add_argument("outdir", help="project directory to write")
    parser.add_argument("--pgtap", metavar="OUT.sql", help="also write pgTAP assertions here")
    parser.add_argument("--models-per-migration", type=int, default=100, metavar="K",
                        help="models per migration (default 100; 0: all in one migration)")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("N must be at least 1")
    if args.models_per_migration < 0:
        parser.error("--models-per-migration must not be negative")
    os.makedirs(args.outdir, exist_ok=True)
    models, enums = generate(args.n, args.outdir, args.models_per_migration)
    if args.pgtap:
        write_pgtap(args.pgtap, args.n, models, enums)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
