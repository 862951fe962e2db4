"""GitHub and GitLab tokens: fixed prefixes make them exact."""

from __future__ import annotations

import re

from services.detection import ocr
from services.detection.detector import Detector

GITHUB = re.compile(r"(?<![\w])(?P<value>(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{82})"
                    r"(?![\w])")
GITLAB = re.compile(r"(?<![\w-])(?P<value>(?:glpat|glptt|gldt|glrt|glcbt|gloas)-[A-Za-z0-9_-]{20,})(?![\w-])")

DETECTORS = (
    Detector("secret.github_token", GITHUB, keywords=("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
             check="GitHub token prefix and length", confidence=0.97, name="github_token"),
    Detector("secret.gitlab_token", GITLAB, keywords=("glpat-", "glptt-", "gldt-", "glrt-", "glcbt-",
                                                                "gloas-"),
             check="GitLab token prefix", confidence=0.95, name="gitlab_token"),
)

OCR_DETECTORS = (
    *(ocr.tolerant("secret.github_token", ocr.fuzzy(f"{prefix}_"), f"{prefix}_", ocr.ALNUM, 36, 36,
                   before=r"(?<![\w])", check="GitHub token prefix and length", confidence=0.85,
                   name="github_token") for prefix in ("ghp", "gho", "ghu", "ghs", "ghr")),
    *(ocr.tolerant("secret.gitlab_token", ocr.fuzzy(f"{prefix}-"), f"{prefix}-", ocr.URLSAFE, 20, 64,
                   check="GitLab token prefix", confidence=0.85, name="gitlab_token")
      for prefix in ("glpat", "glptt", "gldt", "glrt", "glcbt", "gloas")),
)
