"""Which real services the tests talk to, and what to do when one is missing.

Tests run on the embedded defaults (SQLite, in-process) and, when `DATABASE_URL` /
`REDIS_URL` are set, on MariaDB/MySQL and Redis. A test that needs a server of its own
(`mysql_server_url`, `redis_server_url`) skips when it is unreachable, except under
`CI=true`, where it fails: CI must never pass by skipping.
"""

from __future__ import annotations

import os
import socket
from urllib.parse import urlsplit

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
DATABASE_URL = os.environ.get("DATABASE_URL") or None
REDIS_URL = os.environ.get("REDIS_URL") or None
MYSQL_SERVER_URL = os.environ.get("MYSQL_SERVER_URL") or "mysql://root@127.0.0.1:3306"
REDIS_SERVER_URL = REDIS_URL or "redis://127.0.0.1:6379/0"


def reachable(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 0), timeout=1):
            return True
    except OSError:
        return False


def require(url: str, what: str) -> None:
    if reachable(url):
        return
    message = f"{what} at {url} is unreachable"
    if IN_CI:
        pytest.fail(message + " (CI=true: tests that need it fail instead of skipping)")
    pytest.skip(message)


def mysql_server_url() -> str:
    """The MySQL/MariaDB server URL without a database, for tests that create their own."""
    if DATABASE_URL and DATABASE_URL.startswith(("mysql", "mariadb")):
        parts = urlsplit(DATABASE_URL)
        url = f"{parts.scheme}://{parts.netloc}"
    else:
        url = MYSQL_SERVER_URL
    require(url, "MySQL/MariaDB")
    return url


def redis_server_url() -> str:
    require(REDIS_SERVER_URL, "Redis")
    return REDIS_SERVER_URL
