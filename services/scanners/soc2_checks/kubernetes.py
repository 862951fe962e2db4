"""Kubernetes manifests (multi-document YAML): RBAC wildcards, pod hardening, env secrets, TLS."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from services.scanners.soc2_checks.common import (
    Observation,
    is_literal_secret,
    literal_wildcard,
    mapping,
    mappings,
    secret_observation,
)
from services.scanners.soc2_checks.loaders import line_of, load_yaml_documents

WORKLOAD_KINDS = ("Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob")
PRIVILEGED_ROLES = ("cluster-admin",)


def check(path: Path, relpath: str) -> list[Observation]:
    """Check every Kubernetes object in a YAML file; other YAML gives no observations."""
    found: list[Observation] = []
    for document in load_yaml_documents(path):
        for obj in _objects(document):
            found.extend(_check_object(obj, relpath))
    return found


def _objects(document: Any) -> Iterator[dict[str, Any]]:
    if not isinstance(document, dict) or "kind" not in document or "apiVersion" not in document:
        return
    if document["kind"] == "List":  # `kubectl get -o yaml` output wraps objects in a List
        yield from mappings(document.get("items"))
    else:
        yield document


def _check_object(obj: dict[str, Any], relpath: str) -> list[Observation]:
    kind = str(obj.get("kind"))
    name = f"{kind}/{mapping(obj.get('metadata')).get('name', '?')}"
    if kind in ("Role", "ClusterRole"):
        return [_rbac(obj, relpath, name)]
    if kind in ("RoleBinding", "ClusterRoleBinding"):
        return _binding(obj, relpath, name)
    if kind == "Secret":
        return _secret(obj, relpath, name)
    if kind == "Ingress":
        return [_ingress(obj, relpath, name)]
    if kind in WORKLOAD_KINDS:
        return _workload(obj, relpath, name)
    return []


def _rbac(obj: dict[str, Any], relpath: str, name: str) -> Observation:
    rules = mappings(obj.get("rules"))
    wild = [r for r in rules if any(literal_wildcard(r.get(k)) for k in ("verbs", "resources", "apiGroups"))
            and (literal_wildcard(r.get("verbs")) or literal_wildcard(r.get("resources")))]
    line = line_of(wild[0] if wild else obj)
    if wild:
        return Observation("least_privilege", False, relpath, line,
                           f"{name} grants wildcard verbs or resources")
    return Observation("least_privilege", True, relpath, line, f"{name} lists explicit verbs and resources")


def _binding(obj: dict[str, Any], relpath: str, name: str) -> list[Observation]:
    role = mapping(obj.get("roleRef")).get("name")
    if role in PRIVILEGED_ROLES:
        return [Observation("least_privilege", False, relpath, line_of(obj), f"{name} binds {role}")]
    return []


def _secret(obj: dict[str, Any], relpath: str, name: str) -> list[Observation]:
    # a Secret manifest with values is a credential committed to the tree, whatever its key names
    values = {**mapping(obj.get("data")), **mapping(obj.get("stringData"))}
    if not values:
        return []
    line = line_of(obj, key="stringData" if obj.get("stringData") else "data")
    return [Observation("secrets_in_config", False, relpath, line,
                        f"{name} commits {len(values)} secret value(s) to the tree")]


def _ingress(obj: dict[str, Any], relpath: str, name: str) -> Observation:
    tls = mapping(obj.get("spec")).get("tls")
    return Observation("encryption_in_transit", bool(tls), relpath, line_of(obj),
                       f"{name} terminates TLS" if tls else f"{name} has no TLS section")


def _pod_spec(obj: dict[str, Any]) -> dict[str, Any]:
    spec = mapping(obj.get("spec"))
    if obj.get("kind") == "CronJob":
        spec = mapping(mapping(spec.get("jobTemplate")).get("spec"))
    if obj.get("kind") != "Pod":
        spec = mapping(mapping(spec.get("template")).get("spec"))
    return spec


def _workload(obj: dict[str, Any], relpath: str, name: str) -> list[Observation]:
    pod = _pod_spec(obj)
    containers = [c for key in ("initContainers", "containers") for c in mappings(pod.get(key))]
    found = [_host_namespaces(pod, relpath, name, line_of(obj))]
    for container in containers:
        label = f"{name} container {container.get('name', '?')}"
        found.append(_hardening(pod, container, relpath, label))
        found.append(_image_pin(container, relpath, label))
        found.extend(_env(container, relpath, label))
    return found


def _host_namespaces(pod: dict[str, Any], relpath: str, name: str, line: int | None) -> Observation:
    shared = [key for key in ("hostNetwork", "hostPID", "hostIPC") if pod.get(key) is True]
    if shared:
        line = line_of(pod, line, key=shared[0])
    return Observation("container_hardening", not shared, relpath, line,
                       f"{name} shares host namespaces ({', '.join(shared)})" if shared
                       else f"{name} uses its own namespaces")


def _hardening(pod: dict[str, Any], container: dict[str, Any], relpath: str, label: str) -> Observation:
    context = mapping(container.get("securityContext"))
    pod_context = mapping(pod.get("securityContext"))
    line = line_of(container)
    if context.get("privileged") is True:
        return Observation("container_hardening", False, relpath, line, f"{label} runs privileged")
    non_root = context.get("runAsNonRoot", pod_context.get("runAsNonRoot")) is True
    return Observation("container_hardening", non_root, relpath, line,
                       f"{label} runs as non-root" if non_root else f"{label} does not set runAsNonRoot")


def _image_pin(container: dict[str, Any], relpath: str, label: str) -> Observation:
    image = str(container.get("image", ""))
    pinned = "@sha256:" in image or (":" in image.rsplit("/", 1)[-1] and not image.endswith(":latest"))
    return Observation("pinned_dependencies", pinned, relpath, line_of(container),
                       f"{label} image is pinned" if pinned else f"{label} image is not pinned to a version")


def _env(container: dict[str, Any], relpath: str, label: str) -> list[Observation]:
    found = []
    for item in mappings(container.get("env")):
        key = str(item.get("name", ""))
        if is_literal_secret(key, item.get("value")):
            found.append(secret_observation(key, item["value"], relpath, line_of(item), label))
        elif "valueFrom" in item and is_literal_secret(key, "x"):
            found.append(Observation("secrets_in_config", True, relpath, line_of(item),
                                     f"{label}: {key} is read from a secret reference"))
    return found
