"""Nothing but our own constants reaches a Markdown-rendering Streamlit call unescaped (issue 13 item 6).

Streamlit renders Markdown in bodies (st.markdown, st.caption, st.error, …), titles, metric labels and
values, widget labels, progress texts and help tooltips; a file name like `![x](http://host/b.png)`
there makes the browser call out. This reads every module of the UI and checks each such argument:
a string constant, a call of ui.components.text.literal/code, a number (len(), int(), a numeric
format spec), an UPPER_CASE constant, or an f-string, join or conditional made only of those. The
browser test in tests/e2e/test_browser.py shows the escaped text in Chromium.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from ui.components.text import code, literal

ROOT = Path(__file__).resolve().parents[2]
UI_FILES = sorted([ROOT / "app.py", *(ROOT / "ui").rglob("*.py")])

BODY = {"markdown", "write", "error", "warning", "info", "success", "caption", "title", "header",
        "subheader", "toast", "spinner", "badge"}
LABELLED = {"expander", "popover", "button", "download_button", "link_button", "form_submit_button",
            "checkbox", "toggle", "radio", "selectbox", "multiselect", "text_input", "text_area",
            "number_input", "date_input", "time_input", "slider", "select_slider", "file_uploader",
            "color_picker", "camera_input", "pills", "segmented_control", "chat_input"}
# method -> (positional indexes, keyword names) of the arguments Streamlit renders as Markdown
MARKDOWN_ARGUMENTS: dict[str, tuple[tuple[int, ...], tuple[str, ...]]] = {
    **{name: ((0,), ("body",)) for name in BODY},
    **{name: ((0,), ("label",)) for name in LABELLED},
    "page_link": ((1,), ("label",)),
    "metric": ((0, 1, 2), ("label", "value", "delta")),
    "progress": ((1,), ("text",)),
}
NOT_STREAMLIT = {"log", "logger", "logging", "warnings"}  # log.info(...) is not st.info(...)
ESCAPERS = {"literal", "code"}
NUMBERS = {"len", "int", "round", "float", "sum", "abs"}
NUMERIC_FORMAT_TYPES = "bdeEfFgGnoxX%"
UNSAFE_FLAGS = {"unsafe_allow_html", "unsafe_allow_javascript"}
HTML_ALLOWED = {"ui/session.py"}  # the sign-in ticket's script; nothing from a user is in it


def _called_names(func: ast.expr) -> list[str]:
    if isinstance(func, ast.Attribute):
        receiver = func.value
        return [] if isinstance(receiver, ast.Name) and receiver.id in NOT_STREAMLIT else [func.attr]
    if isinstance(func, ast.IfExp):  # (st.error if bad else st.info)(text)
        return _called_names(func.body) + _called_names(func.orelse)
    return []


def _callee(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else None


def _constant_name(node: ast.expr) -> bool:
    name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
    return bool(name) and name.isupper()


def _numeric_spec(spec: ast.expr | None) -> bool:
    if not isinstance(spec, ast.JoinedStr) or not spec.values:
        return False
    last = spec.values[-1]
    return isinstance(last, ast.Constant) and str(last.value)[-1:] in NUMERIC_FORMAT_TYPES


SCOPES = (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
UNKNOWN = ast.Name("?")  # a binding whose value is not known here (a parameter, a loop variable, …)


class Scope:
    """The names one module or function binds, with the values they may hold."""

    def __init__(self, node: ast.AST, outer: Scope | None) -> None:
        self.outer = outer
        self.bound: dict[str, list[ast.expr]] = {}
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            for arg in [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]:
                self.bound[arg.arg] = [UNKNOWN]

    def bind(self, target: ast.expr, value: ast.expr) -> None:
        """Record `target = value` (tuples pairwise; anything else unknown)."""
        if isinstance(target, ast.Name):
            self.bound.setdefault(target.id, []).append(value)
        elif isinstance(target, ast.Tuple | ast.List):
            pairs = value.elts if isinstance(value, ast.Tuple | ast.List) else [UNKNOWN] * len(target.elts)
            for part, part_value in zip(target.elts, pairs, strict=False):
                self.bind(part, part_value)

    def values(self, name: str) -> list[ast.expr] | None:
        """What `name` may hold here (the module's binding when this function does not bind it)."""
        if name in self.bound:
            return self.bound[name]
        return self.outer.values(name) if self.outer is not None else None


def _own_nodes(scope: ast.AST) -> Iterator[ast.AST]:
    stack = list(ast.iter_child_nodes(scope))
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (*SCOPES, ast.ClassDef)):
            stack.extend(ast.iter_child_nodes(node))


def _record_bindings(scope: Scope, node: ast.AST) -> None:
    if isinstance(node, ast.Assign):
        for target in node.targets:
            scope.bind(target, node.value)
    elif isinstance(node, ast.AnnAssign | ast.NamedExpr) and node.value is not None:
        scope.bind(node.target, node.value)
    elif isinstance(node, ast.AugAssign | ast.For | ast.comprehension):
        scope.bind(node.target, UNKNOWN)
    elif isinstance(node, ast.withitem) and node.optional_vars is not None:
        scope.bind(node.optional_vars, UNKNOWN)


class Checker:
    """Decides whether an expression in one module can only produce our own text or escaped values."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.seen: set[int] = set()

    def safe(self, node: ast.expr) -> bool:
        """True when `node` can only produce our own text, numbers or escaped values."""
        if node is UNKNOWN:
            return False
        if isinstance(node, ast.Constant) or _constant_name(node):
            return True
        if isinstance(node, ast.Name):
            return self._safe_name(node.id)
        if isinstance(node, ast.JoinedStr):
            return all(self.safe(part) for part in node.values)
        if isinstance(node, ast.FormattedValue):
            return _numeric_spec(node.format_spec) or self.safe(node.value)
        if isinstance(node, ast.Call):
            return self._safe_call(node)
        if isinstance(node, ast.IfExp):
            return self.safe(node.body) and self.safe(node.orelse)
        if isinstance(node, ast.BoolOp):
            return all(self.safe(value) for value in node.values)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
            return self.safe(node.left) and self.safe(node.right)
        return False

    def _safe_name(self, name: str) -> bool:
        values = self.scope.values(name)
        if not values:
            return False
        fresh = [v for v in values if id(v) not in self.seen]
        self.seen.update(id(v) for v in fresh)
        return all(self.safe(value) for value in fresh)

    def _safe_call(self, node: ast.Call) -> bool:
        callee = _callee(node.func)
        if callee in ESCAPERS or callee in NUMBERS:
            return True
        if callee == "join" and isinstance(node.func, ast.Attribute) \
                and isinstance(node.func.value, ast.Constant) and node.args:
            parts = node.args[0]
            if isinstance(parts, ast.GeneratorExp | ast.ListComp):
                return self.safe(parts.elt)
            return isinstance(parts, ast.List | ast.Tuple) and all(self.safe(e) for e in parts.elts)
        return False


def _markdown_arguments(call: ast.Call) -> Iterator[tuple[str, ast.expr]]:
    for name in _called_names(call.func):
        positions, keywords = MARKDOWN_ARGUMENTS.get(name, ((), ()))
        if name == "write":
            positions = tuple(range(len(call.args)))
        for index in positions:
            if index < len(call.args):
                yield name, call.args[index]
        for keyword in call.keywords:
            if keyword.arg in keywords:
                yield name, keyword.value
    for keyword in call.keywords:
        if keyword.arg == "help":
            yield "help", keyword.value


def _calls_by_scope(node: ast.AST, outer: Scope | None = None) -> Iterator[tuple[Scope, ast.Call]]:
    scope = Scope(node, outer)
    own = list(_own_nodes(node))
    for child in own:
        _record_bindings(scope, child)
    for child in own:
        if isinstance(child, ast.Call):
            yield scope, child
        if isinstance(child, SCOPES):
            yield from _calls_by_scope(child, scope)
        elif isinstance(child, ast.ClassDef):
            for method in child.body:
                if isinstance(method, SCOPES):
                    yield from _calls_by_scope(method, scope)


def problems(source: str, relative: str) -> list[str]:
    """Each Markdown argument in `source` that could carry untrusted text unescaped, as file:line."""
    found = []
    for scope, call in _calls_by_scope(ast.parse(source, relative)):
        for name, argument in _markdown_arguments(call):
            if not Checker(scope).safe(argument):
                found.append(f"{relative}:{argument.lineno} {name}({ast.unparse(argument)})")
        for keyword in call.keywords:
            if keyword.arg in UNSAFE_FLAGS and relative not in HTML_ALLOWED:
                found.append(f"{relative}:{call.lineno} {keyword.arg}")
    return found


def test_every_markdown_argument_in_the_ui_is_a_constant_or_escaped() -> None:
    found = [line for path in UI_FILES
             for line in problems(path.read_text(), path.relative_to(ROOT).as_posix())]
    assert not found, "untrusted text would render as Markdown:\n" + "\n".join(found)


def test_the_checker_catches_what_it_is_for() -> None:
    flagged = ["st.error(str(error))", "st.caption(f'{org} · {role}')", "col.metric('Risk', risk)",
               "st.progress(0.5, text=f'{message}')", "st.radio('Q', [1], help=question['help'])",
               "(st.error if bad else st.info)(verdict)", "st.markdown(' · '.join(names))",
               "st.html(body, unsafe_allow_javascript=True)", "st.markdown(f'{value!s:>10}')",
               "label = name.title()\nst.radio(label, [1])", "def f(text):\n    st.info(text)",
               "for name in names:\n    st.caption(name)", "x = literal(a)\nx += b\nst.info(x)"]
    passed = ["st.error(literal(error))", "st.caption(f'{literal(org)} · {len(rows)} scans')",
              "st.metric('Scans', len(rows))", "st.progress(0.5, text=f'{percent:.0f}%')",
              "st.markdown(' · '.join(literal(n) for n in names))", "st.info(NOTICE)",
              "log.info('user %s', user)", "st.caption(code(path) if path else 'none')",
              "label, n = literal(q), 3\nst.radio(label, [1])", "def f(m):\n    d = f' · {literal(m)}'\n"
              "    st.progress(0.1, text=f'done{d}')"]
    for source in flagged + passed:
        assert bool(problems(source, "ui/probe.py")) == (source in flagged), source


@pytest.mark.parametrize(("text", "escaped"), [
    ("![x](http://127.0.0.1:9/b.png)", r"!\[x\](http\://127.0.0.1\:9/b.png)"),
    ("[click](http://evil.example)", r"\[click\](http\://evil.example)"),
    ("mail a@b.example or www.evil.example", r"mail a\@b.example or www\.evil.example"),
    ("<img src=x> &amp; `tick` $x$", r"\<img src=x\> \&amp; \`tick\` \$x\$"),
    (":red[hi] :smile: :material/home:", r"\:red\[hi\] \:smile\: \:material/home\:"),
    ("__init__.py and snake_case", r"\_\_init\_\_.py and snake_case"),
    ("# title\n- item\n1. first\n  + nested", "\\# title\n\\- item\n1\\. first\n  \\+ nested"),
    ("wrong e-mail address or password.", "wrong e-mail address or password."),
    ("C:\\new", "C\\:\\\\new"),
])
def test_literal_escapes_what_markdown_would_act_on(text: str, escaped: str) -> None:
    assert literal(text) == escaped


@pytest.mark.parametrize(("text", "span"), [
    ("src/app.py:3", "`src/app.py:3`"),
    ("a`b", "``a`b``"),
    ("`![x](y)`", "`` `![x](y)` ``"),
    ("two\nlines", "`two lines`"),
    ("", ""),
])
def test_code_spans_are_fenced_longer_than_any_backtick_run(text: str, span: str) -> None:
    assert code(text) == span
