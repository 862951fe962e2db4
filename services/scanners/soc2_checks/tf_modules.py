"""Terraform module directories, and the instances Terraform would build from them.

A directory of .tf files is a module. Directories no other module in the tree calls are roots (an
example, an environment); each root is instantiated with its variable defaults, and every `module`
call whose `source` is a local path ("./x", "../..") instantiates the called directory with the
call's arguments, evaluated in the caller. Resources are then read per instance, so a setting an
example passes to a module is judged where the example sets it. Calls to registry or git modules
cannot be read; what their arguments say is still evidence (see terraform.py).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from services.scanners.soc2_checks.hcl import Attr, Block, TfFile
from services.scanners.soc2_checks.hcl_eval import UNKNOWN, Origin, Scope, Value, evaluate, unknown

MAX_MODULE_DEPTH = 8  # module calls followed from a root; deeper chains are not real configurations
MAX_INSTANCES = 2_000  # module instances per scan: a tree of calls that fans out further is hostile
LOCAL_PREFIXES = ("./", "../")


@dataclass
class ModuleDir:
    """The blocks of every .tf file in one directory."""

    path: str  # relative to the scan root, "" for the root itself
    variables: dict[str, Block] = field(default_factory=dict)
    locals: dict[str, Attr] = field(default_factory=dict)
    resources: list[Block] = field(default_factory=list)
    data: list[Block] = field(default_factory=list)
    calls: list[Block] = field(default_factory=list)

    def add(self, tf: TfFile) -> None:
        """Sort one file's top-level blocks into this module."""
        for block in tf.blocks:
            if block.type == "variable" and block.labels:
                self.variables[block.labels[0]] = block
            elif block.type == "locals":
                self.locals.update(block.attrs)
            elif block.type == "resource" and len(block.labels) == 2:
                self.resources.append(block)
            elif block.type == "data" and len(block.labels) == 2:
                self.data.append(block)
            elif block.type == "module" and block.labels:
                self.calls.append(block)


@dataclass(frozen=True)
class Instance:
    """One instance of a module: a root, or what one module call builds."""

    module: ModuleDir
    scope: Scope
    address: str  # "" for a root, "module.db.module.instance" below it
    calls: tuple[Block, ...]  # the module calls that led here, outermost first

    def label(self, resource: Block) -> str:
        """`module.db.aws_db_instance.this` as Terraform names the resource in this instance."""
        name = ".".join(resource.labels)
        return f"{self.address}.{name}" if self.address else name


@dataclass(frozen=True)
class ExternalCall:
    """A `module` call whose source is outside the tree (registry, git, absolute path)."""

    block: Block
    source: str
    instance: Instance


@dataclass
class Modules:
    """Every module directory of a tree and the instances built from them."""

    dirs: dict[str, ModuleDir] = field(default_factory=dict)
    instances: list[Instance] = field(default_factory=list)
    external: list[ExternalCall] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)


def build(files: list[TfFile]) -> Modules:
    """Group files into module directories and instantiate every root and every local call."""
    modules = Modules()
    for tf in files:
        directory = posixpath.dirname(tf.path)
        modules.dirs.setdefault(directory, ModuleDir(directory)).add(tf)
    called = {target for module in modules.dirs.values() for call in module.calls
              if (target := _local_target(module, call, modules)) is not None}
    roots = [m for path,
             m in sorted(modules.dirs.items()) if path not in called] or list(modules.dirs.values())
    for root in roots:
        scope = Scope(0, _defaults(root, 0))
        scope.locals = dict(root.locals)
        _instantiate(Instance(root, scope, "", ()), modules, 0)
    return modules


def _instantiate(instance: Instance, modules: Modules, depth: int) -> None:
    if len(modules.instances) >= MAX_INSTANCES:
        _once(modules, (instance.module.path or ".",
                        f"more than {MAX_INSTANCES} module instances; the rest were not read"))
        return
    modules.instances.append(instance)
    for call in instance.module.calls:
        if not _created(call, instance.scope, depth):
            continue
        source = _source(call, instance.scope, depth)
        target = _local_target(instance.module, call, modules)
        if target is not None and target in _chain(instance, modules):
            _once(modules, (call.path, f"module {call.labels[0]} calls a module that calls it: not followed"))
            continue
        if target is not None and depth + 1 > MAX_MODULE_DEPTH:
            _once(modules, (call.path, f"module calls nested deeper than {MAX_MODULE_DEPTH} were not read"))
            continue
        if target is None:
            if source is not None and not source.startswith(LOCAL_PREFIXES):
                modules.external.append(ExternalCall(call, source, instance))
            continue
        child = modules.dirs[target]
        scope = Scope(depth + 1, _arguments(call, child, instance.scope, depth))
        scope.locals = dict(child.locals)
        address = f"{instance.address}.module.{call.labels[0]}".lstrip(".")
        _instantiate(Instance(child, scope, address, (*instance.calls, call)), modules, depth + 1)


def _chain(instance: Instance, modules: Modules) -> set[str]:
    """Directories of the modules on the way to this instance (its own included)."""
    return {instance.module.path} | {_dir_of(call) for call in instance.calls}


def _dir_of(call: Block) -> str:
    return posixpath.dirname(call.path)


def _once(modules: Modules, error: tuple[str, str]) -> None:
    if not any(message == error[1] for _, message in modules.errors):
        modules.errors.append(error)


def _source(call: Block, scope: Scope, depth: int) -> str | None:
    attr = call.attrs.get("source")
    if attr is None:
        return None
    value = evaluate(attr.expr, scope, Origin(attr.path, attr.line, depth))
    return value.data if isinstance(value.data, str) else None


def _local_target(module: ModuleDir, call: Block, modules: Modules) -> str | None:
    """The directory a local `source` names, when it is a module directory inside the tree."""
    attr = call.attrs.get("source")
    if attr is None:
        return None
    value = evaluate(attr.expr, Scope(0, {}), Origin(attr.path, attr.line, 0))
    source = value.data
    if not isinstance(source, str) or not source.startswith(LOCAL_PREFIXES):
        return None
    target = posixpath.normpath(posixpath.join(module.path, source.split("//", 1)[0]))
    target = "" if target == "." else target
    if target.startswith("../") or target == ".." or target == module.path:
        return None  # outside the scanned tree, or a module calling itself
    return target if target in modules.dirs else None


def _created(block: Block, scope: Scope, depth: int) -> bool:
    """False only when `count = 0` or an empty `for_each` is known: the block builds nothing."""
    for name in ("count", "for_each"):
        attr = block.attrs.get(name)
        if attr is None:
            continue
        value = evaluate(attr.expr, scope, Origin(attr.path, attr.line, depth))
        if value.known and value.data in (0, False, None, [], {}):
            return False
    return True


def _defaults(module: ModuleDir, depth: int) -> dict[str, Value]:
    """Each variable's default, evaluated where it is written; unknown when it has none."""
    values = {}
    for name, block in module.variables.items():
        attr = block.attrs.get("default")
        if attr is None:
            values[name] = unknown(Origin(block.path, block.line, depth), f"var.{name}")
        else:
            values[name] = evaluate(attr.expr, Scope(depth, {}), Origin(attr.path, attr.line, depth))
    return values


def _arguments(call: Block, child: ModuleDir, caller: Scope, depth: int) -> dict[str, Value]:
    """The called module's variables: the call's arguments, evaluated in the caller, else defaults."""
    values = _defaults(child, depth + 1)
    iteration = _iteration_names(call, caller, depth)
    scope = caller.with_names(iteration) if iteration else caller
    for name, variable in child.variables.items():
        attr = call.attrs.get(name)
        if attr is None:
            continue
        given = evaluate(attr.expr, scope, Origin(attr.path, attr.line, depth))
        if not given.known and not given.computed and given.origin.depth >= depth:
            # an undecided argument is reported where the call passes it, not where its input is declared
            given = Value(given.data, Origin(attr.path, attr.line, depth), given.refs)
        if given.data is None and _not_nullable(variable):
            continue  # `nullable = false`: null means "use the default"
        values[name] = given
    return values


def _not_nullable(variable: Block) -> bool:
    attr = variable.attrs.get("nullable")
    if attr is None:
        return False
    value = evaluate(attr.expr, Scope(0, {}), Origin(attr.path, attr.line, 0))
    return value.data is False


def _iteration_names(block: Block, scope: Scope, depth: int) -> dict[str, Value]:
    """`count.index` / `each.key` / `each.value` inside a block with count or for_each: unknown."""
    names: dict[str, Value] = {}
    for name, bound in (("count", "count"), ("for_each", "each")):
        attr = block.attrs.get(name)
        if attr is not None:
            names[bound] = Value(UNKNOWN, Origin(attr.path, attr.line, depth), (f"{bound}.*",))
    return names


def iteration_scope(block: Block, scope: Scope) -> Scope:
    """The scope inside a resource with count or for_each (its iteration names unknown)."""
    names = _iteration_names(block, scope, scope.path_depth)
    return scope.with_names(names) if names else scope


def created(block: Block, scope: Scope) -> bool:
    """False when the tree decides the resource is not built in this instance (count = 0)."""
    return _created(block, scope, scope.path_depth)


def first_call(instance: Instance) -> Block | None:
    """The outermost module call of an instance (the one written in a root), if any."""
    return instance.calls[0] if instance.calls else None
