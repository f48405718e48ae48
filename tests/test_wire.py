"""What goes over the wire: hashed, precompressed static files; compressed pages, JSON and
streams; CSRF tokens masked per response (BREACH). Sizes are measured by bench/wire_bench.py."""

import gzip
import io
import json
import re
import zlib
from pathlib import Path

import brotli
from openpyxl import load_workbook

from fieldapp import assets
from fieldapp.security import HEADERS, STATIC_HEADERS

ROOT = Path(__file__).resolve().parent.parent
BR = {"Accept-Encoding": "br, gzip"}
GZ = {"Accept-Encoding": "gzip, deflate"}
YEAR = 365 * 24 * 3600


def _get(client, url, **kwargs):
    """GET with the body read and the file closed (WhiteNoise answers with an open file)."""
    resp = client.get(url, **kwargs)
    resp.get_data()
    resp.close()
    return resp


def _decoded(resp) -> bytes:
    data, enc = resp.get_data(), resp.headers.get("Content-Encoding")
    if enc == "br":
        return brotli.decompress(data)
    if enc == "gzip":
        return gzip.decompress(data)
    if enc == "deflate":
        return zlib.decompress(data)
    assert enc is None, enc
    return data


def _has_security_headers(resp):
    for key, value in HEADERS.items():
        assert resp.headers.get(key) == value, key


def test_static_files_are_hashed_precompressed_immutable_and_keep_the_security_headers(app, client):
    names = app.extensions["static_names"]
    css = names["css/app.css"]
    assert re.fullmatch(r"css/app\.[0-9a-f]{12}\.css", css)
    source = (ROOT / "static/css/app.css").read_bytes()
    for headers, encoding in ((BR, "br"), (GZ, "gzip"), ({}, None)):
        resp = _get(client, f"/static/{css}", headers=headers)
        assert resp.status_code == 200 and resp.headers.get("Content-Encoding") == encoding
        assert _decoded(resp) == source
        assert "immutable" in resp.headers["Cache-Control"]
        assert f"max-age={10 * YEAR}" in resp.headers["Cache-Control"]
        assert "Accept-Encoding" in resp.headers["Vary"]
        assert "Access-Control-Allow-Origin" not in resp.headers
        assert {k: resp.headers.get(k) for k in STATIC_HEADERS} == STATIC_HEADERS
    assert len(_get(client, f"/static/{css}", headers=BR).get_data()) < len(source) / 3
    # The plain name still answers (the web manifest's icons use it), briefly cached.
    plain = _get(client, "/static/css/app.css", headers=BR)
    assert plain.status_code == 200 and _decoded(plain) == source
    assert "immutable" not in plain.headers["Cache-Control"]
    # A PNG is sent as it is.
    png = _get(client, f"/static/{names['img/icon-192.png']}", headers=BR)
    assert png.status_code == 200 and "Content-Encoding" not in png.headers
    # An SVG, a document that could run script if opened by itself, keeps every header.
    svg = _get(client, f"/static/{names['img/icons.svg']}", headers=BR)
    assert svg.status_code == 200 and svg.headers["Content-Encoding"] == "br"
    _has_security_headers(svg)


def test_pages_link_hashed_files_and_modules_import_hashed_modules(app, demo, login):
    c = login("tocns")
    html = c.get("/households/new").get_data(as_text=True)
    refs = set(re.findall(r'(?:href|src)="(/static/[^"#]+)', html))
    assert refs and all(re.search(r"\.[0-9a-f]{12}\.\w+$", r) for r in refs), refs
    todo = [r for r in refs if r.endswith(".js")]
    seen = set()
    while todo:  # every import between modules names a hashed file that is served
        ref = todo.pop()
        resp = _get(c, ref)
        assert resp.status_code == 200, ref
        for name in re.findall(r'from "\./([^"]+)"', resp.get_data(as_text=True)):
            assert re.fullmatch(r"[\w-]+\.[0-9a-f]{12}\.js", name), name
            if (url := f"/static/js/{name}") not in seen:
                seen.add(url)
                todo.append(url)
    assert "/static/" + app.extensions["static_names"]["js/store.js"] in seen
    # The service worker precaches the same hashed files (the PNG icons are for installing only).
    shell = json.loads(re.search(r"const SHELL = (\[.*?\]);", c.get("/sw.js").get_data(as_text=True))[1])
    assert {r for r in refs if not r.endswith(".png")} <= set(shell)


def test_a_module_hash_follows_what_it_imports(tmp_path):
    src = tmp_path / "static"
    (src / "js").mkdir(parents=True)
    (src / "js/a.js").write_text('import { b } from "./b.js";\nexport const a = b;\n')
    (src / "js/b.js").write_text("export const b = 1;\n")
    root, first = assets.build(src, tmp_path / "build")
    assert f'from "./{Path(first["js/b.js"]).name}"' in (root / first["js/a.js"]).read_text()
    (src / "js/b.js").write_text("export const b = 2;\n")
    _root, second = assets.build(src, tmp_path / "build")
    assert second["js/b.js"] != first["js/b.js"]
    assert second["js/a.js"] != first["js/a.js"]  # a.js itself did not change; its import did


def test_pages_and_json_are_compressed_with_their_headers_intact(app, demo, login, client):
    c = login("tocns")
    plain = c.get("/households/")
    for headers, encoding in ((BR, "br"), (GZ, "gzip")):
        resp = c.get("/households/", headers=headers)
        assert resp.status_code == 200 and resp.headers["Content-Encoding"] == encoding
        body = _decoded(resp).decode()
        assert "Accept-Encoding" in resp.headers["Vary"]
        assert resp.headers["Cache-Control"] == "no-store"
        _has_security_headers(resp)
        assert len(resp.get_data()) < len(plain.get_data()) / 2
        # The same page apart from the CSRF tokens, which differ in every response.
        strip = lambda s: re.sub(r'name="csrf_token"( type="hidden")? value="[^"]+"', "", s)  # noqa: E731
        assert strip(body) == strip(plain.get_data(as_text=True))
    api = client.get("/api/v1/openapi.json", headers=BR)
    assert api.headers["Content-Encoding"] == "br" and json.loads(_decoded(api))["openapi"] == "3.1.0"


def test_streams_stay_streamed_and_xlsx_is_not_recompressed(app, demo, login):
    token = app.test_client().post("/api/v1/auth/token",
                                   json={"username": "tocns", "password": "demo1234"}).get_json()["token"]
    resp = app.test_client().get("/api/v1/reference", headers=BR | {"Authorization": f"Bearer {token}"})
    assert resp.is_streamed and resp.headers["Content-Encoding"] == "br"
    assert "Content-Length" not in resp.headers
    assert json.loads(_decoded(resp))["user"]["username"] == "tocns"
    officer = login("canbo")
    csv = officer.get("/exports/households.csv", headers=GZ)  # gzip-only clients get deflate
    assert csv.is_streamed and csv.headers["Content-Encoding"] == "deflate"
    assert _decoded(csv).decode("utf-8-sig").splitlines()[0]
    xlsx = officer.get("/exports/households.xlsx", headers=BR)
    assert xlsx.status_code == 200 and "Content-Encoding" not in xlsx.headers
    assert load_workbook(io.BytesIO(xlsx.get_data()), read_only=True).sheetnames


def test_csrf_tokens_are_masked_per_response_and_still_accepted(app, demo, login):
    c = login("tocns")
    token = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')
    pages = [c.get("/households/new").get_data(as_text=True) for _ in range(2)]
    tokens = [token.findall(p) for p in pages]
    flat = [t for ts in tokens for t in ts]
    assert len(flat) >= 4 and len(set(flat)) == len(flat)  # no two renderings alike
    with c.session_transaction() as sess:
        secret = sess["csrf_token"]
    for page in pages:
        assert secret not in page
    # Each masked token works; a tampered one is refused and changes nothing.
    new = {"head_name": "Lê Thị Mai", "address": "Tổ 1", "members": "3", "adults": "2",
           "consent_given": "y"}
    resp = c.post("/households/new", new | {"csrf_token": tokens[0][0]})
    assert resp.status_code in (302, 303), resp.get_data(as_text=True)[:300]
    forged = tokens[1][0][:-4] + ("AAAA" if not tokens[1][0].endswith("AAAA") else "BBBB")
    resp = c.post("/households/new", new | {"head_name": "Không được lưu", "csrf_token": forged})
    assert resp.status_code == 400
    assert "Không được lưu" not in c.get("/households/?q=khong+duoc+luu").get_data(as_text=True)
