"""Classes of secrets from issue 15's fifth round, each with values that must be found and look-alikes that
must not alert.

Written from public descriptions: the MySQL client's `-p<password>` option and POSIX shell quoting (no
expansion inside single quotes), OWASP's password-storage cheat sheet (a pepper is a secret key), Microsoft's
Application Insights documentation (an instrumentation key is not a secret), Stripe's and Svix's webhook
signing secrets (both `whsec_`), and common placeholder spellings. Every value is made up here.
"""

from __future__ import annotations

import random
import string

import pytest

from services.detection import scan_text

ACTIONABLE = 0.5
ALNUM = string.ascii_letters + string.digits


def rnd(length: int, salt: str) -> str:
    """A random-looking string, the same on every run."""
    generator = random.Random(f"{length}|{salt}")
    return "".join(generator.choice(ALNUM) for _ in range(length))


def alerts(text: str) -> list[str]:
    """Types of the actionable findings in `text`."""
    return [f.type for f in scan_text(text) if f.confidence >= ACTIONABLE]


PW = rnd(6, "a") + "$" + rnd(6, "b")  # a `$` inside, as generated passwords have


@pytest.mark.parametrize(("text", "kind"), [
    (f"mysql -u root -p'{PW}' -e 'FLUSH LOGS'\n", "secret.password"),
    (f"mysqldump -uroot -p'{PW}' shop > /backup/shop.sql\n", "secret.password"),
    (f'pepper = "{rnd(32, "pepper")}"\n', "secret.generic"),
    (f'HASH_PEPPER: "{rnd(40, "hash")}"\n', "secret.generic"),
    (f"const SIGNING_SECRET = 'whsec_{rnd(32, 'svix')}';\n", "secret.generic"),
    (f"STRIPE_WEBHOOK_SECRET=whsec_{rnd(32, 'stripe')}\n", "secret.stripe_key"),
])
def test_found(text: str, kind: str) -> None:
    assert kind in alerts(text)


@pytest.mark.parametrize("text", [
    'mariadb -h db -u app -p"$DB_PASSWORD" shop\n',
    "mysql --user=root -p${MYSQL_ROOT_PASSWORD} shop\n",
    "curl -u deploy:$(cat /run/secrets/upload) https://files.example.nl/upload\n",
    "mysql -u root -p shop\n",
    "docker run mysql:8 -p3306:3306\n",
    'peppermint_colour = "rgb(10, 20, 30)"\n',
    '"InstrumentationKey": "731d162c-7206-4cab-a620-39e60ed39522"\n',
    'APPINSIGHTS_INSTRUMENTATIONKEY=5f1e0c2a-77d4-4e58-9b1a-0c6f3e2d9a41\n',
    'variable "db_password" {\n  default = "REPLACE_ME"\n}\n',
    'password = "fill_me_in"\n',
    'PasswordField = "wachtwoord"\n',
    'password: "Passwort"\n',
    "mot_de_passe = 'motdepasse'\n",
])
def test_not_alerted(text: str) -> None:
    assert not [k for k in alerts(text) if k.startswith("secret.")]


def test_whsec_is_stripe_only_where_stripe_is_named() -> None:
    value = f"whsec_{rnd(32, 'either')}"
    assert alerts(f"SVIX_SIGNING_SECRET={value}\n") == ["secret.generic"]
    assert alerts(f"stripe.Webhook.construct_event(payload, sig, '{value}')\n") == ["secret.stripe_key"]
