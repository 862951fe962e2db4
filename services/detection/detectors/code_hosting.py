"""Code hosting and CI/CD: GitHub, GitLab, Bitbucket, Atlassian and the build, deploy and quality services.

A token of these services reaches source code and pipelines (supply chain), so they are critical.
GitHub tokens since 2021 end in a CRC32 of their random part: one that passes is certainly an
issued token (confidence 0.99, an alert even in documentation); one that fails is made up, altered
or of a pre-2021 format and stays an alert at lower confidence (a typed example in a config is
still a reason to look). Every rule has true and false examples in tests/detection/test_vendor_rules.py.
"""

from __future__ import annotations

from services.detection import ocr
from services.detection.detector import Detector
from services.detection.detectors.checksums import base62_crc_ok
from services.detection.detectors.generic import identifier_like
from services.detection.detectors.vendor import TOKEN_MARGIN, UUID, assigned, random_body, token, uuid_random
from services.detection.patterns import lazy_regex
from services.results import Severity

GITHUB_TYPE = "secret.github_token"
GITLAB_TYPE = "secret.gitlab_token"
CRITICAL = Severity.CRITICAL

GITHUB = lazy_regex(r"(?<![\w])(?P<value>(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{82})"
                    r"(?![\w])")
GITLAB_PREFIXES = ("glpat", "glptt", "gldt", "glrt", "glcbt", "gloas", "glffct", "glft", "glimt", "glagent",
                   "glsoat", "glrtr", "glwt")
GITLAB = lazy_regex(rf"(?<![\w-])(?P<value>(?:{'|'.join(GITLAB_PREFIXES)})-[A-Za-z0-9_-]{{20,}}"
                    r"(?:\.[0-9a-z]{9})?)(?![\w-])")  # routable tokens end in .<2 version><7 base36>


def github_checksum_fails(value: str) -> bool:
    """A classic-format GitHub token whose last six characters are not the CRC32 of the rest."""
    return not value.startswith("github_pat_") and not base62_crc_ok(value)


def github_verified(value: str) -> bool:
    """Fine-grained tokens (no published checksum) and classic tokens that pass the CRC32."""
    return value.startswith("github_pat_") or base62_crc_ok(value)


def gitlab_random(value: str) -> bool:
    """The part after the prefix (before a routable token's `.<version><base36>` tail) looks generated:
    `glpat-tokens-are-documented-here` is prose, `glpat-xxxxxxxxxxxxxxxxxxxx` a filler."""
    body = value.split("-", 1)[1].split(".", 1)[0]
    return not identifier_like(body) and random_body(0, TOKEN_MARGIN)(body)


_GITHUB_KEYWORDS = ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_")

DETECTORS = (
    Detector(GITHUB_TYPE, GITHUB, keywords=_GITHUB_KEYWORDS, validate=github_verified,
             check="GitHub token prefix, length and CRC32 checksum", confidence=0.99, name="github_token",
             vendor="GitHub", checksum=True),
    Detector(GITHUB_TYPE, GITHUB, keywords=_GITHUB_KEYWORDS, validate=github_checksum_fails,
             check="GitHub token prefix and length; its CRC32 does not match (made up, altered or old)",
             confidence=0.7, name="github_token_unverified", vendor="GitHub", severity=Severity.HIGH,
             priority=1),
    Detector(GITLAB_TYPE, GITLAB, keywords=tuple(f"{p}-" for p in GITLAB_PREFIXES), validate=gitlab_random,
             check="GitLab token prefix", confidence=0.95, name="gitlab_token", vendor="GitLab"),
    token("GitLab", "gitlab_runner_registration", ("GR1348941",), r"[A-Za-z0-9_-]{20}", kind=GITLAB_TYPE,
          severity=CRITICAL, check="GitLab runner registration token prefix and length"),
    token("GitLab", "gitlab_session_cookie", ("_gitlab_session=",), r"[0-9a-f]{32}", kind=GITLAB_TYPE,
          severity=Severity.HIGH, check="GitLab session cookie"),
    # Bitbucket app passwords (ATBB…) and Atlassian API tokens (ATATT3…): Atlassian's published prefixes
    token("Bitbucket", "bitbucket_app_password", ("ATBB",), r"[A-Za-z0-9_=.-]{28,40}", severity=CRITICAL),
    token("Atlassian", "atlassian_api_token", ("ATATT3",), r"[A-Za-z0-9_=-]{180,200}", severity=CRITICAL),
    assigned("Bitbucket", "bitbucket_client_secret", ("bitbucket",), r"[A-Za-z0-9_=-]{32,64}",
             severity=CRITICAL),
    assigned("Atlassian", "atlassian_api_token_legacy", ("atlassian", "jira", "confluence"),
             r"[A-Za-z0-9]{24}", severity=CRITICAL),
    # CI/CD
    token("CircleCI", "circleci_personal_token", ("CCIPAT_",), r"[A-Za-z0-9]{22}_[a-f0-9]{40}",
          severity=CRITICAL),
    assigned("CircleCI", "circleci_token", ("circleci", "circle_token", "circle-token"), r"[a-f0-9]{40}",
             severity=CRITICAL),
    token("Buildkite", "buildkite_token", ("bkua_",), r"[a-f0-9]{40}", severity=CRITICAL),
    assigned("Travis CI", "travis_token", ("travis",), r"[A-Za-z0-9]{22}", severity=CRITICAL),
    assigned("Drone CI", "drone_token", ("drone",), r"[A-Za-z0-9]{32}", severity=CRITICAL),
    token("Harness", "harness_token", ("pat.", "sat."),
          r"[A-Za-z0-9_-]{22}\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{20}",
          severity=CRITICAL),
    token("Octopus Deploy", "octopus_api_key", ("API-",), r"[A-Z0-9]{26}", severity=CRITICAL,
          after=r"(?![\w-])"),
    token("SonarQube", "sonar_token", ("sqp_", "squ_", "sqa_"), r"[a-f0-9]{40}", severity=Severity.HIGH),
    assigned("SonarQube", "sonar_token_legacy", ("sonar_token", "sonar.token", "sonar_login", "sonar.login",
                                                "sonar-token", "sonartoken"),
             r"[a-z0-9]{40}", severity=Severity.HIGH),
    assigned("Snyk", "snyk_token", ("snyk",), UUID, validate=uuid_random, severity=Severity.HIGH),
    assigned("Codecov", "codecov_token", ("codecov",), rf"{UUID}|[a-f0-9]{{32}}", severity=Severity.HIGH,
             validate=uuid_random),
    token("Sourcegraph", "sourcegraph_token", ("sgp_",), r"(?:[a-f0-9]{16}_|local_)?[a-f0-9]{40}",
          severity=CRITICAL),
    token("Infracost", "infracost_token", ("ico-",), r"[A-Za-z0-9]{32}", severity=Severity.HIGH),
    token("Postman", "postman_api_key", ("PMAK-",), r"[a-f0-9]{24}-[a-f0-9]{34}", severity=Severity.HIGH),
    token("Prefect", "prefect_api_key", ("pnu_",), r"[A-Za-z0-9]{36}", severity=Severity.HIGH),
    token("ReadMe", "readme_api_key", ("rdme_",), r"[a-z0-9]{70}", severity=Severity.HIGH),
    token("Linear", "linear_api_key", ("lin_api_",), r"[A-Za-z0-9]{40}", severity=Severity.HIGH),
    token("Linear", "linear_oauth_token", ("lin_oauth_",), r"[a-f0-9]{64}", severity=Severity.HIGH),
    token("Netlify", "netlify_token", ("nfp_",), r"[A-Za-z0-9]{36}", severity=CRITICAL),
    assigned("Netlify", "netlify_token_legacy", ("netlify",), r"[A-Za-z0-9_-]{40,46}", severity=CRITICAL),
    token("Vercel", "vercel_token", ("vcp_", "vci_", "vca_", "vcr_", "vck_"), r"[A-Za-z0-9]{56}",
          severity=CRITICAL),
    assigned("Vercel", "vercel_token_legacy", ("vercel",), r"[A-Za-z0-9]{24}", severity=CRITICAL),
    token("Render", "render_api_key", ("rnd_",), r"[A-Za-z0-9]{32}", severity=CRITICAL),
    token("Frame.io", "frameio_token", ("fio-u-",), r"[A-Za-z0-9_=-]{64}", severity=Severity.HIGH),
)

OCR_DETECTORS = (
    *(ocr.tolerant(GITHUB_TYPE, ocr.fuzzy(f"{prefix}_"), f"{prefix}_", ocr.ALNUM, 36, 36,
                   before=r"(?<![\w])", check="GitHub token prefix and length", confidence=0.85,
                   name="github_token") for prefix in ("ghp", "gho", "ghu", "ghs", "ghr")),
    *(ocr.tolerant(GITLAB_TYPE, ocr.fuzzy(f"{prefix}-"), f"{prefix}-", ocr.URLSAFE, 20, 64,
                   check="GitLab token prefix", confidence=0.85, name="gitlab_token")
      for prefix in ("glpat", "glptt", "gldt", "glrt", "glcbt", "gloas")),
)
