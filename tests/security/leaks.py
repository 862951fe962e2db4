"""Everything the platform keeps, as text, for tests that grep it for planted values."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg2
import redis


def redis_text(client: redis.Redis) -> str:
    """Every key and value in Redis (strings, hashes, lists, sets, sorted sets), decoded leniently."""
    parts: list[str] = []
    for key in client.scan_iter(count=1000):
        parts.append(_text(key))
        parts.extend(_text(value) for value in _values(client, key))
    return "\n".join(parts)


def _values(client: redis.Redis, key: Any) -> list[Any]:
    kind: Any = client.type(key)
    reply: Any
    if kind == b"string":
        return [client.get(key) or b""]
    if kind == b"hash":
        reply = client.hgetall(key)
        return [_text(k) + "=" + _text(v) for k, v in reply.items()]
    if kind == b"list":
        reply = client.lrange(key, 0, -1)
    elif kind == b"set":
        reply = client.smembers(key)
    elif kind == b"zset":
        reply = client.zrange(key, 0, -1)
    else:
        return []
    return list(reply)


def _text(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def database_text(url: str) -> str:
    """Every row of every table in the public schema, as text."""
    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
            tables = [row[0] for row in cur.fetchall()]
            rows = []
            for table in tables:
                cur.execute(f'SELECT t::text FROM "{table}" t')  # names from the catalogue, not from input
                rows += [f"{table}: {row[0]}" for row in cur.fetchall()]
        return "\n".join(rows)
    finally:
        conn.close()


def files_text(*roots: Path, patterns: tuple[str, ...] = ("*.log", "*.aof", "*.out")) -> str:
    """The text of every file under `roots` matching `patterns` (logs, the Redis AOF, launcher output)."""
    texts = []
    for root in roots:
        for pattern in patterns:
            texts += [p.read_text(errors="replace") for p in sorted(root.rglob(pattern)) if p.is_file()]
    return "\n".join(texts)
