"""Failed sign-ins counted per account and source, and per source at any account (migration 0005)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from utils.database_manager import Database
from utils.repositories.common import db_or_default

ANY_ACCOUNT = "*"  # the login_throttle row of a source that counts attempts at every account
PRUNE_BATCH = 200  # expired throttle rows deleted per call: bounded work on the sign-in path


def count_sign_in_attempt(account: str, source: str, window_s: float,
                          *, db: Database | None = None) -> tuple[int, int, float]:
    """Count one attempt at `account` (a hash) from `source`, and one from `source` at any account.

    Returns (attempts at this account from this source, attempts from this source, seconds until the
    account's window ends), this attempt included. A window starts at the first attempt after the
    previous one ended. Counting before the password check means parallel guesses are counted too.
    """
    with db_or_default(db).transaction() as cur:
        # one statement, rows in a fixed order: two attempts from one source cannot deadlock
        cur.execute(
            "INSERT INTO login_throttle AS t (account, source, attempts, window_ends_at) "
            "VALUES (%(account)s, %(source)s, 1, now() + make_interval(secs => %(window)s)), "
            "(%(any)s, %(source)s, 1, now() + make_interval(secs => %(window)s)) "
            "ON CONFLICT (account, source) DO UPDATE SET "
            "attempts = CASE WHEN t.window_ends_at <= now() THEN 1 ELSE t.attempts + 1 END, "
            "window_ends_at = CASE WHEN t.window_ends_at <= now() THEN EXCLUDED.window_ends_at "
            "ELSE t.window_ends_at END "
            "RETURNING account, attempts, greatest(0, extract(epoch FROM t.window_ends_at - now()))::float8 "
            "AS left_s",
            {"account": account, "source": source, "window": float(window_s), "any": ANY_ACCOUNT})
        rows = {row["account"]: row for row in cur.fetchall()}
    own, anywhere = rows[account], rows[ANY_ACCOUNT]
    return int(own["attempts"]), int(anywhere["attempts"]), float(own["left_s"])


def forget_sign_in_attempt(account: str, source: str, *, db: Database | None = None) -> None:
    """After a success: the account's count from `source` starts again, and the attempt leaves the
    source's count (an office signing in all day is not spraying)."""
    with db_or_default(db).transaction() as cur:
        cur.execute("DELETE FROM login_throttle WHERE account = %s AND source = %s", (account, source))
        cur.execute("UPDATE login_throttle SET attempts = attempts - 1 WHERE account = %s AND source = %s "
                    "AND attempts > 0", (ANY_ACCOUNT, source))


def clear_login_throttle(account: str, max_attempts: int, *, db: Database | None = None) -> int:
    """Forget every source's attempts at `account` (an admin's unlock); how many sources had it locked."""
    with db_or_default(db).transaction() as cur:
        cur.execute("DELETE FROM login_throttle WHERE account = %s "
                    "RETURNING attempts >= %s AND window_ends_at > now() AS locked", (account, max_attempts))
        return sum(1 for row in cur.fetchall() if row["locked"])


def locked_accounts(accounts: Sequence[str], max_attempts: int,
                    *, db: Database | None = None) -> dict[str, datetime]:
    """For each of `accounts` locked from some source, when its last lock there ends."""
    with db_or_default(db).transaction() as cur:
        cur.execute("SELECT account, max(window_ends_at) AS until FROM login_throttle "
                    "WHERE account = ANY(%s) AND attempts >= %s AND window_ends_at > now() GROUP BY account",
                    (list(accounts), max_attempts))
        return {row["account"]: row["until"] for row in cur.fetchall()}


def prune_login_throttle(*, db: Database | None = None) -> int:
    """Delete up to PRUNE_BATCH throttle rows whose window ended, skipping rows in use; how many."""
    with db_or_default(db).transaction() as cur:
        cur.execute("DELETE FROM login_throttle WHERE ctid IN (SELECT ctid FROM login_throttle "
                    "WHERE window_ends_at <= now() LIMIT %s FOR UPDATE SKIP LOCKED)", (PRUNE_BATCH,))
        return int(cur.rowcount)
