"""What every repository shares: the default database, value checks for parameters, page size."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from utils.database_manager import Database, get_database
from utils.errors import InvalidRequestError

MAX_PAGE = 500  # list endpoints never return more rows than this at once


def db_or_default(db: Database | None) -> Database:
    """`db`, or the process's application database (utils.database_manager.get_database) when None."""
    return db if db is not None else get_database()


def as_uuid(value: Any, what: str) -> str:
    """`value` as a canonical UUID string; InvalidRequestError naming `what` when it is not one."""
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise InvalidRequestError(f"{what} is not a UUID") from None


def as_optional_uuid(value: Any, what: str) -> str | None:
    """`as_uuid`, with None passed through."""
    return None if value is None else as_uuid(value, what)


def as_timestamp(value: Any, what: str) -> datetime | None:
    """A UTC datetime from unix seconds, an ISO-8601 string or a datetime; None stays None."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC)
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        raise InvalidRequestError(f"{what} is not a timestamp") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def month_start(value: date | str | None) -> date:
    """First day of the month of `value` (a date, 'YYYY-MM' or 'YYYY-MM-DD'); None = this month."""
    if value is None:
        value = datetime.now(UTC).date()
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value if len(value) > 7 else f"{value}-01")
        except ValueError:
            raise InvalidRequestError("month must be YYYY-MM") from None
    return value.replace(day=1)


def iso(row: dict[str, Any]) -> dict[str, Any]:
    """The row with its dates and times as ISO-8601 strings."""
    return {k: v.isoformat() if isinstance(v, datetime | date) else v for k, v in row.items()}
