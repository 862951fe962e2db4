"""MySQL and MariaDB targets through PyMySQL: pinned address, read-only transaction, bounded waits.

PyMySQL connects to the checked address, reads no option file, and has connect, read and write
timeouts. The session is read-only (`SET SESSION TRANSACTION READ ONLY`, then `START TRANSACTION READ
ONLY`) and bounds each statement on the server too (`max_statement_time` on MariaDB,
`max_execution_time` on MySQL; whichever the server knows).
Identifiers are quoted in backticks with backticks doubled. Samples come from `ORDER BY RAND()` over
the whole table, or for a table estimated above LARGE_TABLE_ROWS from a `RAND() < p` fraction of it.
"""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import Any

import pymysql
import pymysql.cursors

from services.inputs.dsn import Dsn
from services.scanners.database.sources import ColumnInfo, QueryError, TableInfo, quotable, sample_fraction
from utils.errors import InvalidRequestError, TargetUnavailableError

SYSTEM_SCHEMAS = ("mysql", "information_schema", "performance_schema", "sys")
ACCESS_DENIED = (1044, 1045, 1698)  # ER_DBACCESS_DENIED_ERROR, ER_ACCESS_DENIED_ERROR, …_NO_PASSWORD
UNKNOWN_DATABASE = 1049
STATEMENT_TIMEOUTS = (1969, 3024)  # MariaDB ER_STATEMENT_TIMEOUT, MySQL ER_QUERY_TIMEOUT
TABLE_ACCESS_DENIED = (1142, 1143)
LOST = (2003, 2006, 2013)  # cannot connect, server gone, connection lost


def quoted(name: str) -> str:
    """A MySQL identifier: in backticks, a backtick doubled."""
    return "`" + name.replace("`", "``") + "`"


class MysqlSource:
    """A read-only transaction on a MySQL or MariaDB server."""

    engine = "mysql"

    def __init__(self, dsn: Dsn, address: str, password: str, *, connect_timeout_s: float,
                 statement_timeout_s: float) -> None:
        self.host = dsn.host
        self.database = dsn.database
        wait = max(1, int(statement_timeout_s + 1))
        try:
            self.conn = pymysql.connect(host=address, port=dsn.port, user=dsn.user, password=password,
                                        database=dsn.database, connect_timeout=max(1, int(connect_timeout_s)),
                                        read_timeout=wait, write_timeout=wait, charset="utf8mb4",
                                        read_default_file=None, local_infile=False, autocommit=True)
        except pymysql.err.OperationalError as error:
            raise _connect_error(error, dsn) from None
        self._bound_statements(statement_timeout_s)
        # every transaction of the session read-only, not only the one opened here: DDL would commit that
        # one implicitly and run outside it
        self._query("SET SESSION TRANSACTION READ ONLY")
        self._query("START TRANSACTION READ ONLY")

    def _bound_statements(self, seconds: float) -> None:
        for statement in (f"SET SESSION max_statement_time = {seconds:.3f}",  # MariaDB
                          f"SET SESSION max_execution_time = {int(seconds * 1000)}"):  # MySQL
            with contextlib.suppress(QueryError):
                self._query(statement)

    def _query(self, query: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        try:
            with self.conn.cursor() as cursor:
                cursor.execute(query, params or None)
                return list(cursor.fetchall())
        except pymysql.err.OperationalError as error:
            code = error.args[0] if error.args else None
            if code in STATEMENT_TIMEOUTS:
                raise QueryError("stopped at the statement timeout") from None
            if code in LOST or not isinstance(code, int):
                raise TargetUnavailableError(f"the connection to {self.host} was lost", self.host) from None
            raise QueryError(f"query failed (MySQL error {code})") from None
        except pymysql.err.MySQLError as error:
            code = error.args[0] if error.args else type(error).__name__
            if code in TABLE_ACCESS_DENIED:
                raise QueryError("permission denied to the scanner's user") from None
            raise QueryError(f"query failed (MySQL error {code})") from None

    def tables(self, schemas: list[str]) -> list[TableInfo]:
        """Base tables of the DSN's database (or of `schemas`), with InnoDB's row estimate."""
        wanted = schemas or [self.database]
        marks = ", ".join(["%s"] * len(wanted))
        rows = self._query("SELECT table_schema, table_name, table_rows FROM information_schema.tables "
                           f"WHERE table_type = 'BASE TABLE' AND table_schema IN ({marks}) "
                           "ORDER BY table_schema, table_name", tuple(wanted))
        found = [TableInfo(str(s), str(n), estimated_rows=None if r is None else int(r)) for s, n, r in rows
                 if str(s) not in SYSTEM_SCHEMAS]
        for table in found:
            table.columns = [ColumnInfo(str(n), str(t).lower()) for n, t in self._query(
                "SELECT column_name, column_type FROM information_schema.columns WHERE table_schema = %s "
                "AND table_name = %s ORDER BY ordinal_position", (table.schema, table.name))]
        return found

    def _table(self, table: TableInfo) -> str:
        return f"{quoted(table.schema)}.{quoted(table.name)}"

    def sample(self, table: TableInfo, columns: list[ColumnInfo], rows: int) -> list[tuple[Any, ...]]:
        """`rows` rows at random (a RAND() fraction first for a large table)."""
        listed = ", ".join(quoted(c.name) for c in columns if quotable(c.name))
        fraction = sample_fraction(table.estimated_rows, rows)
        if fraction is None:
            return self._query(f"SELECT {listed} FROM {self._table(table)} ORDER BY RAND() LIMIT %s", (rows,))
        return self._query(f"SELECT {listed} FROM {self._table(table)} WHERE RAND() < %s ORDER BY RAND() "
                           "LIMIT %s", (fraction, rows))

    def oldest(self, table: TableInfo, column: ColumnInfo, cutoff: datetime) -> tuple[Any, int]:
        """The oldest value of the column and the rows before `cutoff`."""
        name = quoted(column.name)
        found = self._query(f"SELECT MIN({name}), SUM(CASE WHEN {name} < %s THEN 1 ELSE 0 END) FROM "
                            f"{self._table(table)}", (cutoff,))
        return found[0][0], int(found[0][1] or 0)

    def close(self) -> None:
        """End the read-only transaction and close."""
        with contextlib.suppress(pymysql.err.MySQLError):
            self.conn.rollback()
        with contextlib.suppress(pymysql.err.MySQLError):
            self.conn.close()


def _connect_error(error: pymysql.err.OperationalError, dsn: Dsn) -> Exception:
    """Our words for the server's refusal (its message is not passed on)."""
    code = error.args[0] if error.args else None
    if code in ACCESS_DENIED:
        return InvalidRequestError(f"the database server at {dsn.host} refused the login of user "
                                   f"{dsn.user!r} (wrong password, or the user may not connect)")
    if code == UNKNOWN_DATABASE:
        return InvalidRequestError(f"the database server at {dsn.host} has no database {dsn.database!r}")
    return TargetUnavailableError(f"could not connect to the database server at {dsn.host}:{dsn.port}",
                                  dsn.host)
