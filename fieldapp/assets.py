"""Static files as the phones get them: content-hashed names, precompressed, served by WhiteNoise.

At start-up static/ is copied into a build directory named by a digest of its content (under
instance/static/, not in the repository; STATIC_BUILD_DIR moves it), once per content: each
file keeps its own name and gets a copy named by its content hash (`css/app.3f2a9c1b7d0e.css`);
the ES modules' imports of each other are rewritten to the hashed names, so a module's hash
covers what it imports.
WhiteNoise's compressor writes .br and .gz beside every text file, and WhiteNoise serves them
by Accept-Encoding, hashed names with a far-future `immutable` cache. `url_for('static', ...)`
gives the hashed name; the original names stay served, with a short cache, for addresses
written down elsewhere (the web manifest's icons).
"""

import hashlib
import json
import os
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

from fieldapp.config import INSTANCE

MANIFEST = "manifest.json"
HASH_LEN = 12
SHORT_CACHE = 600  # seconds, for the original names
OLD_BUILDS_KEPT = 3600  # seconds: workers of the previous release may still serve from theirs
# `from "./x.js"`, `import "./x.js"`, `import("./x.js")`: relative imports between our modules.
IMPORT = re.compile(r"""(\bfrom\s*|\bimport\s*\(?\s*)(["'])(\.{1,2}/[^"'\s]+?\.js)\2""")


def _sources(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def source_digest(root: Path) -> str:
    """A digest of every file's name and content under root."""
    h = hashlib.sha256()
    for name in _sources(root):
        h.update(name.encode() + b"\0" + (root / name).read_bytes() + b"\0")
    return h.hexdigest()[:HASH_LEN]


def hashed_name(name: str, content: bytes) -> str:
    """css/app.css -> css/app.<hash of content>.css."""
    stem, dot, ext = name.rpartition(".")
    digest = hashlib.sha256(content).hexdigest()[:HASH_LEN]
    return f"{stem}.{digest}.{ext}" if dot else f"{name}.{digest}"


def _hash_all(root: Path) -> tuple[dict[str, str], dict[str, bytes]]:
    """{name: hashed name} and the hashed files' contents, imported modules first."""
    names, contents, busy = {}, {}, set()

    def visit(name: str) -> str:
        if name in names:
            return names[name]
        if name in busy:
            raise ValueError(f"static/{name}: modules that import each other cannot be content-hashed")
        busy.add(name)
        data = (root / name).read_bytes()
        if name.endswith(".js"):
            here = Path(name).parent

            def rewrite(m: re.Match) -> str:
                target = os.path.normpath(here / m.group(3)).replace(os.sep, "/")
                if not (root / target).is_file():
                    return m.group(0)  # not one of ours: the browser reports it as it is
                new = os.path.relpath(visit(target), here).replace(os.sep, "/")
                return f"{m.group(1)}{m.group(2)}{new if new.startswith('.') else './' + new}{m.group(2)}"

            data = IMPORT.sub(rewrite, data.decode("utf-8")).encode("utf-8")
        names[name] = hashed_name(name, data)
        contents[names[name]] = data
        busy.discard(name)
        return names[name]

    for name in _sources(root):
        visit(name)
    return names, contents


def build(source: Path, dest_root: Path) -> tuple[Path, dict[str, str]]:
    """The served files of source's current content (built now if missing), {name: hashed name}."""
    dest = dest_root / source_digest(source)
    manifest = dest / MANIFEST
    if not manifest.is_file():
        dest_root.mkdir(parents=True, exist_ok=True)
        tmp = dest_root / f".tmp-{dest.name}-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.copytree(source, tmp / "files")
        names, contents = _hash_all(source)
        for hashed, data in contents.items():
            (tmp / "files" / hashed).write_bytes(data)
        compressor = Compressor(quiet=True)
        for name in _sources(tmp / "files"):
            if compressor.should_compress(name):
                compressor.compress(str(tmp / "files" / name))
        (tmp / MANIFEST).write_text(json.dumps(names, indent=1, sort_keys=True))
        try:
            tmp.rename(dest)  # whole or not at all; another worker may have won the race
        except OSError:
            shutil.rmtree(tmp, ignore_errors=True)
        _drop_old(dest_root, keep=dest)
    return dest / "files", json.loads(manifest.read_text())


def _drop_old(dest_root: Path, *, keep: Path) -> None:
    for old in dest_root.iterdir():
        if old != keep and old.is_dir() and time.time() - old.stat().st_mtime > OLD_BUILDS_KEPT:
            shutil.rmtree(old, ignore_errors=True)


def init_app(app: Flask, *, headers_for: Callable[[str], dict[str, str]]) -> None:
    """Serve static/ through WhiteNoise from its build; url_for('static') names hashed files."""
    dest_root = Path(app.config.get("STATIC_BUILD_DIR") or INSTANCE / "static")
    root, names = build(Path(app.static_folder), dest_root)
    immutable = {f"{app.static_url_path}/{hashed}" for hashed in names.values()}

    @app.url_defaults
    def _hashed_static(endpoint, values):
        if endpoint == "static" and values.get("filename") in names:
            values["filename"] = names[values["filename"]]

    def headers(h, path, url):
        for key, value in headers_for(path).items():
            h[key] = value

    app.wsgi_app = WhiteNoise(
        app.wsgi_app, root=str(root), prefix=app.static_url_path, max_age=SHORT_CACHE,
        allow_all_origins=False, add_headers_function=headers,
        immutable_file_test=lambda path, url: url in immutable)
    app.extensions["static_names"] = names
