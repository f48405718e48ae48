"""The OpenAPI 3.1 document of the sync API, built from the record schemas themselves."""

from fieldapp.sync.registry import TYPES

_RESULT = {
    "type": "object",
    "required": ["uuid", "status", "errors"],
    "properties": {
        "uuid": {"type": ["string", "null"]},
        "status": {"enum": ["created", "updated", "duplicate", "conflict", "rejected"]},
        "errors": {"type": "object", "additionalProperties": {"type": "array",
                                                              "items": {"type": "string"}}},
        "id": {"type": "integer"},
        "version": {"type": "integer"},
    },
}
# The batch is checked record by record: whatever an item is, it gets its own result, and one
# the server cannot store is answered "rejected" with the reasons (the batch is still a 200).
# Its envelope's fields are named (with any value) so that generators try wrong types in them.
_ANY_RECORD = {"description": "Anything else: answered `rejected`, with the reasons, in its result",
               "properties": {k: {} for k in ("type", "uuid", "client_time", "base_version", "data")}}
_ERROR = {
    "type": "object",
    "properties": {"error": {"type": "object", "properties": {
        "code": {"type": "integer"}, "message": {"type": "string"}, "errors": {"type": "object"}}}},
}


def _record_schema(name, rt) -> dict:
    data = rt.schema.model_json_schema()
    data["examples"] = [rt.example]
    return {
        "type": "object",
        "required": ["type", "uuid", "data"],
        "properties": {
            "type": {"const": name},
            "uuid": {"type": "string", "format": "uuid"},
            "client_time": {"type": "string", "format": "date-time",
                            "description": "The device's clock when the record was made."},
            "base_version": {"type": "integer",
                             "description": "The version the device edited; needed to update."},
            "data": data,
        },
        "examples": [{"type": name, "uuid": "3f1c8f0e-8f6a-4a57-9a57-0b2b8d3c1e01",
                      "client_time": "2025-05-10T09:30:00+07:00", "data": rt.example}],
    }


_WHY = {
    "400": "Unreadable body",
    "401": "Bad or missing credentials",
    "405": "Method not allowed at this address; the Allow header lists the ones it takes",
    "413": "Body or batch too large",
    "429": "Too many attempts",
}


def _responses(ok: dict, *codes: str) -> dict:
    """The operation's 200 and the error answers it really gives (one JSON error shape)."""
    out = {"200": ok}
    for code in (*codes, "405"):
        out[code] = {"description": _WHY[code], "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    out["405"]["headers"] = {"Allow": {"required": True, "schema": {"type": "string"},
                                       "description": "The methods this address takes"}}
    return out


def document() -> dict:
    """The whole document."""
    records = {f"{name.title()}Record": _record_schema(name, rt) for name, rt in TYPES.items()}
    return {
        "openapi": "3.1.0",
        "info": {"title": "fieldapp sync API", "version": "1"},
        "components": {
            "securitySchemes": {"device": {"type": "http", "scheme": "bearer"}},
            "schemas": records | {"Result": _RESULT, "Error": _ERROR},
        },
        "paths": {
            "/api/v1/auth/token": {"post": {
                "summary": "Exchange username and password for a device token",
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["username", "password"],
                    "properties": {"username": {"type": "string"}, "password": {"type": "string"},
                                   "label": {"type": "string"}}}}}},
                "responses": _responses({"description": "A token", "content": {
                    "application/json": {"schema": {"type": "object", "properties": {
                        "token": {"type": "string"}, "expires_at": {"type": "string"}}}}}},
                    "400", "401", "413", "429"),
            }, "delete": {
                "summary": "Revoke the device token this request is sent with",
                "security": [{"device": []}],
                "responses": _responses({"description": "Revoked", "content": {
                    "application/json": {"schema": {"type": "object", "properties": {
                        "revoked": {"const": True}}}}}}, "401"),
            }},
            "/api/v1/sync": {"post": {
                "summary": "Store a batch of records idempotently",
                "security": [{"device": []}],
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["records"],
                    "properties": {"records": {"type": "array", "maxItems": 1000, "items": {
                        "anyOf": [{"$ref": f"#/components/schemas/{k}"} for k in records]
                        + [_ANY_RECORD]}}}}}}},
                "responses": _responses({"description": "One result per record", "content": {
                    "application/json": {"schema": {"type": "object", "properties": {
                        "results": {"type": "array",
                                    "items": {"$ref": "#/components/schemas/Result"}}}}}}},
                    "400", "401", "413"),
            }},
            "/api/v1/reference": {"get": {
                "summary": "Reference data for the offline forms",
                "security": [{"device": []}],
                "responses": _responses({"description": "Thôn, catalogues, households", "content": {
                    "application/json": {"schema": {"type": "object"}}}}, "401"),
            }},
        },
    }
