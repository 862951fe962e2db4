"""The API scanner's report section: every endpoint read, what it answered, its findings and reproducers.

Per result: the base URL and document, a table of endpoints (method and path, the status without and
with credentials, the findings there by type and severity), then each finding's `curl` reproducer
(secrets are shell variables in them already: $TOKEN, $API_KEY, $PASSWORD). A result is input: every
field is read defensively and bounded.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.platypus import Flowable, Spacer

from services.reporting.sections import SectionKit

MAX_ENDPOINTS = 200  # rows of the endpoint table per result
MAX_REPRODUCERS = 60
MAX_CELL = 300  # characters of one cell (a reproducer longer than this is cut)

LABELS = {
    "en": {
        "heading": "API endpoints",
        "target": "API {url}; document: {spec}; {requests} requests sent",
        "no_spec": "none (common paths probed)",
        "endpoint": "Endpoint",
        "status": "Answer (anon. / auth.)",
        "findings": "Findings",
        "none": "none",
        "reproducers": "Reproducers",
        "reproducer_note": "Run with the credentials in shell variables ($TOKEN, $API_KEY, $PASSWORD; _B "
                           "for the second user). Only safe methods were sent unless allowed.",
        "finding": "Finding",
        "command": "Command",
        "skipped": "{n} operations not sent (not a safe method)",
    },
    "nl": {
        "heading": "API-endpoints",
        "target": "API {url}; document: {spec}; {requests} verzoeken verstuurd",
        "no_spec": "geen (gangbare paden geprobeerd)",
        "endpoint": "Endpoint",
        "status": "Antwoord (anon. / ingelogd)",
        "findings": "Bevindingen",
        "none": "geen",
        "reproducers": "Reproductie",
        "reproducer_note": "Voer uit met de inloggegevens in shellvariabelen ($TOKEN, $API_KEY, $PASSWORD; "
                           "_B voor de tweede gebruiker). Alleen veilige methoden zijn verstuurd, tenzij "
                           "toegestaan.",
        "finding": "Bevinding",
        "command": "Commando",
        "skipped": "{n} operaties niet verstuurd (geen veilige methode)",
    },
}


def flowables(results: Sequence[dict[str, Any]], kit: SectionKit) -> list[Flowable]:
    """The section for every API result in the report."""
    story: list[Flowable] = [kit.heading(kit.text(LABELS, "heading"))]
    for result in results:
        section = _dict(result.get("api"))
        findings = [f for f in result.get("findings") or [] if isinstance(f, dict)]
        story.append(kit.p(_target_line(section, kit)))
        skipped = _list(section.get("skipped"))
        if skipped:
            story.append(kit.p(kit.text(LABELS, "skipped", n=len(skipped)), "Small"))
        story.append(_endpoint_table(section, findings, kit))
        story += _reproducers(findings, kit)
        story.append(Spacer(1, 8))
    return story


def _target_line(section: dict[str, Any], kit: SectionKit) -> str:
    spec = (_dict(section.get("spec")) or None)
    shown = kit.text(LABELS, "no_spec") if spec is None else \
        f"{_cut(spec.get('title'))} ({_cut(spec.get('source'))}, OpenAPI {_cut(spec.get('version'))})"
    requests = section.get("requests_sent")
    return kit.text(LABELS, "target", url=_cut(section.get("base_url")), spec=shown,
                    requests=requests if isinstance(requests, int) else 0)


def _endpoint_table(section: dict[str, Any], findings: list[dict[str, Any]], kit: SectionKit) -> Flowable:
    by_endpoint: dict[str, list[str]] = {}
    for finding in findings:
        location = _dict(finding.get("location"))
        by_endpoint.setdefault(_cut(location.get("endpoint")), []).append(
            f"{_cut(finding.get('severity'))}: {_cut(finding.get('type'))}")
    endpoints = _list(section.get("endpoints"))
    rows = []
    for endpoint in [e for e in endpoints if isinstance(e, dict)][:MAX_ENDPOINTS]:
        name = f"{_cut(endpoint.get('method'))} {_cut(endpoint.get('path'))}"
        answered = f"{_status(endpoint.get('status'))} / {_status(endpoint.get('authenticated_status'))}"
        rows.append([name, answered, ", ".join(sorted(set(by_endpoint.pop(name, [])))) or
                     kit.text(LABELS, "none")])
    for name, kinds in by_endpoint.items():  # API-wide findings (http, headers) and declared schemes
        rows.append([name, "", ", ".join(sorted(set(kinds)))])
    header = [kit.text(LABELS, "endpoint"), kit.text(LABELS, "status"), kit.text(LABELS, "findings")]
    return kit.table(header, rows, (0.38, 0.17, 0.45))


def _reproducers(findings: list[dict[str, Any]], kit: SectionKit) -> list[Flowable]:
    rows = []
    for finding in findings:
        explanation = _dict(finding.get("explanation"))
        command = explanation.get("reproducer")
        if isinstance(command, str) and command:
            location = _dict(finding.get("location"))
            rows.append([f"{_cut(finding.get('type'))}\n{_cut(location.get('endpoint'))}", _cut(command)])
    if not rows:
        return []
    return [kit.heading(kit.text(LABELS, "reproducers"), 2),
            kit.p(kit.text(LABELS, "reproducer_note"), "Small"),
            kit.table([kit.text(LABELS, "finding"), kit.text(LABELS, "command")], rows[:MAX_REPRODUCERS],
                      (0.3, 0.7))]


def _status(value: object) -> str:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) and value else "-"


def _cut(value: object) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= MAX_CELL else text[:MAX_CELL] + "…"


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []
