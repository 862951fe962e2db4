"""When an answer makes something hold: the condition language of the DPIA questionnaire.

A condition is a question id (it holds when the answer is true) or a mapping of question id to an
expected value (the answer equals it or, for a multi question, contains it) or to a list of values
(any of them). Every question of a mapping must match.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

Condition = str | dict[str, Any]


def holds(condition: Condition, answers: dict[str, Any]) -> bool:
    """True when the answers meet the condition."""
    if isinstance(condition, str):
        return answers.get(condition) is True
    return all(_matches(answers.get(question), expected) for question, expected in condition.items())


def any_holds(conditions: Iterable[Condition], answers: dict[str, Any]) -> bool:
    """True when at least one of the conditions holds."""
    return any(holds(condition, answers) for condition in conditions)


def question_ids(condition: Condition) -> list[str]:
    """The questions a condition reads."""
    return [condition] if isinstance(condition, str) else list(condition)


def applies(question: dict[str, Any], answers: dict[str, Any]) -> bool:
    """Whether a conditional question (`applies_if`) applies to these answers."""
    condition = question.get("applies_if")
    return condition is None or holds(condition, answers)


def articles_if(item: dict[str, Any], answers: dict[str, Any]) -> list[str]:
    """The item's `articles_if` citations whose condition holds."""
    return [article for rule in item.get("articles_if", ()) if holds(rule["when"], answers)
            for article in rule["articles"]]


def _matches(given: Any, expected: Any) -> bool:
    wanted = expected if isinstance(expected, list) else [expected]
    values = given if isinstance(given, list) else [given]
    return any(_same(value, want) for value in values for want in wanted)


def _same(given: Any, expected: Any) -> bool:
    # `True == 1` in Python; an answer of 1 is not the answer true
    return type(given) is type(expected) and given == expected
