"""Classes of secrets from issue 15's eighth round, each with values that must be found and look-alikes that
must not alert.

Written from public descriptions: the Telegram Bot API docs (a bot token is `<bot id>:AA…`, and every
request is `https://api.telegram.org/bot<token>/METHOD`), PSK as the pre-shared key of IPsec/IKE, WireGuard
and WPA, Pusher Channels' docs (the app key goes into every browser client, only the app secret is
private), and the documented default credentials of database services (the postgres image's superuser,
used as the throwaway password of GitHub's and GitLab's CI service-container examples; MinIO's
`minioadmin`). Every value is made up here.
"""

from __future__ import annotations

import random
import string

import pytest

from services.detection import scan_text

ACTIONABLE = 0.5
ALNUM = string.ascii_letters + string.digits
URLSAFE = ALNUM + "_-"
HEX = "0123456789abcdef"


def rnd(alphabet: str, length: int, salt: str = "") -> str:
    """A random-looking string, the same on every run."""
    generator = random.Random(f"{alphabet}|{length}|{salt}")
    return "".join(generator.choice(alphabet) for _ in range(length))


def alerts(text: str, path: str | None = None) -> list[str]:
    """Types of the actionable findings in `text`."""
    return [f.type for f in scan_text(text, path=path) if f.confidence >= ACTIONABLE]


BOT_TOKEN = f"{rnd(string.digits[1:], 1)}{rnd(string.digits, 9)}:AA{rnd(URLSAFE, 33)}"


@pytest.mark.parametrize("line", [
    f'curl -s -X POST "https://api.telegram.org/bot{BOT_TOKEN}/sendMessage" -d chat_id=42 -d text=ok',
    f"wget -qO- https://api.telegram.org/bot{BOT_TOKEN}/getUpdates",
    f'url = "https://api.telegram.org/bot{BOT_TOKEN}/sendDocument"',
])
def test_telegram_bot_token_in_a_bot_api_url_is_found(line: str) -> None:
    assert "secret.generic" in alerts(line + "\n", "ops/notify.sh")


@pytest.mark.parametrize("line", [
    "curl https://api.telegram.org/bot<token>/sendMessage",
    f"curl https://api.telegram.org/bot{BOT_TOKEN[:20]}/getMe",  # cut short: not a token's length
    f"robot{BOT_TOKEN}",  # glued to a word that is not the URL's /bot
])
def test_not_a_telegram_bot_token(line: str) -> None:
    assert alerts(line + "\n", "ops/notify.sh") == []


@pytest.mark.parametrize("text, path", [
    (f'vpn:\n  server: vpn.example.org\n  psk: "{rnd(ALNUM, 44, "a")}"\n', "ops/vpn.yaml"),
    (f"WG_PSK={rnd(ALNUM, 40, 'b')}\n", ".env"),
    (f'ipsec_psk = "{rnd(ALNUM, 32, "c")}"\n', "terraform/vpn.tf"),
    (f"tunnel1_psk: {rnd(ALNUM, 32, 'd')}\n", "group_vars/vpn.yml"),
])
def test_pre_shared_key_is_found(text: str, path: str) -> None:
    assert alerts(text, path) == ["secret.generic"]


@pytest.mark.parametrize("text, path", [
    ('vpn:\n  psk: "${VPN_PSK}"\n', "ops/vpn.yaml"),  # a reference, not the key
    (f"psk_id: {rnd(ALNUM, 24, 'e')}\n", "ops/vpn.yaml"),  # what the key is about, not the key
    ("psk_file: /etc/ipsec.d/site-a.psk\n", "ops/vpn.yaml"),
    (f"upskill_level: {rnd(ALNUM, 24, 'f')}\n", "config.yml"),  # psk inside another word
    ("psk: home-office-vpn-tunnel\n", "ops/vpn.yaml"),  # words, not a generated key
])
def test_not_a_pre_shared_key(text: str, path: str) -> None:
    assert alerts(text, path) == []


@pytest.mark.parametrize("line", [
    f"PUSHER_APP_SECRET={rnd(HEX, 20, 'g')}",
    f'pusherSecret: "{rnd(HEX, 20, "h")}"',
    f"'secret' => env('PUSHER_APP_SECRET', '{rnd(HEX, 20, 'i')}'),",
])
def test_pusher_app_secret_is_found(line: str) -> None:
    assert "secret.generic" in alerts(line + "\n", ".env")


@pytest.mark.parametrize("line", [
    f"PUSHER_APP_KEY={rnd(HEX, 20, 'j')}",
    f"MIX_PUSHER_APP_KEY={rnd(HEX, 20, 'k')}",
    f"VITE_PUSHER_APP_KEY={rnd(HEX, 20, 'l')}",
    f'pusherKey: "{rnd(HEX, 20, "m")}",',
    f"PUSHER_KEY={rnd(HEX, 20, 'n')}",
])
def test_pusher_app_key_is_public(line: str) -> None:
    assert alerts(line + "\n", ".env") == []


@pytest.mark.parametrize("text, path", [
    ('services:\n  postgres:\n    env:\n      POSTGRES_PASSWORD: "postgres"\n', ".github/workflows/ci.yml"),
    ("variables:\n  POSTGRES_PASSWORD: postgres\n", ".gitlab-ci.yml"),
    ("MINIO_ROOT_PASSWORD=minioadmin\n", ".env"),
])
def test_documented_default_database_password_is_no_alert(text: str, path: str) -> None:
    assert "secret.password" not in alerts(text, path)


@pytest.mark.parametrize("text, path", [
    ('variables:\n  POSTGRES_PASSWORD: "Pg7!vR2qLm9x"\n', ".gitlab-ci.yml"),
    ("MINIO_ROOT_PASSWORD=Mn4#kT8wQz2p\n", ".env"),
    ("POSTGRES_PASSWORD=postgres2026!Xq\n", ".env"),  # the default's word with more: a chosen password
])
def test_chosen_database_password_is_found(text: str, path: str) -> None:
    assert "secret.password" in alerts(text, path)
