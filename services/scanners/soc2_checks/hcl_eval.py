"""Terraform expressions evaluated as far as the tree itself decides them, and no further.

A value is known when it follows from literals, variable defaults, module arguments and locals
written in the scanned tree; anything that depends on the world at apply time (data sources,
resource attributes, `path.module`, functions we do not model) is UNKNOWN, and the checks report
it as not assessed rather than failed. Every value carries its origin: the file and line where the
literal that decided it was written, so a finding points at the module call in an example rather
than at the module's variable when the example is what set the value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hcl2.rules.containers import ObjectElemKeyExpressionRule, ObjectRule, TupleRule
from hcl2.rules.expressions import (
    BinaryOpRule,
    BinaryTermRule,
    ConditionalRule,
    ExprTermRule,
    UnaryOpRule,
)
from hcl2.rules.functions import FunctionCallRule
from hcl2.rules.indexing import (
    GetAttrExprTermRule,
    IndexExprTermRule,
    ShortIndexRule,
    SqbIndexRule,
)
from hcl2.rules.literal_rules import FloatLitRule, IdentifierRule, IntLitRule, KeywordRule, LiteralValueRule
from hcl2.rules.strings import HeredocTemplateRule, HeredocTrimTemplateRule, InterpolationRule, StringRule
from hcl2.utils import process_escape_sequences

from services.scanners.soc2_checks.hcl import TEXT_OPTIONS, line_of


class _Unknown:
    """The value of an expression the tree does not decide."""

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()


class _Computed(_Unknown):
    """An attribute of a resource or data source: decided at apply time, but never null."""

    def __repr__(self) -> str:
        return "COMPUTED"


COMPUTED: Any = _Computed()
# roots of references that are not resources or data sources (whose attributes are COMPUTED)
_NOT_RESOURCES = frozenset({"var", "local", "module", "path", "terraform", "self", "count", "each"})
MAX_DEPTH = 60  # nesting of expressions and locals followed before a value counts as unknown
# values that grow past these bounds count as unknown: locals that double a string, a list or a number
# at every step would otherwise take exponential memory (`b = "${a}${a}"`, `c = "${b}${b}"`, ...)
MAX_TEXT = 65_536
MAX_ITEMS = 10_000
MAX_NUMBER = 10**18


@dataclass(frozen=True)
class Origin:
    """Where a value was decided: file, line, and how many module calls deep that file was reached."""

    path: str
    line: int
    depth: int


@dataclass(frozen=True)
class Value:
    """An evaluated expression: its data (or UNKNOWN), where it was decided, what it depends on."""

    data: Any
    origin: Origin
    refs: tuple[str, ...] = ()  # references an unknown value depends on (var.x, data.y.z), for messages
    written_at: Origin | None = None  # where the data was written as a literal, if it was

    @property
    def known(self) -> bool:
        """True when the tree decides the value."""
        return not isinstance(self.data, _Unknown)

    @property
    def computed(self) -> bool:
        """True for a resource's or data source's attribute: set, though only known at apply time."""
        return self.data is COMPUTED


@dataclass
class Scope:
    """What names mean inside one instance of a module (a root, or a module call's instance)."""

    path_depth: int
    variables: dict[str, Value]
    locals: dict[str, Any] = field(default_factory=dict)  # name -> hcl.Attr, evaluated on demand
    names: dict[str, Value] = field(default_factory=dict)  # each, count, dynamic block iterators
    _local_values: dict[str, Value] = field(default_factory=dict)
    _resolving: set[str] = field(default_factory=set)

    def local(self, name: str, origin: Origin, depth: int = 0) -> Value:
        """The value of `local.name` (unknown when undefined or defined in terms of itself)."""
        if name in self._local_values:
            return self._local_values[name]
        attr = self.locals.get(name)
        if attr is None or name in self._resolving:
            return unknown(origin, f"local.{name}")
        self._resolving.add(name)
        try:
            value = evaluate(attr.expr, self, Origin(attr.path, attr.line, self.path_depth), depth)
        finally:
            self._resolving.discard(name)
        self._local_values[name] = value
        return value

    def with_names(self, names: dict[str, Value]) -> Scope:
        """The same scope with iteration names (each.value, a dynamic block's iterator) bound."""
        return Scope(self.path_depth, self.variables, self.locals, {**self.names, **names},
                     self._local_values, self._resolving)


def undecided(data: Any) -> bool:
    """True for UNKNOWN and COMPUTED data."""
    return isinstance(data, _Unknown)


def within_bounds(data: Any, budget: list[int] | None = None) -> bool:
    """False when a value, expanded, has more than MAX_ITEMS parts or MAX_TEXT * 16 characters.

    Locals can nest a list inside itself many times over (`b = [a, a]`, `c = [b, b]`, ...): such a
    value is small in memory but exponential to print or compare, so rules never see it.
    """
    budget = budget if budget is not None else [MAX_ITEMS, MAX_TEXT * 16]
    budget[0] -= 1
    if isinstance(data, str):
        budget[1] -= len(data)
    if budget[0] < 0 or budget[1] < 0:
        return False
    items = data.values() if isinstance(data, dict) else data if isinstance(data, list) else ()
    return all(within_bounds(item, budget) for item in items)


def unknown(origin: Origin, *refs: str) -> Value:
    """An unknown value that depends on `refs`."""
    return Value(UNKNOWN, origin, tuple(dict.fromkeys(r for r in refs if r)))


def evaluate(expr: Any, scope: Scope, origin: Origin, depth: int = 0) -> Value:
    """Evaluate one python-hcl2 expression rule in `scope`; `origin` is where it is written."""
    if depth > MAX_DEPTH:
        return unknown(origin)
    here = Origin(origin.path, line_of(expr, origin.line), origin.depth)
    handler = _HANDLERS.get(type(expr))
    if handler is None:
        return unknown(here, _text(expr))
    return handler(expr, scope, here, depth + 1)


def pick_origin(*values: Value | Origin) -> Origin:
    """The origin closest to the root module: where a user of the modules can change the outcome."""
    origins = [v if isinstance(v, Origin) else v.origin for v in values]
    return min(origins, key=lambda o: o.depth)


def _refs(*values: Value) -> tuple[str, ...]:
    return tuple(dict.fromkeys(ref for v in values for ref in v.refs))


def _text(expr: Any) -> str:
    try:
        return str(expr.serialize(TEXT_OPTIONS)).removeprefix("${").removesuffix("}")[:80]
    except (AttributeError, TypeError, ValueError, RecursionError):
        return "expression"


# --- literals and containers --------------------------------------------------------------------


def _expr_term(expr: ExprTermRule, scope: Scope, origin: Origin, depth: int) -> Value:
    return evaluate(expr.expression, scope, origin, depth)


def _literal_value(expr: Any, scope: Scope, origin: Origin, depth: int) -> Value:
    word = str(expr.token.value)
    data = {"true": True, "false": False, "null": None}.get(word, UNKNOWN)
    return Value(data, origin, written_at=origin) if not isinstance(data, _Unknown) else unknown(origin, word)


def _int(expr: IntLitRule, scope: Scope, origin: Origin, depth: int) -> Value:
    return Value(int(str(expr.token.value)), origin, written_at=origin)


def _float(expr: FloatLitRule, scope: Scope, origin: Origin, depth: int) -> Value:
    return Value(float(str(expr.token.value)), origin, written_at=origin)


def _string(expr: StringRule, scope: Scope, origin: Origin, depth: int) -> Value:
    parts = list(expr.string_parts)
    contents = [part.content for part in parts]
    if len(contents) == 1 and isinstance(contents[0], InterpolationRule):
        return evaluate(contents[0].expression, scope, origin, depth)  # "${x}" is x, unconverted
    pieces: list[str] = []
    inner: list[Value] = []
    for content in contents:
        if isinstance(content, InterpolationRule):
            value = evaluate(content.expression, scope, origin, depth)
            inner.append(value)
            pieces.append(_as_text(value.data))
        elif hasattr(content, "lark_name") and content.lark_name() == "STRING_CHARS":
            pieces.append(process_escape_sequences(str(content.value)))
        elif hasattr(content, "value") and not hasattr(content, "children"):
            pieces.append(str(content.value)[1:])  # $${ and %%{ escapes
        else:
            return unknown(origin, "template directive")
    if any(not v.known for v in inner) or any(p is UNKNOWN for p in pieces):
        return unknown(pick_origin(*inner) if inner else origin, *_refs(*inner))
    text = "".join(pieces)
    if len(text) > MAX_TEXT:
        return unknown(origin, "a very long string")
    return Value(text, pick_origin(*inner) if inner else origin, written_at=None if inner else origin)


def _as_text(data: Any) -> Any:
    if isinstance(data, (_Unknown, dict, list)):
        return UNKNOWN
    if isinstance(data, bool):
        return "true" if data else "false"
    return "" if data is None else str(data)


def _heredoc(expr: HeredocTemplateRule, scope: Scope, origin: Origin, depth: int) -> Value:
    text = str(expr.serialize(TEXT_OPTIONS))
    if "${" in text or "%{" in text:
        return unknown(origin, "heredoc template")
    return Value(text, origin, written_at=origin)


def _tuple(expr: TupleRule, scope: Scope, origin: Origin, depth: int) -> Value:
    items = [evaluate(e, scope, origin, depth) for e in expr.elements]
    # a list keeps its known items: ["0.0.0.0/0", var.extra] is open to the world whatever var.extra is
    written = all(i.written_at is not None for i in items)
    return Value([i.data for i in items], pick_origin(origin, *items), _refs(*items),
                 written_at=origin if written else None)


def _object(expr: ObjectRule, scope: Scope, origin: Origin, depth: int) -> Value:
    result: dict[str, Any] = {}
    values: list[Value] = []
    for element in expr.elements:
        key_rule = element.key.children[0] if element.key.children else None
        if isinstance(key_rule, ObjectElemKeyExpressionRule):
            key = evaluate(key_rule.expression, scope, origin, depth)
            if not key.known:
                return unknown(origin, *key.refs)
            name = str(key.data)
        elif isinstance(key_rule, StringRule):
            name = str(_string(key_rule, scope, origin, depth).data)
        else:
            name = str(element.key.serialize(TEXT_OPTIONS))
        value = evaluate(element.expression, scope, origin, depth)
        values.append(value)
        result[name] = value.data
    return Value(result, pick_origin(origin, *values), _refs(*values))


# --- references: var, local, iteration names ----------------------------------------------------


def _traversal(expr: Any) -> tuple[str, list[Any]] | None:
    """(root name, [attribute names and index expressions]) of `a.b[0].c`, or None for other shapes."""
    steps: list[Any] = []
    node = expr
    while True:
        if isinstance(node, ExprTermRule):
            node = node.expression
        elif isinstance(node, GetAttrExprTermRule):
            steps.append(str(node.get_attr.identifier.serialize(TEXT_OPTIONS)))
            node = node.expr_term
        elif isinstance(node, IndexExprTermRule):
            index = node.children[1]
            steps.append(("index", index.index_expression if isinstance(index, SqbIndexRule) else index))
            node = node.children[0]
        elif isinstance(node, IdentifierRule):
            return str(node.serialize(TEXT_OPTIONS)), list(reversed(steps))
        else:
            return None


def reference_text(expr: Any) -> str:
    """`var.x`, `aws_s3_bucket.b.id`, ... for a traversal; "" for anything else."""
    found = _traversal(expr)
    if found is None:
        return ""
    root, steps = found
    return ".".join([root, *[s for s in steps if isinstance(s, str)]])


def _reference(expr: Any, scope: Scope, origin: Origin, depth: int) -> Value:
    found = _traversal(expr)
    if found is None:
        return unknown(origin, _text(expr))
    root, steps = found
    text = ".".join([root, *[s for s in steps if isinstance(s, str)]])
    if root == "var" and steps and isinstance(steps[0], str):
        base = scope.variables.get(steps[0]) or unknown(origin, f"var.{steps[0]}")
        return _follow(base, steps[1:], scope, origin, depth)
    if root == "local" and steps and isinstance(steps[0], str):
        return _follow(scope.local(steps[0], origin, depth), steps[1:], scope, origin, depth)
    if root in scope.names:
        return _follow(scope.names[root], steps, scope, origin, depth)
    if root not in _NOT_RESOURCES and len(steps) >= 2:
        return Value(COMPUTED, origin, (text,))  # aws_kms_key.this.arn, data.x.y.id: set at apply
    return unknown(origin, text)  # module outputs, path.*: known at apply, possibly null


def _follow(value: Value, steps: list[Any], scope: Scope, origin: Origin, depth: int) -> Value:
    data = value.data
    for step in steps:
        if isinstance(data, _Unknown):
            break
        if isinstance(step, str):
            data = data.get(step, UNKNOWN) if isinstance(data, dict) else UNKNOWN
        else:
            data = _index(data, step[1], scope, origin, depth)
    if isinstance(data, _Unknown):
        return Value(UNKNOWN, value.origin, value.refs or ("expression",))
    return Value(data, value.origin, value.refs, value.written_at)


def _index(data: Any, index_expr: Any, scope: Scope, origin: Origin, depth: int) -> Any:
    if isinstance(index_expr, ShortIndexRule):
        key: Any = int(str(index_expr.index.value))
    else:
        evaluated = evaluate(index_expr, scope, origin, depth)
        key = evaluated.data
    if isinstance(data, list) and isinstance(key, int) and not isinstance(key, bool) and -1 < key < len(data):
        return data[key]
    if isinstance(data, dict) and isinstance(key, str):
        return data.get(key, UNKNOWN)
    return UNKNOWN


# --- operators ----------------------------------------------------------------------------------


def _conditional(expr: ConditionalRule, scope: Scope, origin: Origin, depth: int) -> Value:
    condition = evaluate(expr.condition, scope, origin, depth)
    if condition.known and isinstance(condition.data, bool):
        chosen = evaluate(expr.if_true if condition.data else expr.if_false, scope, origin, depth)
        # the branch decides when it came from further out (an argument); else the condition did
        where = chosen.origin if chosen.origin.depth < condition.origin.depth else condition.origin
        return Value(chosen.data, where, chosen.refs, chosen.written_at)
    yes = evaluate(expr.if_true, scope, origin, depth)
    no = evaluate(expr.if_false, scope, origin, depth)
    if yes.known and no.known and yes.data == no.data:
        return Value(yes.data, pick_origin(yes, no))
    return unknown(condition.origin, *_refs(condition, yes, no))


def _unary(expr: UnaryOpRule, scope: Scope, origin: Origin, depth: int) -> Value:
    operand = evaluate(expr.expr_term, scope, origin, depth)
    operator = expr.operator.strip()
    if not operand.known:
        return operand
    if operator == "!" and isinstance(operand.data, bool):
        return Value(not operand.data, operand.origin)
    if operator == "-" and isinstance(operand.data, (int, float)) and not isinstance(operand.data, bool):
        return Value(-operand.data, operand.origin, written_at=operand.written_at)
    return unknown(operand.origin, _text(expr))


_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "==": lambda a, b: a == b, "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b, ">": lambda a, b: a > b, "<=": lambda a, b: a <= b, ">=": lambda a, b: a >= b,
    "+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
}


def _binary(expr: BinaryOpRule, scope: Scope, origin: Origin, depth: int) -> Value:
    left = evaluate(expr.expr_term, scope, origin, depth)
    term: BinaryTermRule = expr.binary_term
    operator = str(term.binary_operator.serialize(TEXT_OPTIONS)).strip()
    right = evaluate(term.expr_term, scope, origin, depth)
    if operator in ("&&", "||"):
        return _logical(operator, left, right)
    if not (left.known and right.known):
        return unknown(pick_origin(left, right), *_refs(left, right))
    if operator in ("==", "!="):
        same = _equal(left.data, right.data, [MAX_ITEMS])
        if same is None:
            return unknown(pick_origin(left, right), "a comparison too large to make")
        return Value(same if operator == "==" else not same, pick_origin(left, right))
    try:
        if not all(_number(v.data) for v in (left, right)):
            return unknown(pick_origin(left, right), _text(expr))
        result = _COMPARE[operator](left.data, right.data)
        if _number(result) and abs(result) > MAX_NUMBER:
            return unknown(pick_origin(left, right), "a very large number")
        return Value(result, pick_origin(left, right))
    except (KeyError, TypeError, ArithmeticError):
        return unknown(pick_origin(left, right), _text(expr))


def _equal(left: Any, right: Any, budget: list[int]) -> bool | None:
    """Structural equality that gives up (None) after MAX_ITEMS comparisons: locals can nest lists deeply."""
    budget[0] -= 1
    if budget[0] < 0:
        return None
    if left is right:
        return True
    if isinstance(left, list) and isinstance(right, list):
        return _all_equal(list(zip(left, right, strict=False)), budget) if len(left) == len(right) else False
    if isinstance(left, dict) and isinstance(right, dict):
        if left.keys() != right.keys():
            return False
        return _all_equal([(left[k], right[k]) for k in left], budget)
    return bool(left == right) if not isinstance(left, (list, dict)) else False


def _all_equal(pairs: list[tuple[Any, Any]], budget: list[int]) -> bool | None:
    for a, b in pairs:
        same = _equal(a, b, budget)
        if same is not True:
            return same
    return True


def _number(data: Any) -> bool:
    return isinstance(data, (int, float)) and not isinstance(data, bool)


def _logical(operator: str, left: Value, right: Value) -> Value:
    deciding = operator == "||"  # true decides ||, false decides &&
    for side in (left, right):
        if side.known and side.data is deciding:
            return Value(deciding, side.origin)
    if left.known and right.known and isinstance(left.data, bool) and isinstance(right.data, bool):
        return Value(not deciding, pick_origin(left, right))
    return unknown(pick_origin(left, right), *_refs(left, right))


# --- functions ----------------------------------------------------------------------------------


def _function(expr: FunctionCallRule, scope: Scope, origin: Origin, depth: int) -> Value:
    name = "::".join(str(i.serialize(TEXT_OPTIONS)) for i in expr.identifiers)
    arguments = expr.arguments.arguments if expr.arguments is not None else []
    handler = _FUNCTIONS.get(name)
    if handler is None:
        return unknown(origin, f"{name}()")
    args = [evaluate(a, scope, origin, depth) for a in arguments]
    return handler(args, origin)


def _try(args: list[Value], origin: Origin) -> Value:
    for arg in args:
        if not arg.known and not arg.computed:
            return unknown(arg.origin, *arg.refs)  # it may or may not fail at apply time
        return arg
    return unknown(origin, "try()")


def _coalesce(args: list[Value], origin: Origin) -> Value:
    for arg in args:
        if arg.computed:
            return arg  # a resource attribute is never null
        if not arg.known:
            return unknown(arg.origin, *arg.refs)
        if arg.data not in (None, ""):
            return arg
    return Value(None, origin)


def _lookup(args: list[Value], origin: Origin) -> Value:
    if len(args) < 2 or not (args[0].known and args[1].known) or not isinstance(args[0].data, dict):
        return unknown(origin, *_refs(*args))
    data = args[0].data.get(args[1].data, UNKNOWN)
    if isinstance(data, _Unknown) and len(args) > 2:
        return args[2]
    return Value(data, args[0].origin, args[0].refs)


def _one_argument(convert: Callable[[Any], Any]) -> Callable[[list[Value], Origin], Value]:
    def call(args: list[Value], origin: Origin) -> Value:
        if len(args) != 1 or not args[0].known:
            return unknown(origin, *_refs(*args))
        try:
            return Value(convert(args[0].data), args[0].origin)
        except (TypeError, ValueError):
            return unknown(origin, "conversion")
    return call


def _to_bool(data: Any) -> bool:
    if isinstance(data, bool):
        return data
    if data in ("true", "false"):
        return data == "true"
    raise ValueError(data)


def _to_number(data: Any) -> int | float:
    if _number(data):
        return int(data) if isinstance(data, int) else float(data)
    text = str(data)
    return int(text) if text.lstrip("-").isdigit() else float(text)


def _length(data: Any) -> int:
    if isinstance(data, (list, dict, str)) and UNKNOWN not in (data if isinstance(data, list) else []):
        return len(data)
    raise TypeError(data)


def _concat(args: list[Value], origin: Origin) -> Value:
    if not all(a.known and isinstance(a.data, list) for a in args):
        return unknown(origin, *_refs(*args))
    if sum(len(a.data) for a in args) > MAX_ITEMS:
        return unknown(origin, "a very long list")
    return Value([item for a in args for item in a.data], pick_origin(*args) if args else origin)


def _contains(args: list[Value], origin: Origin) -> Value:
    if len(args) != 2 or not all(a.known for a in args) or not isinstance(args[0].data, list):
        return unknown(origin, *_refs(*args))
    if any(isinstance(i, _Unknown) for i in args[0].data) and args[1].data not in args[0].data:
        return unknown(origin, *args[0].refs)
    return Value(args[1].data in args[0].data, pick_origin(*args))


_FUNCTIONS: dict[str, Callable[[list[Value], Origin], Value]] = {
    "try": _try, "coalesce": _coalesce, "lookup": _lookup, "concat": _concat, "contains": _contains,
    "tobool": _one_argument(_to_bool), "tonumber": _one_argument(_to_number),
    "tostring": _one_argument(lambda d: _as_text(d) if _as_text(d) is not UNKNOWN else _fail(d)),
    "length": _one_argument(_length), "lower": _one_argument(lambda d: _text_only(d).lower()),
    "upper": _one_argument(lambda d: _text_only(d).upper()), "tolist": _one_argument(list),
    "toset": _one_argument(lambda d: list(dict.fromkeys(d))),
    "jsonencode": _one_argument(lambda d: d),
         # the document itself (unknown parts stay UNKNOWN), not its text
}


def _fail(data: Any) -> Any:
    raise TypeError(type(data).__name__)


def _text_only(data: Any) -> str:
    if not isinstance(data, str):
        raise TypeError(type(data).__name__)
    return data


_HANDLERS: dict[type, Callable[[Any, Scope, Origin, int], Value]] = {
    ExprTermRule: _expr_term, LiteralValueRule: _literal_value, KeywordRule: _literal_value,
    IntLitRule: _int, FloatLitRule: _float, StringRule: _string, HeredocTemplateRule: _heredoc,
        HeredocTrimTemplateRule: _heredoc,
    TupleRule: _tuple, ObjectRule: _object, ConditionalRule: _conditional, UnaryOpRule: _unary,
    BinaryOpRule: _binary, FunctionCallRule: _function, GetAttrExprTermRule: _reference,
    IndexExprTermRule: _reference, IdentifierRule: _reference,
}

