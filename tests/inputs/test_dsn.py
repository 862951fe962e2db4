"""DSNs: parsed and checked, their password split off, and shown without it."""

from __future__ import annotations

import pytest

from services.inputs.dsn import parse_dsn, split_dsn_credentials
from utils.errors import InvalidRequestError

SECRET = "s3cr3t/p@ss#word"


@pytest.mark.parametrize(("dsn", "user", "password"), [
    ("postgresql://scan:s3cr3t%2Fp%40ss%23word@db.example.org:5433/shop", "scan", SECRET),
    ("postgres://scan@db.example.org/shop?password=s3cr3t%2Fp%40ss%23word&sslmode=require", "scan", SECRET),
    ("mariadb://scan:pw@[2001:db8::1]:3307/shop", "scan", "pw"),
])
def test_the_password_is_split_off_and_never_shown(dsn: str, user: str, password: str) -> None:
    bare, credentials = split_dsn_credentials(dsn)
    assert credentials is not None and credentials.username == user and credentials.password == password
    assert password not in bare and "s3cr3t" not in bare and "password" not in bare
    parsed, none = parse_dsn(bare)
    assert none is None and parsed.user == user and password not in parsed.shown
    assert "s3cr3t" not in repr(credentials) and "s3cr3t" not in repr(parsed)


def test_a_dsn_without_a_password_keeps_its_shape() -> None:
    bare, credentials = split_dsn_credentials("mysql://reader@10.0.0.5/crm")
    assert credentials is None and bare == "mysql://reader@10.0.0.5:3306/crm"


@pytest.mark.parametrize("dsn", [
    "", "postgresql://", "postgresql:///db", "postgresql://u@/db", "postgresql://u@h1,h2/db",
    "postgresql://u@h/db?host=/var/run/postgresql", "postgresql://u@h/db?hostaddr=10.0.0.1",
    "postgresql://u@h/db?sslmode=bogus", "postgresql://u:a@h/db?password=b", "mysql://u@h/db?sslmode=require",
    "mysql://u@h:0/db", "mysql://u@h:x/db", "mysql://u@h", "sqlite://relative/x.db", "sqlite:///a\x00b",
    "postgresql://u@h/" + "d" * 200, "postgresql://u\n@h/db", "redis://u@h/0", "-postgresql://u@h/db",
])
def test_malformed_or_unsafe_dsns_are_refused(dsn: str) -> None:
    with pytest.raises(InvalidRequestError):
        split_dsn_credentials(dsn)


def test_error_messages_never_quote_the_dsn() -> None:
    with pytest.raises(InvalidRequestError) as caught:
        parse_dsn("postgresql://u:s3cr3t@h1,h2/db")
    assert "s3cr3t" not in str(caught.value)
