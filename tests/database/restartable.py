"""Servers that tests may stop and start, closing their log files (tests/servers.py leaves them to GC)."""

from __future__ import annotations

import subprocess

import redis

from services import embedded_servers
from tests.servers import PostgresServer, RedisServer, wait_until

# The session fixtures (tests/servers.py) leave each server's log file to the garbage collector
# (reported to the lead); these narrow filters keep that one ResourceWarning, however it surfaces,
# from failing whichever of our tests happens to trigger the collection.
_LOG = r"<_io\.(BufferedWriter|FileIO) name='[^']*/(postgres|redis)\.log'"
SERVER_LOG_FILTERS = (
    f"ignore:unclosed file {_LOG}:ResourceWarning",
    f"ignore:Exception ignored in. {_LOG}:pytest.PytestUnraisableExceptionWarning",
)


class RestartablePostgres(PostgresServer):
    """tests.servers.PostgresServer whose log handle is closed once the child has its own copy."""

    def start(self) -> None:
        embedded_servers.ensure_cluster(self.layout)
        with open(self.log_path, "ab") as log:  # Popen duplicates the descriptor for the child
            self.proc = subprocess.Popen(self.layout.command(), user=self.layout.os_user,
                                         stdout=log, stderr=subprocess.STDOUT)
        wait_until(self._accepts, 20, what=f"postgres on {self.layout.port}")
        embedded_servers.ensure_database(self.layout)


class RestartableRedis(RedisServer):
    """tests.servers.RedisServer whose log handle is closed once the child has its own copy."""

    def start(self) -> None:
        command = embedded_servers.redis_command("redis-server", self.port, self.directory)
        with open(self.directory / "redis.log", "ab") as log:
            self.proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        wait_until(self._ping, 10, what=f"redis on {self.port}")

    def _ping(self) -> bool:
        client = redis.Redis.from_url(self.url)
        try:
            return bool(client.ping())
        except redis.ConnectionError:
            return False
        finally:
            client.close()
