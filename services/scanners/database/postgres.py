"""PostgreSQL targets through psycopg2: pinned address, read-only session, bounded waits.

libpq is given the checked address as `hostaddr` (the host name stays for TLS), no password file and
no GSS encryption, so it reads nothing from this machine's environment that the request did not say.
The session is read-only (`default_transaction_read_only`) and every statement has the scanner's
statement timeout; the connection has its connect timeout. Samples come from `ORDER BY random()`
over the whole table, or for a table estimated above LARGE_TABLE_ROWS from a `TABLESAMPLE BERNOULLI`
fraction of it (a row-level random draw that does not sort the table), ordered at random again.
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any

import psycopg2
import psycopg2.errors
from psycopg2 import sql

from services.inputs.dsn import Dsn
from services.scanners.database.sources import ColumnInfo, QueryError, TableInfo, quotable, sample_fraction
from utils.errors import InvalidRequestError, TargetUnavailableError

SYSTEM_SCHEMAS = ("pg_catalog", "information_schema", "pg_toast")
# the server ends a session whose transaction idles this long (a scan classifying between queries does
# not; a worker that died does), so a lost scan never holds a snapshot open on a customer's server
IDLE_TIMEOUT_MS = 120_000
_TABLES = sql.SQL("""
    SELECT n.nspname, c.relname, c.reltuples::bigint
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
       AND n.nspname <> ALL(%s) AND n.nspname NOT LIKE 'pg\\_%%'
       AND (cardinality(%s::text[]) = 0 OR n.nspname = ANY(%s))
     ORDER BY 1, 2""")
_COLUMNS = sql.SQL("""
    SELECT a.attname, format_type(a.atttypid, a.atttypmod)
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = %s AND c.relname = %s AND a.attnum > 0 AND NOT a.attisdropped
     ORDER BY a.attnum""")


class PostgresSource:
    """A read-only session on a PostgreSQL server."""

    engine = "postgresql"

    def __init__(self, dsn: Dsn, address: str, password: str, *, connect_timeout_s: float,
                 statement_timeout_s: float) -> None:
        self.host = dsn.host
        timeout_ms = max(1, int(statement_timeout_s * 1000))
        settings = (f"-c statement_timeout={timeout_ms} -c lock_timeout={timeout_ms} "
                    f"-c idle_in_transaction_session_timeout={max(IDLE_TIMEOUT_MS, timeout_ms * 4)} "
                    "-c default_transaction_read_only=on")
        try:
            self.conn = psycopg2.connect(
                host=dsn.host, hostaddr=address,  # the name for TLS; the checked address to connect to
                port=dsn.port, user=dsn.user, password=password, dbname=dsn.database,
                connect_timeout=max(1, int(connect_timeout_s)), passfile=os.devnull, gssencmode="disable",
                sslmode=dsn.sslmode or "prefer", application_name="dataguardian-scan",
                options=settings)
        except psycopg2.OperationalError as error:
            raise _connect_error(str(error), dsn) from None
        self.conn.set_session(readonly=True, autocommit=False)

    def _query(self, query: sql.Composable | str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        try:
            with self.conn.cursor() as cursor:
                cursor.execute(query, params)
                return cursor.fetchall()
        except psycopg2.errors.QueryCanceled:
            self.conn.rollback()
            raise QueryError("stopped at the statement timeout") from None
        except psycopg2.errors.LockNotAvailable:  # another session holds the table: we do not wait on it
            self.conn.rollback()
            raise QueryError("waited for a lock past the statement timeout") from None
        except psycopg2.errors.InsufficientPrivilege:
            self.conn.rollback()
            raise QueryError("permission denied to the scanner's user") from None
        except psycopg2.OperationalError as error:
            raise TargetUnavailableError(f"the connection to {self.host} was lost ({type(error).__name__})",
                                         self.host) from None
        except psycopg2.Error as error:
            self.conn.rollback()
            raise QueryError(f"query failed ({error.pgcode or type(error).__name__})") from None

    def tables(self, schemas: list[str]) -> list[TableInfo]:
        """Ordinary and partitioned tables outside the system schemas, with the planner's row estimate."""
        rows = self._query(_TABLES, (list(SYSTEM_SCHEMAS), schemas, schemas))
        found = []
        for schema, name, estimate in rows:
            table = TableInfo(str(schema), str(name), estimated_rows=int(estimate) if estimate >= 0 else None)
            columns = self._query(_COLUMNS, (schema, name))
            table.columns = [ColumnInfo(str(n), str(t).lower()) for n, t in columns]
            found.append(table)
        return found

    def _table(self, table: TableInfo) -> sql.Composed:
        return sql.SQL("{}.{}").format(sql.Identifier(table.schema), sql.Identifier(table.name))

    def sample(self, table: TableInfo, columns: list[ColumnInfo], rows: int) -> list[tuple[Any, ...]]:
        """`rows` rows at random (a BERNOULLI fraction first for a large table)."""
        listed = sql.SQL(", ").join(sql.Identifier(c.name) for c in columns if quotable(c.name))
        fraction = sample_fraction(table.estimated_rows, rows)
        if fraction is None:
            query = sql.SQL("SELECT {} FROM {} ORDER BY random() LIMIT %s").format(listed, self._table(table))
            return self._query(query, (rows,))
        query = sql.SQL("SELECT {} FROM {} TABLESAMPLE BERNOULLI (%s) ORDER BY random() LIMIT %s").format(
            listed, self._table(table))
        return self._query(query, (fraction * 100, rows))

    def oldest(self, table: TableInfo, column: ColumnInfo, cutoff: datetime) -> tuple[Any, int]:
        """The oldest value of the column and the rows before `cutoff`."""
        name = sql.Identifier(column.name)
        query = sql.SQL("SELECT min({c}), count(*) FILTER (WHERE {c} < %s) FROM {t}").format(
            c=name, t=self._table(table))
        found = self._query(query, (cutoff,))
        return found[0][0], int(found[0][1] or 0)

    def close(self) -> None:
        """Roll back the read-only transaction and close."""
        self.conn.close()


def _connect_error(message: str, dsn: Dsn) -> Exception:
    """Our words for libpq's connection failure (its message is not passed on)."""
    lowered = message.lower()
    if "password authentication failed" in lowered or "no password supplied" in lowered \
            or "authentication failed" in lowered or "pg_hba.conf" in lowered:
        return InvalidRequestError(f"the database server at {dsn.host} refused the login of user "
                                   f"{dsn.user!r} (wrong password, or the user may not connect)")
    if "does not exist" in lowered and "database" in lowered:
        return InvalidRequestError(f"the database server at {dsn.host} has no database "
                                   f"{dsn.database!r} that user {dsn.user!r} can see")
    if "timeout expired" in lowered:
        return TargetUnavailableError(f"the database server at {dsn.host}:{dsn.port} did not answer in time",
                                      dsn.host)
    if "refused" in lowered:
        return TargetUnavailableError(f"the database server at {dsn.host}:{dsn.port} refused the connection",
                                      dsn.host)
    return TargetUnavailableError(f"could not connect to the database server at {dsn.host}:{dsn.port}",
                                  dsn.host)
