#!/usr/bin/env python3
"""Rebuilds the seed corpora of fuzz/ from fixtures/ (docs/fuzzing.md).

corpus/manifest: the example manifests and every rejected one of fixtures/bad_input/manifest.
corpus/config: the fixtures' pgparity.yaml files, with directory paths pointed at the folders
the config harness creates. corpus/migrations: each layout of fixtures/layouts (and lifecycle
fixtures) as one text in the harness's `=== <file>` format. Identical files are kept once; files already in a corpus
folder (the inputs of fixed findings) are kept.
"""
import hashlib
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fuzz" / "corpus"


def seed_name(path):
    return "-".join(path.relative_to(ROOT / "fixtures").parts[:-1]) or path.stem


def write_unique(folder, items):
    # Files already there stay: the inputs of fixed findings are added by hand.
    folder.mkdir(parents=True, exist_ok=True)
    seen = set()
    for name, data in sorted(items):
        digest = hashlib.sha256(data).hexdigest()
        if digest in seen:
            continue
        seen.add(digest)
        (folder / name).write_bytes(data)


def manifests():
    fixtures = ROOT / "fixtures"
    for path in sorted(fixtures.glob("examples/*/models.yaml")):
        yield seed_name(path) + ".yaml", path.read_bytes()
    for path in sorted(fixtures.glob("broken/*/models.yaml"))[:6]:
        yield seed_name(path) + ".yaml", path.read_bytes()
    for path in sorted(fixtures.glob("bad_input/manifest/*.yaml")):
        yield "bad-" + path.name, path.read_bytes()


def configs():
    for path in sorted((ROOT / "fixtures").glob("*/*/pgparity.yaml")):
        text = path.read_text()
        # Point directory paths at what the harness creates, so the seeds load.
        text = re.sub(r"(\n  dir: ).*", r"\1migrations", text)
        text = re.sub(r"(\nmanifest: ).*", r"\1models.yaml", text)
        text = re.sub(r"(\n  alembic: ).*", r"\1alembic.ini", text)
        text = re.sub(r"(\n  (cwd|overlay|python): ).*/.*", r"\1.", text)
        yield seed_name(path) + ".yaml", text.encode()


def migration_folders():
    for config in sorted((ROOT / "fixtures").glob("*/*/pgparity.yaml")):
        folder = config.parent / "migrations"
        if not folder.is_dir() or "alembic" in config.read_text():
            continue
        layout = re.search(r"\n  layout: (\S+)", config.read_text())
        text = b"layout: " + layout.group(1).encode() + b"\n" if layout else b""
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            text += b"=== " + str(path.relative_to(folder)).encode() + b"\n" + path.read_bytes()
            if not text.endswith(b"\n"):
                text += b"\n"
        yield seed_name(config) + ".txt", text


write_unique(CORPUS / "manifest", manifests())
write_unique(CORPUS / "config", configs())
write_unique(CORPUS / "migrations", migration_folders())
