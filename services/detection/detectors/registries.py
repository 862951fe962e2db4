"""Package registry tokens: npm, PyPI, RubyGems, NuGet, Clojars, Docker Hub, crates.io, JFrog, Sidekiq.

A publish token lets anyone ship code under the owner's name to everyone who installs it, so these
are critical. npm tokens carry the same CRC32 as GitHub's (npm's 2021 token format): one that passes
is an issued token wherever it is written. Each registry's documented prefix makes the rule specific;
`.npmrc` lines name the registry instead (`//host/:_authToken=…`).
"""

from __future__ import annotations

import base64
import binascii

from services.detection.detector import Detector
from services.detection.detectors.checksums import base62_crc_ok
from services.detection.detectors.code_hosting import GITHUB
from services.detection.detectors.vendor import GENERIC, TOKEN_AFTER, TOKEN_BEFORE, assigned, token
from services.detection.patterns import lazy_regex
from services.results import Severity

CRITICAL = Severity.CRITICAL
NPM = lazy_regex(rf"{TOKEN_BEFORE}(?P<value>npm_[A-Za-z0-9]{{36}}){TOKEN_AFTER}")
# //registry.example.com/:_authToken=<token>, the per-registry credential line of .npmrc
NPMRC_TOKEN = lazy_regex(r"(?i)_authToken[ \t]*=[ \t]*[\"']?(?P<value>[A-Za-z0-9_.=+/-]{20,})(?![\w.=+/-])")


# Docker's config.json (`docker login`, also Podman's auth.json and Kubernetes' .dockerconfigjson):
# `"auths": {"<registry>": {"auth": "<base64 of user:password>"}}`, Docker's documented credential store
# when no helper is set; the decoded password is the secret, and when it is itself a typed token (a GitHub
# PAT for ghcr.io) the finding takes that token's type (the plain password is auth_lines.py's)
DOCKER_AUTH = lazy_regex(r"\"auth\"[ \t]*:[ \t]*\"(?P<value>[A-Za-z0-9+/]{8,1000}={0,2})\"")
DOCKER_REACH = 800  # characters around an "auth" entry within which its file's "auths" object starts


def docker_auth_password(value: str) -> str:
    """The password part of a base64 `user:password` pair ("" when it decodes to anything else)."""
    try:
        decoded = base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return ""
    user, colon, password = decoded.partition(":")
    if not colon or not user or len(password) < 4 or not decoded.isprintable():
        return ""
    return password


def docker_auth_github(value: str) -> bool:
    """A registry login whose password is a GitHub token."""
    return GITHUB.fullmatch(docker_auth_password(value)) is not None


def npm_unverified(value: str) -> bool:
    """An npm_ token whose CRC32 does not match (made up or altered)."""
    return not base62_crc_ok(value)


DETECTORS = (
    Detector("secret.github_token", DOCKER_AUTH, keywords=('"auth"',), context=('"auths"',),
             needs_context=True, window=DOCKER_REACH, validate=docker_auth_github,
             check="Docker config.json registry login (base64 user:token) holding a GitHub token",
             confidence=0.9, name="docker_auth_github_token", vendor="GitHub", severity=CRITICAL,
             prefilter=r'"auth"[ \t]*:[ \t]*"'),
    Detector(GENERIC, NPM, keywords=("npm_",), validate=base62_crc_ok, checksum=True,
             check="npm token prefix, length and CRC32 checksum", confidence=0.99, name="npm_token",
             vendor="npm", severity=CRITICAL),
    Detector(GENERIC, NPM, keywords=("npm_",), validate=npm_unverified, priority=1,
             check="npm token prefix and length; its CRC32 does not match (made up or altered)",
             confidence=0.7, name="npm_token_unverified", vendor="npm", severity=Severity.HIGH),
    Detector(GENERIC, NPMRC_TOKEN, keywords=("_authtoken",),
             check="registry token in an .npmrc _authToken line",
             confidence=0.85, name="npmrc_auth_token", vendor="npm registry", severity=CRITICAL, priority=2),
    # PyPI API tokens are macaroons whose base64 starts with the encoded location "pypi.org"
    token("PyPI", "pypi_token", ("pypi-AgEIcHlwaS5vcmc", "pypi-AgENdGVzdC5weXBpLm9yZw"),
          r"[A-Za-z0-9_-]{50,1000}",
          severity=CRITICAL, check="PyPI token prefix (macaroon for pypi.org)"),
    token("RubyGems", "rubygems_token", ("rubygems_",), r"[a-f0-9]{48}", severity=CRITICAL),
    token("NuGet", "nuget_api_key", ("oy2",), r"[a-z0-9]{43}", severity=CRITICAL),
    token("Clojars", "clojars_token", ("CLOJARS_",), r"[a-z0-9]{60}", severity=CRITICAL),
    token("Docker Hub", "docker_hub_token", ("dckr_pat_", "dckr_oat_"), r"[A-Za-z0-9_-]{27,32}",
          severity=CRITICAL),
    token("crates.io", "crates_io_token", ("cio",), r"[A-Za-z0-9]{32}", severity=CRITICAL,
          confidence=0.6, context=("cargo", "crates", "registry"), context_confidence=0.95),
    token("JFrog Artifactory", "artifactory_api_key", ("AKCp",), r"[A-Za-z0-9]{69}", severity=CRITICAL),
    token("JFrog Artifactory", "artifactory_reference_token", ("cmVmdGtuOjAxOj",), r"[A-Za-z0-9]{50}",
          severity=CRITICAL, check="JFrog reference token (base64 of reftkn:01:)"),
    assigned("JFrog Artifactory", "artifactory_token", ("jfrog", "artifactory", "bintray"),
             r"[A-Za-z0-9]{64}|[A-Za-z0-9]{73}", severity=CRITICAL),
    assigned("Sidekiq", "sidekiq_gems_credentials", ("bundle_enterprise__contribsys__com",
                                                     "bundle_gems__contribsys__com"),
             r"[a-f0-9]{8}:[a-f0-9]{8}", severity=Severity.HIGH, margin=1.0),
)
