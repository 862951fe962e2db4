"""Terraform (HCL2, parsed with python-hcl2): encryption, exposure, IAM, logging, backups, reviews.

All .tf files of a tree are read together, because a bucket's encryption or versioning is often a
separate resource in another file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import hcl2
from hcl2.utils import SerializationOptions
from lark.exceptions import LarkError

from services.scanners.soc2_checks import policies
from services.scanners.soc2_checks.common import (
    Observation,
    ParseError,
    is_literal_secret,
    secret_observation,
)

_OPTIONS = SerializationOptions(with_comments=False, strip_string_quotes=True, preserve_heredocs=False)
_JSONENCODE = re.compile(r"^\$\{jsonencode\((.*)\)\}$", re.DOTALL)
_REFERENCE = re.compile(r"aws_s3_bucket\.([A-Za-z0-9_-]+)")
ADMIN_PORTS = (22, 3389, 3306, 5432, 6379, 9200, 27017)  # ssh, rdp and data stores
OPEN_CIDRS = ("0.0.0.0/0", "::/0")
PUBLIC_ACLS = ("public-read", "public-read-write", "authenticated-read")
MIN_BACKUP_DAYS = 7


@dataclass(frozen=True)
class Resource:
    """One `resource` or `data` block with where it was written."""

    kind: str  # "resource" or "data"
    type: str
    name: str
    body: dict[str, Any]
    path: str
    line: int | None

    @property
    def label(self) -> str:
        """`type.name` as Terraform writes a reference."""
        return f"{self.type}.{self.name}"


@dataclass
class _Tree:
    resources: list[Resource] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)

    def targets(self, resource_type: str,
                accept: Callable[[dict[str, Any]], bool] = lambda b: True) -> set[str]:
        """Names of buckets referenced by resources of `resource_type` whose body passes `accept`."""
        names: set[str] = set()
        for res in self.of_type(resource_type):
            if accept(res.body):
                names.update(_REFERENCE.findall(str(res.body.get("bucket", ""))))
        return names

    def of_type(self, *types: str) -> list[Resource]:
        """Resources of the given types, in file order."""
        return [r for r in self.resources if r.kind == "resource" and r.type in types]


def check_tree(files: list[tuple[Path, str]]) -> tuple[list[Observation], list[tuple[str, str]]]:
    """Check every .tf file together: observations plus (relpath, error) for unparsable files."""
    tree = _Tree()
    for path, relpath in files:
        try:
            tree.resources.extend(parse(path, relpath))
        except ParseError as error:
            tree.errors.append((relpath, str(error)))
    observations: list[Observation] = []
    for rule in _RULES:
        observations.extend(rule(tree))
    return observations, tree.errors


def parse(path: Path, relpath: str) -> list[Resource]:
    """The resource and data blocks of one .tf file."""
    try:
        text = path.read_text(encoding="utf-8")
        document = hcl2.loads(text, serialization_options=_OPTIONS)
    except UnicodeDecodeError:
        raise ParseError("invalid HCL: not UTF-8") from None
    except RecursionError:
        raise ParseError("invalid HCL: nested too deeply") from None
    except (LarkError, ValueError, TypeError) as error:
        # lark's message quotes the unexpected token, which may be a secret: keep the line only
        raise ParseError("invalid HCL", getattr(error, "line", None)) from None
    return list(_blocks(document, text, relpath))


def _blocks(document: dict[str, Any], text: str, relpath: str) -> Iterator[Resource]:
    for kind in ("resource", "data"):
        for group in document.get(kind, []):
            for rtype, named in group.items():
                for name, body in named.items():
                    yield Resource(kind, rtype, name, body, relpath, _line(text, kind, rtype, name))


def _line(text: str, kind: str, rtype: str, name: str) -> int | None:
    # python-hcl2 gives no positions; the block header is unique per type and name in a file
    pattern = re.compile(rf'^\s*{kind}\s+"{re.escape(rtype)}"\s+"{re.escape(name)}"', re.MULTILINE)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _obs(check: str, passed: bool, res: Resource, message: str) -> Observation:
    return Observation(check, passed, res.path, res.line, f"{res.label}: {message}")


def _blocks_of(body: dict[str, Any], name: str) -> list[dict[str, Any]]:
    value = body.get(name, [])
    return [b for b in (value if isinstance(value, list) else [value]) if isinstance(b, dict)]


# --- rules: each reads the whole tree and returns observations ---------------------------------


def _s3_encryption(tree: _Tree) -> list[Observation]:
    covered = tree.targets("aws_s3_bucket_server_side_encryption_configuration")
    return [
        _obs("encryption_at_rest", True, res, "server-side encryption configured")
        if _blocks_of(res.body, "server_side_encryption_configuration") or res.name in covered
        else _obs("encryption_at_rest", False, res, "no server-side encryption configuration")
        for res in tree.of_type("aws_s3_bucket")
    ]


def _s3_versioning(tree: _Tree) -> list[Observation]:
    def enabled(body: dict[str, Any]) -> bool:
        blocks = _blocks_of(body, "versioning_configuration")
        return any(str(b.get("status", "")).lower() == "enabled" for b in blocks)

    covered = tree.targets("aws_s3_bucket_versioning", enabled)
    return [
        _obs("backups", True, res, "versioning enabled")
        if any(b.get("enabled") is True for b in _blocks_of(res.body, "versioning")) or res.name in covered
        else _obs("backups", False, res, "versioning not enabled")
        for res in tree.of_type("aws_s3_bucket")
    ]


def _s3_public(tree: _Tree) -> list[Observation]:
    found = [
        _obs("network_exposure", False, res, f"bucket ACL {res.body['acl']} makes objects public")
        for res in tree.of_type("aws_s3_bucket", "aws_s3_bucket_acl") if res.body.get("acl") in PUBLIC_ACLS
    ]
    flags = ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")
    for res in tree.of_type("aws_s3_bucket_public_access_block"):
        blocked = all(res.body.get(flag) is True for flag in flags)
        found.append(_obs("network_exposure", blocked, res,
                          "all public access blocked" if blocked else "public access not fully blocked"))
    return found


def _databases(tree: _Tree) -> list[Observation]:
    found = []
    for res in tree.of_type("aws_db_instance", "aws_rds_cluster"):
        encrypted = res.body.get("storage_encrypted") is True
        found.append(_obs("encryption_at_rest", encrypted, res,
                          "storage encrypted" if encrypted else "storage_encrypted is not true"))
        days = res.body.get("backup_retention_period")
        kept = isinstance(days, int) and days >= MIN_BACKUP_DAYS
        found.append(_obs("backups", kept, res, f"backup retention {days if days is not None else 'unset'}"
                          f" (at least {MIN_BACKUP_DAYS} days expected)"))
        if res.body.get("publicly_accessible") is True:
            found.append(_obs("network_exposure", False, res, "database is publicly accessible"))
        for key in ("password", "master_password"):
            if is_literal_secret(key, res.body.get(key)):
                found.append(secret_observation(key, res.body[key], res.path, res.line, res.label))
    return found


def _volumes(tree: _Tree) -> list[Observation]:
    return [
        _obs("encryption_at_rest", res.body.get("encrypted") is True, res,
             "volume encrypted" if res.body.get("encrypted") is True else "volume not encrypted")
        for res in tree.of_type("aws_ebs_volume")
    ]


def _security_groups(tree: _Tree) -> list[Observation]:
    found = []
    for res in tree.of_type("aws_security_group"):
        open_rules = [rule for rule in _blocks_of(res.body, "ingress") if _opens_admin_port(rule)]
        found.append(_obs("network_exposure", not open_rules, res,
                          f"{len(open_rules)} ingress rule(s) open an admin or data port to the internet"
                          if open_rules else "no admin or data port open to the internet"))
    for res in tree.of_type("aws_security_group_rule"):
        if res.body.get("type") == "ingress":
            opens = _opens_admin_port(res.body)
            message = "opens an admin or data port to the internet" if opens else \
                "no admin or data port open to the internet"
            found.append(_obs("network_exposure", not opens, res, message))
    return found


def _opens_admin_port(rule: dict[str, Any]) -> bool:
    cidrs = [str(c) for key in ("cidr_blocks", "ipv6_cidr_blocks") for c in (rule.get(key) or [])]
    if not any(c in OPEN_CIDRS for c in cidrs):
        return False
    if str(rule.get("protocol", "")) in ("-1", "all"):
        return True
    low, high = rule.get("from_port"), rule.get("to_port")
    if not isinstance(low, int) or not isinstance(high, int):
        return True  # an unresolved port range may cover anything
    return any(low <= port <= high for port in ADMIN_PORTS)


_POLICY_TYPES = ("aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy")


def _iam(tree: _Tree) -> list[Observation]:
    found = []
    for res in tree.of_type(*_POLICY_TYPES):
        document = _policy_document(res.body.get("policy"))
        if document is not None:
            found.append(policies.policy_observation(document, res.path, res.line, res.label))
    for res in tree.resources:
        if res.kind == "data" and res.type == "aws_iam_policy_document":
            document = {"Statement": _blocks_of(res.body, "statement")}
            found.append(policies.policy_observation(document, res.path, res.line, f"data.{res.label}"))
    return found


def _policy_document(value: Any) -> dict[str, Any] | None:
    text = str(value or "").strip()
    match = _JSONENCODE.match(text)
    try:
        if match:
            parsed = hcl2.loads(f"policy = {match.group(1)}", serialization_options=_OPTIONS)["policy"]
        else:
            parsed = json.loads(text)
    except (LarkError, ValueError, TypeError, KeyError):
        return None  # built from references we cannot resolve: no evidence either way
    return parsed if isinstance(parsed, dict) else None


def _cloudtrail(tree: _Tree) -> list[Observation]:
    trails = tree.of_type("aws_cloudtrail")
    found = []
    for res in trails:
        enabled = res.body.get("enable_logging") is not False
        found.append(_obs("audit_logging", enabled, res,
                          "audit trail enabled" if enabled else "audit trail disabled"))
    uses_aws = any(r.kind == "resource" and r.type.startswith("aws_") for r in tree.resources)
    if uses_aws and not trails:
        found.append(Observation("audit_logging", False, None, None,
                                 "AWS resources are defined but no aws_cloudtrail records API activity"))
    return found


def _listeners(tree: _Tree) -> list[Observation]:
    found = []
    for res in tree.of_type("aws_lb_listener", "aws_alb_listener"):
        protocol = str(res.body.get("protocol", "HTTP")).upper()
        redirects = any(a.get("type") == "redirect" for a in _blocks_of(res.body, "default_action"))
        if protocol in ("HTTPS", "TLS"):
            found.append(_obs("encryption_in_transit", True, res, f"{protocol} listener"))
        elif protocol == "HTTP":
            found.append(_obs("encryption_in_transit", redirects, res, "HTTP listener redirects to HTTPS"
                              if redirects else "plain HTTP listener without a redirect to HTTPS"))
    return found


def _branch_protection(tree: _Tree) -> list[Observation]:
    found = []
    for res in tree.of_type("github_branch_protection", "github_branch_protection_v3"):
        reviews = _blocks_of(res.body, "required_pull_request_reviews")
        count = reviews[0].get("required_approving_review_count", 1) if reviews else 0
        ok = isinstance(count, int) and count >= 1
        found.append(_obs("change_management", ok, res,
                          f"branch protection requires {count} approving review(s)"))
    return found


_RULES: tuple[Callable[[_Tree], list[Observation]], ...] = (
    _s3_encryption, _s3_versioning, _s3_public, _databases, _volumes, _security_groups, _iam,
    _cloudtrail, _listeners, _branch_protection,
)
