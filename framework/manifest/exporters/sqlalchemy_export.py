# pgparity's SQLAlchemy exporter: imports the application's models with the application's own
# interpreter and prints what they declare as JSON on stdout, for pgparity's C++ reader
# (framework/manifest/model_export.cc). SQLAlchemy's public API only; works on 1.4 and 2.x.
#
#   python sqlalchemy_export.py --target app.extensions:db [--import app.models]...
#                               [--path DIR]... --base DIR
#
# Exit codes (the reader relies on them): 0 the JSON is on stdout; 3 the application's code
# raised while importing (Python's traceback on stderr); 4 SQLAlchemy is missing; 5 the target
# or a model cannot be exported (one line on stderr). Never a traceback of the exporter itself.
import argparse
import ast
import importlib
import inspect
import json
import os
import re
import sys
import textwrap
import traceback

EXPORTER_VERSION = 1
USER_CODE_FAILED, NO_SQLALCHEMY, CANNOT_EXPORT = 3, 4, 5


class ExportError(Exception):
    """A one-line reason the models cannot be exported, shown as pgparity's error."""


def fail(code, message):
    sys.stderr.write(message + "\n")
    sys.exit(code)


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--target", required=True)
    p.add_argument("--import", dest="imports", action="append", default=[])
    p.add_argument("--path", dest="paths", action="append", default=[])
    p.add_argument("--base", required=True)
    return p.parse_args()


def import_user_module(name):
    """Imports `name`; the application's exceptions are shown as Python shows them, without
    this exporter's own frames (they are not the user's business)."""
    try:
        return importlib.import_module(name)
    except Exception as exc:  # noqa: BLE001 - any error in user code is the user's to see
        # Python hides importlib's frames when it reports an import error; so do we, and ours.
        frames = [f for f in traceback.extract_tb(exc.__traceback__)
                  if f.filename != __file__ and not f.filename.startswith("<frozen importlib")
                  and os.path.dirname(f.filename) != os.path.dirname(importlib.__file__)]
        sys.stderr.write("Traceback (most recent call last):\n")
        sys.stderr.write("".join(traceback.format_list(frames)))
        sys.stderr.write("".join(traceback.format_exception_only(type(exc), exc)))
        sys.exit(USER_CODE_FAILED)


# ---------------------------------------------------------------- finding the metadata


def resolve_target(text):
    module_name, _, attribute = text.partition(":")
    if not module_name or not attribute:
        raise ExportError("`sqlalchemy: %s` is not `module:attribute`; write e.g. "
                          "`sqlalchemy: app.extensions:db`" % text)
    obj = import_user_module(module_name)
    for part in attribute.split("."):
        if not hasattr(obj, part):
            raise ExportError("module `%s` has no attribute `%s` (from `sqlalchemy: %s`); "
                              "fix the name" % (module_name, attribute, text))
        obj = getattr(obj, part)
    return obj


def metadatas_and_registries(target, sa, orm):
    """(metadatas, registries) of a MetaData, declarative Base, registry, Flask-SQLAlchemy
    SQLAlchemy() or SQLModel."""
    if isinstance(target, sa.MetaData):
        return [target], []
    if isinstance(target, orm.registry):
        return [target.metadata], [target]
    model = getattr(target, "Model", None)  # Flask-SQLAlchemy
    if model is not None and hasattr(model, "metadata"):
        metadatas = list(getattr(target, "metadatas", {}).values()) or [model.metadata]
        return metadatas, [model.registry] if hasattr(model, "registry") else []
    registry = getattr(target, "registry", None)  # declarative Base
    if isinstance(registry, orm.registry):
        return [registry.metadata], [registry]
    metadata = getattr(target, "metadata", None)  # SQLModel (its registry is not public)
    if isinstance(metadata, sa.MetaData):
        return [metadata], []
    raise ExportError("`%r` is not a MetaData, declarative Base, registry, Flask-SQLAlchemy "
                      "SQLAlchemy() or SQLModel; point `sqlalchemy:` at one of those" % (target,))


def mapped_classes(registries, sa, project_files):
    """table -> the class mapped to it (the base class under single-table inheritance)."""
    mappers = [m for r in registries for m in r.mappers]
    # Without a public registry (SQLModel, a bare MetaData), the project's modules hold them.
    for module in list(sys.modules.values()):
        if getattr(module, "__file__", None) not in project_files:
            continue
        for value in list(vars(module).values()):
            if inspect.isclass(value) and isinstance(getattr(value, "__table__", None), sa.Table):
                mapper = sa.inspect(value, raiseerr=False)
                if mapper is not None and hasattr(mapper, "local_table"):
                    mappers.append(mapper)
    by_table = {}
    for mapper in mappers:
        table = mapper.local_table
        inherited = mapper.inherits is not None and mapper.inherits.local_table is table
        if isinstance(table, sa.Table) and not inherited and table not in by_table:
            by_table[table] = mapper.class_
    return by_table


# ---------------------------------------------------------------- locations


def relative(path, base):
    path = os.path.abspath(path)
    rel = os.path.relpath(path, base)
    return path if rel.startswith("..") else rel


def class_location(cls, base):
    try:
        lines, start = inspect.getsourcelines(cls)
        return relative(inspect.getsourcefile(cls), base), start, lines
    except (OSError, TypeError):
        module = sys.modules.get(cls.__module__)
        return relative(getattr(module, "__file__", "?") or "?", base), 0, []


def attribute_lines(cls):
    """Attribute name -> line of its assignment in the class body, for the class and its bases
    (mixins), best effort."""
    found = {}
    for klass in reversed(inspect.getmro(cls)):
        try:
            lines, start = inspect.getsourcelines(klass)
            tree = ast.parse(textwrap.dedent("".join(lines)))
        except (OSError, TypeError, SyntaxError):
            continue
        body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
        file = inspect.getsourcefile(klass)
        for node in body:
            targets = node.targets if isinstance(node, ast.Assign) else (
                [node.target] if isinstance(node, ast.AnnAssign) else [])
            for target in targets:
                if isinstance(target, ast.Name):
                    found[target.id] = (file, start + node.lineno - 1)
    return found


def table_location(table, base):
    """Where a Table(...) without a class is written: its `Table("name"` line in the project's
    modules, best effort."""
    pattern = re.compile(r"""Table\(\s*['"]%s['"]""" % re.escape(table.name))
    for module in list(sys.modules.values()):
        file = getattr(module, "__file__", None)
        if not file or not file.endswith(".py") or not os.path.abspath(file).startswith(base):
            continue
        try:
            with open(file, encoding="utf-8") as f:
                match = pattern.search(f.read())
        except OSError:
            continue
        if match:  # the line of `Table(`, which may be followed by the name on the next line
            return relative(file, base), match.string.count("\n", 0, match.start()) + 1
    return "?", 0


# ---------------------------------------------------------------- SQL text


class Compiler:
    def __init__(self, sa, postgresql):
        self.sa = sa
        self.dialect = postgresql.dialect()
        self.preparer = self.dialect.identifier_preparer

    def type(self, column):
        try:
            return column.type.compile(dialect=self.dialect)
        except Exception as exc:  # noqa: BLE001 - reported as the column's error
            raise ExportError("column `%s.%s`: PostgreSQL cannot compile its type %r (%s)"
                              % (column.table.name, column.name, column.type, exc))

    def expression(self, clause):
        if isinstance(clause, str):
            return clause
        return str(clause.compile(dialect=self.dialect, compile_kwargs={"literal_binds": True}))

    def server_default(self, column):
        """The database default the model fixes, or None (Python-side `default=`, Identity
        and Computed are not a DEFAULT clause)."""
        default = column.server_default
        if not isinstance(default, self.sa.DefaultClause):
            return None
        if isinstance(default.arg, str):
            return "'" + default.arg.replace("'", "''") + "'"
        return self.expression(default.arg)

    def constraint_name(self, constraint):
        """The name the model or its naming convention fixes; None when the database picks."""
        if constraint.name is None or type(constraint.name).__name__ in ("_NoneName",
                                                                         "_defer_none_name"):
            return None
        try:
            name = self.preparer.format_constraint(constraint)
        except Exception:  # noqa: BLE001 - a name that cannot be formed is not checked
            return None
        return unquote(name) if name else None

    def index_name(self, index):
        if isinstance(index.name, str) and type(index.name).__name__ not in ("_NoneName",
                                                                             "_defer_none_name"):
            return str(index.name)
        try:  # a convention-named index (index=True) has its name only once compiled
            ddl = str(self.sa.schema.CreateIndex(index).compile(dialect=self.dialect))
        except Exception:  # noqa: BLE001
            return None
        match = re.match(r'CREATE (?:UNIQUE )?INDEX (?:CONCURRENTLY )?("(?:[^"]|"")+"|\S+) ON', ddl)
        return unquote(match.group(1)) if match else None


def unquote(name):
    if name.startswith('"') and name.endswith('"'):
        return name[1:-1].replace('""', '"')
    return name


# ---------------------------------------------------------------- one table


def enum_of(sa, type_):
    item = getattr(type_, "item_type", None)  # ARRAY(Enum(...))
    type_ = item if item is not None else type_
    impl = getattr(type_, "impl", None)  # TypeDecorator over an Enum
    if not isinstance(type_, sa.Enum) and isinstance(impl, sa.Enum):
        type_ = impl
    if isinstance(type_, sa.Enum) and type_.native_enum and type_.name:
        return type_
    return None


def export_columns(table, compiler, sa, where, enums):
    columns = []
    for column in table.columns:
        file, line = where(column)
        spec = {"name": column.name, "type": compiler.type(column),
                "nullable": bool(column.nullable) and not column.primary_key,
                "primary_key": bool(column.primary_key), "file": file, "line": line}
        default = compiler.server_default(column)
        if default is not None:
            spec["default"] = default
        spec.update(column_options(compiler, column))
        enum = enum_of(sa, column.type)
        if enum is not None:
            key = (enum.schema or "", enum.name)
            enums.setdefault(key, {"name": enum.name, "schema": enum.schema,
                                   "labels": list(enum.enums), "file": file, "line": line})
            spec["enum"] = enum.name if not enum.schema else enum.schema + "." + enum.name
        columns.append(spec)
    return columns


def column_options(compiler, column):
    """identity, generated and collation, each only when the model fixes it."""
    out = {}
    identity = getattr(column, "identity", None)  # Identity(always=...), SQLAlchemy 1.4+
    if identity is not None:
        out["identity"] = "always" if identity.always else "by default"
        out["nullable"] = False
    computed = getattr(column, "computed", None)  # Computed(sqltext, persisted=True)
    if computed is not None:
        out["generated"] = compiler.expression(computed.sqltext)
    collation = getattr(column.type, "collation", None)  # String(collation="C")
    if collation:
        out["collation"] = collation
    return out


def deferral(constraint):
    """deferrable / initially_deferred as the model fixes them (None: the database default)."""
    out = {}
    if getattr(constraint, "deferrable", None) is not None:
        out["deferrable"] = bool(constraint.deferrable)
    initially = getattr(constraint, "initially", None)
    if initially is not None:
        out["initially_deferred"] = str(initially).upper() == "DEFERRED"
    return out


def nulls_not_distinct(item):
    """postgresql_nulls_not_distinct exists from SQLAlchemy 2.0; absent before."""
    try:
        value = item.dialect_options["postgresql"]["nulls_not_distinct"]
    except (KeyError, TypeError, AttributeError):
        value = item.dialect_kwargs.get("postgresql_nulls_not_distinct")
    return {} if value is None else {"nulls_not_distinct": bool(value)}


def exclusion(constraint, compiler, sa, name, at):
    """postgresql.ExcludeConstraint: its elements (column or expression, operator) in order."""
    elements = []
    # (expression, name, operator) per element; `operators` alone (name -> operator) leaves
    # out elements that are expressions without a name.
    rendered = getattr(constraint, "_render_exprs", None)
    if rendered is None:
        rendered = [(None, key, op) for key, op in constraint.operators.items()]
    for expression, key, op in rendered:
        if key is not None and (expression is None or isinstance(expression, (str, sa.Column))):
            elements.append(key + " WITH " + op)
        else:
            elements.append("(" + compiler.expression(expression) + ") WITH " + op)
    file, line = at([c.name for c in constraint.columns])
    spec = {"name": name, "using": str(constraint.using or "gist").lower(),
            "elements": elements, "file": file, "line": line}
    if constraint.where is not None:
        spec["where"] = compiler.expression(constraint.where)
    return spec


def export_constraints(table, compiler, sa, at):
    uniques, checks, foreign_keys, exclusions = [], [], [], []
    from sqlalchemy.dialects.postgresql import ExcludeConstraint
    for constraint in sorted(table.constraints, key=lambda c: str(c.name or "")):
        name = compiler.constraint_name(constraint)
        columns = [c.name for c in constraint.columns] if hasattr(constraint, "columns") else []
        file, line = at(columns)
        if isinstance(constraint, ExcludeConstraint):
            exclusions.append(exclusion(constraint, compiler, sa, name, at))
        elif isinstance(constraint, sa.UniqueConstraint):
            uniques.append(dict({"name": name, "columns": columns, "file": file, "line": line},
                                **nulls_not_distinct(constraint), **deferral(constraint)))
        elif isinstance(constraint, sa.CheckConstraint):
            checks.append({"name": name, "expression": compiler.expression(constraint.sqltext),
                           "file": file, "line": line})
        elif isinstance(constraint, sa.ForeignKeyConstraint):
            referred = [element.column for element in constraint.elements]
            foreign_keys.append({
                "name": name, "columns": columns,
                "ref_schema": referred[0].table.schema, "ref_table": referred[0].table.name,
                "ref_columns": [c.name for c in referred],
                "on_delete": constraint.ondelete.lower() if constraint.ondelete else None,
                "on_update": constraint.onupdate.lower() if constraint.onupdate else None,
                "file": file, "line": line, **deferral(constraint)})
    return uniques, checks, foreign_keys, exclusions


# Ordering modifiers SQLAlchemy wraps a key in (col.desc().nullslast()), by operator name in
# 1.4 (nullsfirst_op) and 2.x (nulls_first_op), outermost first.
KEY_MODIFIERS = {"desc_op": "DESC", "asc_op": "", "nullsfirst_op": "NULLS FIRST",
                 "nulls_first_op": "NULLS FIRST", "nullslast_op": "NULLS LAST",
                 "nulls_last_op": "NULLS LAST"}


def index_key(compiler, sa, expression, ops):
    """The key as CREATE INDEX writes it: column or expression, operator class, DESC, NULLS."""
    suffixes = []
    while getattr(expression, "element", None) is not None and \
            getattr(expression, "modifier", None) is not None:
        word = KEY_MODIFIERS.get(getattr(expression.modifier, "__name__", ""))
        if word is None:
            break
        if word:
            suffixes.insert(0, word)
        expression = expression.element
    if isinstance(expression, sa.Column):
        # A key is SQL: a name with a space or capitals is quoted, as CREATE INDEX writes it.
        key, name = compiler.preparer.quote(expression.name), expression.name
    else:
        key, name = compiler.expression(expression), None
    opclass = ops.get(name) if name is not None else None
    return " ".join([key] + ([opclass] if opclass else []) + suffixes), name or key


def export_indexes(table, compiler, sa, at):
    indexes = []
    for index in sorted(table.indexes, key=lambda i: str(compiler.index_name(i) or "")):
        options = index.dialect_options["postgresql"]
        ops = dict(options["ops"] or {})
        keyed = [index_key(compiler, sa, e, ops) for e in index.expressions]
        keys = [k for k, _ in keyed]
        file, line = at([n for _, n in keyed])
        spec = {"name": compiler.index_name(index), "keys": keys, "unique": bool(index.unique),
                "file": file, "line": line}
        if options["where"] is not None:
            spec["where"] = compiler.expression(options["where"])
        if options["using"]:
            spec["method"] = str(options["using"]).lower()
        if options.get("include"):
            spec["include"] = [c if isinstance(c, str) else c.name for c in options["include"]]
        spec.update(nulls_not_distinct(index))
        indexes.append(spec)
    return indexes


def export_table(table, cls, compiler, sa, base, enums):
    if cls is not None:
        file, line, _ = class_location(cls, base)
        lines = attribute_lines(cls)
        mapper = sa.inspect(cls)
    else:
        file, line = table_location(table, base)
        lines, mapper = {}, None

    def where(column):
        key = column.key
        if mapper is not None:
            try:
                key = mapper.get_property_by_column(column).key
            except Exception:  # noqa: BLE001 - an unmapped column: its own name
                pass
        if key in lines:
            return relative(lines[key][0], base), lines[key][1]
        return file, line

    def at(columns):  # a single-column constraint points at its column
        if len(columns) == 1 and columns[0] in table.columns:
            return where(table.columns[columns[0]])
        return file, line

    uniques, checks, foreign_keys, exclusions = export_constraints(table, compiler, sa, at)
    return {"name": cls.__name__ if cls is not None else table.name, "schema": table.schema,
            "table": table.name, "file": file, "line": line,
            "columns": export_columns(table, compiler, sa, where, enums),
            "foreign_keys": foreign_keys, "indexes": export_indexes(table, compiler, sa, at),
            "uniques": uniques, "checks": checks, "primary_key": deferral(table.primary_key),
            "exclusions": exclusions}


# ---------------------------------------------------------------- main


def project_files(roots):
    """The source files of the modules imported from the project (not from site-packages):
    what the cache key hashes."""
    files = set()
    for module in list(sys.modules.values()):
        file = getattr(module, "__file__", None)
        if not file:
            continue
        file = os.path.abspath(file)
        if "site-packages" in file or "dist-packages" in file:
            continue
        if any(file.startswith(root + os.sep) for root in roots):
            files.add(file)
    return files


def main():
    args = parse_args()
    # The application may print while it is imported; only the JSON goes to stdout.
    out, sys.stdout = sys.stdout, sys.stderr
    roots = [os.path.abspath(p) for p in args.paths] or [os.path.abspath(args.base)]
    sys.path[:0] = roots
    try:
        import sqlalchemy as sa
        from sqlalchemy import orm
        from sqlalchemy.dialects import postgresql
    except ImportError:
        fail(NO_SQLALCHEMY, "SQLAlchemy is not installed for %s; install it there (pip install "
             "sqlalchemy, or on Debian apt-get install python3-sqlalchemy) or set `models: "
             "python:` to the project's interpreter" % sys.executable)
    try:
        for name in args.imports:
            import_user_module(name)
        target = resolve_target(args.target)
        metadatas, registries = metadatas_and_registries(target, sa, orm)
        files = project_files(roots)
        classes = mapped_classes(registries, sa, files)
        compiler, enums, models = Compiler(sa, postgresql), {}, []
        base = os.path.abspath(args.base)
        for metadata in metadatas:
            for table in metadata.sorted_tables:
                models.append(export_table(table, classes.get(table), compiler, sa, base, enums))
    except ExportError as exc:
        fail(CANNOT_EXPORT, str(exc))
    except Exception as exc:  # noqa: BLE001 - e.g. a mapper that fails to configure
        fail(CANNOT_EXPORT, "the models cannot be exported: %s: %s"
             % (type(exc).__name__, str(exc).splitlines()[0] if str(exc) else ""))
    json.dump({"exporter": EXPORTER_VERSION, "sqlalchemy": sa.__version__,
               "files": sorted(project_files(roots)), "enums": list(enums.values()),
               "models": models}, out, indent=1)
    out.write("\n")


if __name__ == "__main__":
    main()
