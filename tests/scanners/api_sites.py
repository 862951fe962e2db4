"""Test APIs for the API scanner: a leaky one with planted issues, and its clean twin (same document).

Planted in the leaky API:
- GET /users answers without credentials, with names and e-mail addresses;
- GET /accounts/{account_id} checks that the caller is signed in, not that the account is theirs (BOLA);
- the token is accepted in the query string (?access_token=) as well as in the header;
- every answer allows any origin with credentials (CORS);
- GET /items/{item_id} answers a non-numeric id with a Python stack trace;
- GET /profile answers fields its schema does not declare: a BSN and an e-mail address;
- no rate limiting.
The clean twin requires the header token everywhere, checks ownership, validates input, sends security
headers and rate-limit headers, and answers only declared fields.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, jsonify, request

from tests.planted import BSN, EMAIL, GH_TOKEN, IBAN

TOKEN_A = GH_TOKEN
TOKEN_B = "tok-user-b-7Hq2Lw9Xe4Rt1Yz8"
USERS = {TOKEN_A: 1, TOKEN_B: 2}
ACCOUNTS = {1: {"id": 1, "owner": "Jan Jansen", "iban": IBAN}, 2: {"id": 2, "owner": "Piet Pietersen",
                                                                    "iban": "NL02ABNA0123456789"}}


def document() -> dict[str, Any]:
    """The OpenAPI 3.0 document both APIs serve."""
    bearer: list[dict[str, list[str]]] = [{"bearer": []}]
    json_of = _json_of
    return {
        "openapi": "3.0.3",
        "info": {"title": "Planted shop API", "version": "1.0"},
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "User": {"type": "object", "properties": {"id": {"type": "integer"},
                                                          "name": {"type": "string"},
                                                          "email": {"type": "string", "format": "email"}}},
                "Account": {"type": "object", "properties": {"id": {"type": "integer"},
                                                             "owner": {"type": "string"},
                                                             "iban": {"type": "string"}}},
                "Profile": {"type": "object", "properties": {"id": {"type": "integer"},
                                                             "name": {"type": "string"}}},
                "Item": {"type": "object", "required": ["id", "title"],
                         "properties": {"id": {"type": "integer"}, "title": {"type": "string"}}},
            },
        },
        "paths": {
            "/users": {
                "get": {"responses": {"200": json_of({"type": "array",
                                                      "items": {"$ref": "#/components/schemas/User"}})}},
                "post": {"security": bearer, "requestBody": {"content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/User"}}}},
                         "responses": {"201": {"description": "ok"}}},
            },
            "/accounts/{account_id}": {
                "parameters": [{"name": "account_id", "in": "path", "required": True,
                                "schema": {"type": "integer", "example": 1}}],
                "get": {"security": bearer,
                        "responses": {"200": json_of({"$ref": "#/components/schemas/Account"})}},
                "delete": {"security": bearer, "responses": {"204": {"description": "gone"}}},
            },
            "/profile": {"get": {"security": bearer,
                                 "responses": {"200": json_of({"$ref": "#/components/schemas/Profile"})}}},
            "/items/{item_id}": {"get": {
                "parameters": [{"name": "item_id", "in": "path", "required": True,
                                "schema": {"type": "integer", "example": 7}}],
                "responses": {"200": json_of({"$ref": "#/components/schemas/Item"})}}},
        },
    }


def _json_of(schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": "ok", "content": {"application/json": {"schema": schema}}}


def leaky_api() -> Flask:
    """The API with every planted issue."""
    app = Flask("leaky_api")

    def user() -> int | None:
        header = request.headers.get("Authorization", "")
        token = header.removeprefix("Bearer ") if header.startswith("Bearer ") else \
            request.args.get("access_token", "")
        return USERS.get(token)

    @app.after_request
    def cors(response: Response) -> Response:
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Allow-Credentials"] = "true"
        return response

    _leaky_routes(app, user)
    return app


def _leaky_routes(app: Flask, user: Callable[[], int | None]) -> None:
    @app.get("/openapi.json")
    def spec() -> Response:
        return jsonify(document())

    @app.route("/users", methods=["GET", "POST"])
    def users() -> Response:
        return jsonify([{"id": 1, "name": "Jan Jansen", "email": EMAIL},
                        {"id": 2, "name": "Piet Pietersen", "email": "piet.pietersen@ziggo.nl"}])

    @app.route("/accounts/<int:account_id>", methods=["GET", "DELETE"])
    def account(account_id: int) -> Response | tuple[Response, int]:
        if user() is None:
            return jsonify({"error": "sign in"}), 401
        return jsonify(ACCOUNTS.get(account_id, {}))

    @app.get("/profile")
    def profile() -> Response | tuple[Response, int]:
        if user() is None:
            return jsonify({"error": "sign in"}), 401
        return jsonify({"id": 1, "name": "Jan Jansen", "bsn": BSN, "private_email": EMAIL})

    @app.get("/items/<item_id>")
    def item(item_id: str) -> Response | tuple[str, int]:
        try:
            return jsonify({"id": int(item_id), "title": "Chair"})
        except ValueError:
            return traceback.format_exc(), 500


def clean_api() -> Flask:
    """The twin without the planted issues."""
    app = Flask("clean_api")

    def user() -> int | None:
        header = request.headers.get("Authorization", "")
        return USERS.get(header.removeprefix("Bearer ")) if header.startswith("Bearer ") else None

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Cache-Control"] = "no-store"
        response.headers["RateLimit-Limit"] = "10"
        return response

    _clean_routes(app, user)
    return app


def _clean_routes(app: Flask, user: Callable[[], int | None]) -> None:
    @app.get("/openapi.json")
    def spec() -> Response:
        return jsonify(document())

    @app.get("/users")
    def users() -> Response | tuple[Response, int]:
        if user() is None:
            return jsonify({"error": "sign in"}), 401
        return jsonify([{"id": 1, "name": "Jan Jansen"}])

    @app.get("/accounts/<int:account_id>")
    def account(account_id: int) -> Response | tuple[Response, int]:
        return _own_account(user(), account_id)

    @app.get("/profile")
    def profile() -> Response | tuple[Response, int]:
        if user() is None:
            return jsonify({"error": "sign in"}), 401
        return jsonify({"id": 1, "name": "Jan Jansen"})

    @app.get("/items/<item_id>")
    def item(item_id: str) -> Response | tuple[Response, int]:
        if not item_id.isdigit():
            return jsonify({"error": "item_id must be a number"}), 400
        return jsonify({"id": int(item_id), "title": "Chair"})


def _own_account(caller: int | None, account_id: int) -> Response | tuple[Response, int]:
    if caller is None:
        return jsonify({"error": "sign in"}), 401
    if caller != account_id:
        return jsonify({"error": "not yours"}), 403
    return jsonify({"id": account_id, "owner": "J. J.", "iban": "hidden"})
