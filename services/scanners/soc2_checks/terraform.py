"""Terraform read as Terraform: modules, their calls and defaults, then rules per module instance.

All .tf files of a tree are parsed (hcl.py), grouped into module directories and instantiated from
every root with its defaults and every local module call with its arguments (tf_modules.py). Rules
then read each resource in each instance (tf_resources.py): the database rules of tf_databases.py
and the storage, network, IAM, logging, listener and branch-protection rules below. A setting the
tree does not decide is "not assessed", never failed; a finding points where the deciding value
was written (an example's module call, a variable default, the resource itself).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from services.scanners.soc2_checks import policies, tf_databases
from services.scanners.soc2_checks.common import SECRET_KEY, Observation, ParseError, secret_observation
from services.scanners.soc2_checks.hcl import TfFile, parse_file
from services.scanners.soc2_checks.hcl_eval import Value, unknown
from services.scanners.soc2_checks.tf_modules import (
    ExternalCall,
    Instance,
    Modules,
    build,
    created,
    iteration_scope,
)
from services.scanners.soc2_checks.tf_resources import Resource, context, observe

ADMIN_PORTS = (22, 3389, 3306, 5432, 6379, 9200, 27017)  # ssh, rdp and data stores
OPEN_CIDRS = ("0.0.0.0/0", "::/0")
PUBLIC_ACLS = ("public-read", "public-read-write", "authenticated-read")
S3_FLAGS = ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")
POLICY_TYPES = ("aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy")
# attribute names that hold a credential, but not ids, ARNs, names or switches about one
NOT_A_SECRET = re.compile(r"(_id|_ids|_arn|_name|_version|_enabled|_length|_type|_count|_rotation\w*|_wo)$")
SAMPLE_DIRS = frozenset({"examples", "example", "samples", "test", "tests", "testing", "fixtures", "docs"})
SAMPLE_CONFIDENCE = 0.3  # as the code scanner weighs secrets in tests and examples
# registry modules whose arguments are named as the resource they build: their calls are read as one
REGISTRY_FAMILIES = (
    (re.compile(r"(^|/)terraform-aws-modules/rds/aws(//.*)?$"), "aws_db_instance"),
    (re.compile(r"(^|/)terraform-aws-modules/rds-aurora/aws(//.*)?$"), "aws_rds_cluster"),
    (re.compile(r"terraform-aws-rds(\.git)?(//modules/db_instance)?([?].*)?$"), "aws_db_instance"),
)


@dataclass
class TerraformEvidence:
    """What the Terraform of a tree showed: observations, unreadable files, modules not in the tree."""

    observations: list[Observation] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    modules_not_read: list[dict[str, Any]] = field(default_factory=list)


def check_tree(files: list[tuple[Path, str]]) -> TerraformEvidence:
    """Check every .tf file of a tree together."""
    evidence = TerraformEvidence()
    parsed: list[TfFile] = []
    for path, relpath in files:
        try:
            parsed.append(parse_file(path, relpath))
        except ParseError as error:
            evidence.errors.append((relpath, str(error)))
    modules = build(parsed)
    evidence.errors.extend(modules.errors)
    resources = list(_resources(modules))
    found: list[Observation] = []
    for resource in resources:
        found.extend(tf_databases.resource_observations(resource))
        found.extend(_secrets(resource))
    for instance_resources in _by_instance(resources).values():
        for rule in _INSTANCE_RULES:
            found.extend(rule(instance_resources))
    for instance in modules.instances:
        found.extend(_policy_data_sources(instance))
    found.extend(_cloudtrail(resources))
    evidence.observations = _deduplicated(found)
    evidence.modules_not_read = [_not_read(call) for call in modules.external
                                 if _registry_type(call.source) is None]
    return evidence


def _resources(modules: Modules) -> Iterator[Resource]:
    for instance in modules.instances:
        for block in instance.module.resources:
            if created(block, instance.scope):
                scope = iteration_scope(block, instance.scope)
                yield Resource(block, scope, True, instance, block.labels[0], instance.label(block))
    for call in modules.external:
        resource_type = _registry_type(call.source)
        if resource_type is not None:
            yield _registry_resource(call, resource_type)


def _registry_type(source: str) -> str | None:
    return next((rtype for pattern, rtype in REGISTRY_FAMILIES if pattern.search(source)), None)


def _registry_resource(call: ExternalCall, resource_type: str) -> Resource:
    # the call's own arguments are evidence; what it leaves to the module's defaults is not in the tree
    address = f"{call.instance.address}.module.{call.block.labels[0]}".lstrip(".")
    return Resource(call.block, call.instance.scope, False, call.instance, resource_type,
                    f"{address} ({call.source})")


def _not_read(call: ExternalCall) -> dict[str, Any]:
    return {"path": call.block.path, "line": call.block.line, "module": call.block.labels[0],
            "source": call.source[:200]}


def _by_instance(resources: list[Resource]) -> dict[int, list[Resource]]:
    groups: dict[int, list[Resource]] = {}
    for resource in resources:
        if resource.defaults_known:
            groups.setdefault(id(resource.instance), []).append(resource)
    return groups


def _deduplicated(observations: list[Observation]) -> list[Observation]:
    # one module read through several examples gives the same verdict at the same default many times
    seen: dict[tuple[Any, ...], Observation] = {}
    for obs in observations:
        seen.setdefault((obs.check, obs.rule, obs.status, obs.path, obs.line), obs)
    return list(seen.values())


def _of_type(resources: list[Resource], *types: str) -> list[Resource]:
    return [r for r in resources if r.type in types]


# --- secrets ------------------------------------------------------------------------------------


def _secrets(resource: Resource) -> Iterator[Observation]:
    """Credentials written as literals, where the literal was written (an example, a default)."""
    for name in resource.block.attrs:
        if not SECRET_KEY.search(name) or NOT_A_SECRET.search(name):
            continue
        value = resource.value(name)
        where = value.written_at
        if value.known and isinstance(value.data, str) and value.data.strip() and where is not None:
            obs = secret_observation(name, value.data, where.path, where.line, resource.label)
            sample = _in_samples(where.path)
            yield Observation(obs.check, False, obs.path, obs.line, obs.message,
                              rule="terraform_literal_secret",
                              context=context(resource), severity="low" if sample else None,
                              confidence=SAMPLE_CONFIDENCE if sample else None)


def _in_samples(path: str) -> bool:
    """True for examples, tests and docs: literals there are usually samples (still reported, lower)."""
    return any(part.lower() in SAMPLE_DIRS for part in path.split("/")[:-1])


# --- S3, EBS ------------------------------------------------------------------------------------


def _bucket_targets(resources: list[Resource], rtype: str, accept: Callable[[Resource], bool]) -> set[str]:
    """Names of buckets that resources of `rtype` passing `accept` point at (bucket = aws_s3_bucket.x.id)."""
    names = set()
    for res in _of_type(resources, rtype):
        reference = res.reference("bucket")
        if reference.startswith("aws_s3_bucket.") and accept(res):
            names.add(reference.split(".")[1])
    return names


def _s3_encryption(resources: list[Resource]) -> Iterator[Observation]:
    covered = _bucket_targets(resources, "aws_s3_bucket_server_side_encryption_configuration", lambda r: True)
    for res in _of_type(resources, "aws_s3_bucket"):
        inline = res.blocks("server_side_encryption_configuration")
        ok = bool(inline) or res.block.labels[1] in covered
        yield observe("encryption_at_rest", "aws_s3_encryption", res, Value(ok, res.at_block()),
                      None if inline is None else ok,
                      "server-side encryption configured" if ok else "no server-side encryption configured")


def _versioning_enabled(res: Resource) -> bool:
    blocks = res.blocks("versioning_configuration") or []
    return any(str(b.value("status").data).lower() == "enabled" for b in blocks)


def _s3_versioning(resources: list[Resource]) -> Iterator[Observation]:
    covered = _bucket_targets(resources, "aws_s3_bucket_versioning", _versioning_enabled)
    for res in _of_type(resources, "aws_s3_bucket"):
        inline = any(b.value("enabled").data is True for b in res.blocks("versioning") or [])
        ok = inline or res.block.labels[1] in covered
        yield observe("backups", "aws_s3_versioning", res, Value(ok, res.at_block()), ok,
                      "versioning enabled" if ok else "versioning not enabled")


def _s3_public(resources: list[Resource]) -> Iterator[Observation]:
    for res in _of_type(resources, "aws_s3_bucket", "aws_s3_bucket_acl"):
        acl = res.value("acl")
        if not res.has("acl") or (acl.known and acl.data not in PUBLIC_ACLS):
            continue
        yield observe("network_exposure", "aws_s3_public_acl", res, acl, False if acl.known else None,
                      f"bucket ACL {acl.data} makes objects public" if acl.known else "bucket ACL")
    for res in _of_type(resources, "aws_s3_bucket_public_access_block"):
        values = [res.value(flag, False) for flag in S3_FLAGS]
        pending = next((v for v in values if not v.known), None)
        blocked = all(v.data is True for v in values)
        decisive = pending or next((v for v in values if v.data is not True), values[0])
        yield observe("network_exposure", "aws_s3_public_access_block", res, decisive,
                      None if pending else blocked,
                      "all public access blocked" if blocked else "public access not fully blocked")


def _volumes(resources: list[Resource]) -> Iterator[Observation]:
    for res in _of_type(resources, "aws_ebs_volume"):
        value = res.value("encrypted", False)
        ok = value.data is True
        yield observe("encryption_at_rest", "aws_ebs_encrypted", res, value, ok if value.known else None,
                      "volume encrypted" if ok else "volume not encrypted")


# --- network ------------------------------------------------------------------------------------


def _security_groups(resources: list[Resource]) -> Iterator[Observation]:
    for res in _of_type(resources, "aws_security_group"):
        rules = res.blocks("ingress")
        if rules is None:
            yield observe("network_exposure", "aws_sg_admin_ports", res, unknown(res.at_block(),
                                                                                 "dynamic ingress"),
                          None, "ingress rules")
            continue
        verdicts = [_opens_admin_port(rule) for rule in rules]
        opened = [v for v in verdicts if v[0] is True]
        pending = [v for v in verdicts if v[0] is None]
        decisive = (opened or pending or [(False, Value(False, res.at_block()))])[0][1]
        passed = False if opened else (None if pending else True)
        yield observe("network_exposure", "aws_sg_admin_ports", res, decisive, passed,
                      f"{len(opened)} ingress rule(s) open an admin or data port to the internet" if opened
                      else "no admin or data port open to the internet")
    for res in _of_type(resources, "aws_security_group_rule"):
        if res.value("type").data == "ingress":
            opens, value = _opens_admin_port(res)
            yield observe("network_exposure", "aws_sg_admin_ports", res, value,
                          None if opens is None else not opens,
                          "opens an admin or data port to the internet" if opens
                          else "no admin or data port open to the internet")


def _opens_admin_port(rule: Any) -> tuple[bool | None, Value]:
    """(True / False / None when undecided, the value that decided) for one ingress rule."""
    cidr_values = [rule.value(key, []) for key in ("cidr_blocks", "ipv6_cidr_blocks")]
    cidrs = [c for v in cidr_values if v.known for c in (v.data or [])]
    open_value = next((v for v in cidr_values if v.known and any(c in OPEN_CIDRS for c in v.data or [])),
                      None)
    if open_value is None:
        pending = next((v for v in cidr_values if not v.known), None)
        if pending is not None or any(not isinstance(c, str) for c in cidrs):
            return None, pending or cidr_values[0]
        return False, cidr_values[0]
    protocol = rule.value("protocol", "")
    if protocol.known and str(protocol.data) in ("-1", "all"):
        return True, open_value
    low, high = rule.value("from_port"), rule.value("to_port")
    if not (low.known and high.known) or not all(isinstance(v.data, int) for v in (low, high)):
        return True, open_value  # an unresolved port range open to the world may cover anything
    return any(low.data <= port <= high.data for port in ADMIN_PORTS), open_value


# --- IAM ----------------------------------------------------------------------------------------


def _iam(resources: list[Resource]) -> Iterator[Observation]:
    for res in _of_type(resources, *POLICY_TYPES):
        value = res.value("policy")
        document = _policy_document(value.data) if value.known else None
        if document is not None:
            obs = policies.policy_observation(document, value.origin.path, value.origin.line, res.label)
            yield Observation(obs.check, obs.passed, obs.path, obs.line, obs.message, rule="aws_iam_wildcard",
                              context=context(res))


def _policy_document(data: Any) -> dict[str, Any] | None:
    if isinstance(data, dict):
        return data
    try:
        parsed = json.loads(str(data))
    except (ValueError, TypeError, RecursionError):
        return None
    return parsed if isinstance(parsed, dict) else None


# --- logging, listeners, change management ------------------------------------------------------


def _cloudtrail(resources: list[Resource]) -> Iterator[Observation]:
    trails = _of_type(resources, "aws_cloudtrail")
    for res in trails:
        value = res.value("enable_logging", True)
        enabled = value.data is not False
        yield observe("audit_logging", "aws_cloudtrail_enabled", res, value, enabled if value.known else None,
                      "audit trail enabled" if enabled else "audit trail disabled")
    if not trails and any(r.type.startswith("aws_") for r in resources):
        # the trail is often an account-level resource kept elsewhere: absent here is no evidence of absence
        yield Observation("audit_logging", False, None, None,
                          "AWS resources are defined but no aws_cloudtrail in this tree records API activity",
                          assessed=False, rule="aws_cloudtrail_enabled")


def _listeners(resources: list[Resource]) -> Iterator[Observation]:
    for res in _of_type(resources, "aws_lb_listener", "aws_alb_listener"):
        protocol = res.value("protocol", "HTTP")
        if not protocol.known:
            yield observe("encryption_in_transit", "aws_lb_https", res, protocol, None, "listener protocol")
            continue
        name = str(protocol.data).upper()
        actions = res.blocks("default_action") or []
        redirects = any(a.value("type").data == "redirect" for a in actions)
        if name in ("HTTPS", "TLS"):
            yield observe("encryption_in_transit", "aws_lb_https", res, protocol, True, f"{name} listener")
        elif name == "HTTP":
            yield observe("encryption_in_transit", "aws_lb_https", res, protocol, redirects,
                          "HTTP listener redirects to HTTPS" if redirects
                          else "plain HTTP listener without a redirect to HTTPS")


def _branch_protection(resources: list[Resource]) -> Iterator[Observation]:
    for res in _of_type(resources, "github_branch_protection", "github_branch_protection_v3"):
        reviews = res.blocks("required_pull_request_reviews") or []
        count = reviews[0].value("required_approving_review_count", 1) if reviews else Value(0,
                                                                                             res.at_block())
        ok = isinstance(count.data, int) and count.data >= 1
        shown = count.data if count.known else "some"
        yield observe("change_management", "github_required_reviews", res, count, ok if count.known else None,
                      f"branch protection requires {shown} approving review(s)")


def _policy_data_sources(instance: Instance) -> Iterator[Observation]:
    for block in instance.module.data:
        if block.labels[0] != "aws_iam_policy_document" or not created(block, instance.scope):
            continue
        res = Resource(block, iteration_scope(block, instance.scope), True, instance, block.labels[0],
                       f"data.{instance.label(block)}")
        statements = res.blocks("statement")
        if statements is None:
            continue
        document = {"Statement": [{key: s.value(key).data for key in ("effect", "actions", "not_actions",
                                                                      "resources") if s.has(key)}
                                  for s in statements]}
        obs = policies.policy_observation(document, block.path, block.line, res.label)
        yield Observation(obs.check, obs.passed, obs.path, obs.line, obs.message, rule="aws_iam_wildcard",
                          context=context(res))


_INSTANCE_RULES: tuple[Callable[[list[Resource]], Iterator[Observation]], ...] = (
    _s3_encryption, _s3_versioning, _s3_public, _volumes, _security_groups, _iam,
    _listeners, _branch_protection, tf_databases.azure_server_policies,
)
