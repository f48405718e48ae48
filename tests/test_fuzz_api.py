"""The sync API fuzzed from its own OpenAPI document (hypothesis).

Records are generated from the document's record schemas (valid, near the bounds, and with
fields swapped for arbitrary JSON), whole bodies from arbitrary JSON, random bytes and content
types, plus oversize and deeply nested bodies. Every answer must be one of the documented
status codes with a JSON body in the documented shape, and 5xx = 0.
"""

import json
import uuid as uuidlib
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FUZZ = settings(max_examples=400, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))
DOCUMENTED = {200, 400, 401, 413, 429}
ROLE_USER = {"household": "tocns", "visit": "tocns", "survey": "tocns", "feedback": "tocns",
             "lesson": "giaovien", "outreach": "phunu"}
CASES = Counter()  # generated cases per strategy, printed at the end (pytest -s)

TEXT = st.text(st.characters(codec="utf-8"), max_size=40) | st.sampled_from([
    "Nguyễn Văn Đức", "\x00", "\u202eمرحبا", "👨‍👩‍👧‍👦", "' OR 1=1 --", "<script>x</script>", "",
    " ", "=1+1", "9" * 400, "2025-02-30", "2025-05-10T25:61:00Z", "ắ" * 3000,
])
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)


# --- JSON Schema (the subset the document uses) -> hypothesis strategy, and a checker -------

def _resolve(schema, doc):
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _from_schema(schema, doc):
    """Values valid for schema, leaning on the bounds."""
    schema = _resolve(schema, doc)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return st.one_of([_from_schema(s, doc) for s in schema[key]])
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if kind == "integer":
        lo, hi = schema.get("minimum", -(2 ** 31)), schema.get("maximum", 2 ** 31)
        return st.integers(lo, hi) | st.sampled_from([lo, hi])
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    if kind == "array":
        return st.lists(_from_schema(schema.get("items", {"type": "string"}), doc),
                        max_size=schema.get("maxItems", 5))
    if kind == "object":
        props = schema.get("properties", {})
        required = set(schema.get("required", []))
        return st.fixed_dictionaries(
            {k: _from_schema(v, doc) for k, v in props.items() if k in required},
            optional={k: _from_schema(v, doc) for k, v in props.items() if k not in required})
    fmt = schema.get("format")
    if fmt == "date":
        return st.dates().map(str)
    if fmt == "date-time":
        return st.datetimes(timezones=st.timezones() | st.none()).map(lambda d: d.isoformat())
    if fmt == "uuid":
        return st.uuids().map(str)
    return st.text(min_size=schema.get("minLength", 0), max_size=schema.get("maxLength", 50))


def _broken(schema, doc):
    """Like _from_schema, but any field may be dropped, out of range or of the wrong type."""
    schema = _resolve(schema, doc)
    props = schema.get("properties")
    if not props:
        return _from_schema(schema, doc) | JSON | st.integers() | TEXT
    return st.fixed_dictionaries({}, optional={
        k: _broken(v, doc) for k, v in props.items()}) | JSON


def conforms(value, schema, doc) -> bool:
    """True when value fits schema (type, enum, const, required, properties, items, refs)."""
    schema = _resolve(schema, doc)
    if "oneOf" in schema or "anyOf" in schema:
        return any(conforms(value, s, doc) for s in schema.get("oneOf", schema.get("anyOf")))
    if "enum" in schema and value not in schema["enum"]:
        return False
    kinds = schema.get("type")
    kinds = [kinds] if isinstance(kinds, str) else kinds
    py = {"string": str, "integer": int, "object": dict, "array": list, "boolean": bool,
          "null": type(None), "number": (int, float)}
    if kinds and not any(isinstance(value, py[k]) and not (k == "integer" and isinstance(value, bool))
                         for k in kinds):
        return False
    if isinstance(value, dict):
        if not set(schema.get("required", [])) <= value.keys():
            return False
        extra = schema.get("additionalProperties")
        for k, v in value.items():
            sub = schema.get("properties", {}).get(k, extra if isinstance(extra, dict) else None)
            if sub is not None and not conforms(v, sub, doc):
                return False
    if isinstance(value, list) and "items" in schema:
        return all(conforms(v, schema["items"], doc) for v in value)
    return True


# --- helpers ----------------------------------------------------------------------------

def _doc(client):
    resp = client.get("/api/v1/openapi.json")
    assert resp.status_code == 200 and resp.is_json
    return resp.get_json()


def _tokens(app):
    out = {}
    for username in set(ROLE_USER.values()):
        resp = app.test_client().post("/api/v1/auth/token",
                                      json={"username": username, "password": "demo1234"})
        assert resp.status_code == 200, resp.get_json()
        out[username] = resp.get_json()["token"]
    return out


def check(resp, doc, path, sent=None):
    """The answer is documented: status, JSON body, shape; results match the records sent."""
    assert resp.status_code < 500, (resp.status_code, resp.get_data()[:300])
    assert resp.status_code in DOCUMENTED, resp.status_code
    assert resp.is_json, resp.headers.get("Content-Type")
    body = resp.get_json()
    responses = doc["paths"][path]["post"]["responses"]
    schema = responses[str(resp.status_code)]["content"]["application/json"]["schema"]
    assert conforms(body, schema, doc), body
    if resp.status_code != 200:
        assert body["error"]["code"] == resp.status_code and body["error"]["message"]
    elif sent is not None:
        assert len(body["results"]) == len(sent)
        for item, result in zip(sent, body["results"], strict=True):
            if isinstance(item, dict) and isinstance(item.get("uuid"), str):
                try:
                    assert result["uuid"] == str(uuidlib.UUID(item["uuid"]))
                except ValueError:
                    assert result["status"] == "rejected"
    return body


# --- tests ------------------------------------------------------------------------------

def test_records_from_the_openapi_schemas(app, demo):
    doc = _doc(app.test_client())
    tokens = _tokens(app)
    client = app.test_client()
    records = {n: doc["components"]["schemas"][f"{n.title()}Record"] for n in ROLE_USER}
    envelope = st.sampled_from(sorted(records)).flatmap(lambda name: st.tuples(
        st.just(name),
        st.fixed_dictionaries({
            "type": st.just(name) | TEXT | JSON,
            "uuid": st.uuids().map(str) | TEXT | st.integers(),
            "data": _from_schema(records[name]["properties"]["data"], doc)
            | _broken(records[name]["properties"]["data"], doc),
        }, optional={"client_time": _from_schema({"format": "date-time"}, doc) | JSON,
                     "base_version": st.integers() | JSON})))

    @settings(FUZZ, max_examples=300)
    @given(st.lists(envelope, min_size=1, max_size=8))
    def run(batch):
        CASES["records from schema"] += len(batch)
        user = ROLE_USER[batch[0][0]]
        sent = [item for _, item in batch]
        resp = client.post("/api/v1/sync", json={"records": sent},
                           headers={"Authorization": f"Bearer {tokens[user]}"})
        body = check(resp, doc, "/api/v1/sync", sent)
        assert resp.status_code == 200, body

    run()
    # The schemas' own examples are accepted as they are.
    for name, schema in records.items():
        example = dict(schema["examples"][0], uuid=str(uuidlib.uuid4()))
        if name in ("visit", "outreach"):
            continue  # they name a household or branch that exists only where the example was made
        resp = client.post("/api/v1/sync", json={"records": [example]},
                           headers={"Authorization": f"Bearer {tokens[ROLE_USER[name]]}"})
        assert check(resp, doc, "/api/v1/sync")["results"][0]["status"] == "created", resp.get_json()
    print(f"\nfuzz api: {dict(CASES)}")


def test_arbitrary_json_bytes_and_content_types(app, demo):
    doc = _doc(app.test_client())
    token = _tokens(app)["tocns"]
    client = app.test_client()
    auth = {"Authorization": f"Bearer {token}"}
    headers = st.sampled_from([auth, {}, {"Authorization": "Bearer x"},
                               {"Authorization": "Basic dG9jbnM6ZGVtbzEyMzQ="}])
    ctype = st.sampled_from(["application/json", "text/plain", "application/x-www-form-urlencoded",
                             "multipart/form-data", "application/json; charset=latin-1",
                             "text/html", "application/octet-stream", ""])
    body = (JSON.map(lambda v: json.dumps(v).encode())
            | st.fixed_dictionaries({"records": st.lists(JSON, max_size=5)}).map(
                lambda v: json.dumps(v).encode())
            | st.binary(max_size=300)
            | TEXT.map(lambda s: s.encode("utf-8", "surrogatepass")))

    @settings(FUZZ, max_examples=600)
    @given(st.sampled_from(["/api/v1/sync", "/api/v1/auth/token"]), headers, ctype, body)
    def run(path, head, content_type, data):
        CASES["bodies, bytes, content types"] += 1
        resp = client.post(path, data=data, headers=head | {"Content-Type": content_type})
        check(resp, doc, path)

    run()


def test_oversize_and_deeply_nested_bodies(app, demo):
    doc = _doc(app.test_client())
    token = _tokens(app)["tocns"]
    client = app.test_client()
    auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    limit = app.config.get("SYNC_MAX_BYTES", 4 * 1024 * 1024)

    def post(path, data, headers=auth):
        CASES["oversize and nested"] += 1
        return client.post(path, data=data, headers=headers)

    # Oversize: a real 4 MB+ batch, an oversize login body, more records than a batch may hold.
    big = json.dumps({"records": [{"type": "feedback", "uuid": str(uuidlib.uuid4()),
                                   "data": {"text": "x" * 1900, "received_on": "2025-05-10"}}
                                  for _ in range(limit // 1900 + 10)]}).encode()
    assert len(big) > limit
    resp = post("/api/v1/sync", big)
    assert resp.status_code == 413 and check(resp, doc, "/api/v1/sync")
    resp = post("/api/v1/sync", b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1))
    assert resp.status_code == 413 and check(resp, doc, "/api/v1/sync")
    resp = post("/api/v1/auth/token", json.dumps({"username": "u" * 5000, "password": "p"}).encode(),
                {"Content-Type": "application/json"})
    assert resp.status_code == 413 and check(resp, doc, "/api/v1/auth/token")
    many = json.dumps({"records": [{}] * 1001}).encode()
    resp = post("/api/v1/sync", many)
    assert resp.status_code == 413 and check(resp, doc, "/api/v1/sync")

    # Deeply nested: rejected as unreadable, never a crash.
    for depth in (1_000, 10_000, 100_000, 500_000):
        for opener, closer in (("[", "]"), ('{"a":', "}")):
            data = (opener * depth + "1" + closer * depth).encode()
            resp = post("/api/v1/sync", data)
            assert resp.status_code in (400, 413), resp.status_code
            check(resp, doc, "/api/v1/sync")
            nested = ('{"records": [' + '{"data":' * depth + "1" + "}" * depth + "]}").encode()
            resp = post("/api/v1/sync", nested)
            assert resp.status_code in (200, 400, 413), resp.status_code
            check(resp, doc, "/api/v1/sync")
    # Nested inside a record's data, at a depth the JSON parser still reads.
    deep = {"records": [{"type": "household", "uuid": str(uuidlib.uuid4()), "data": {
        "head_name": json.loads("[" * 500 + "]" * 500), "members": 1, "adults": 1}}]}
    resp = post("/api/v1/sync", json.dumps(deep).encode())
    assert resp.status_code == 200
    assert check(resp, doc, "/api/v1/sync")["results"][0]["status"] == "rejected"
    print(f"\nfuzz api: {dict(CASES)}")
