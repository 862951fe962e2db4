"""The sections some scanners add to their result beside the findings, each drawn by a view of its own:
the DPIA's verdict, exemption, prior consultation, risk register and cited evidence (dpia_v1 and v2
results alike), SOC 2's readiness, a report's file.

These are the UI's hand-written views of scanner-specific result shapes (forms come from the scanners'
declarations, services/scanners); keyed by the section's name in the result.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from ui.components.findings import location_text
from ui.components.text import literal
from ui.components.views import declared_view

LANGUAGE = "en"
VERDICTS = {
    "required": "A DPIA is required",
    "recommended": "A DPIA is recommended: not mandatory, but the answers point to a high risk",
    "not_required": "No DPIA is required",
    "incomplete": "Incomplete: open screening questions could still make a DPIA required",
}


def risk_rows(register: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per risk that applies: kind, why it applies, inherent and residual level, measures."""
    return [{"risk": entry["title"][LANGUAGE], "kind": entry.get("kind", "security"),
             "applies because": ", ".join(entry.get("triggered_by") or ()) or "-",
             "inherent": _level(entry.get("inherent")), "residual": _level(entry.get("residual")),
             "measures": ", ".join(entry.get("measures") or ()) or "none",
             "levels taken off": _reduction(entry.get("reduction")),
             "raised by evidence": "yes" if entry.get("raised_by_evidence") else "no",
             "evidence cited": len(entry.get("evidence") or ())}
            for entry in register if entry.get("applicable", True)]  # a dpia_v1 register has no `applicable`


def evidence_rows(register: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every finding of another scan the register cites, with the risk it bears on and its confidence."""
    return [{"risk": entry["risk"], "finding type": item["type"], "severity": item["severity"],
             "confidence": item.get("confidence", ""), "scanner": item.get("scanner", ""),
             "where": location_text(item.get("location"))}
            for entry in register for item in entry.get("evidence") or ()]


def _level(part: dict[str, Any] | None) -> str:
    if not part:
        return "not assessed"
    return f"{part['level']} ({part['severity']}x{part['likelihood']})"


def _reduction(reduction: dict[str, Any] | None) -> str:
    if not reduction:
        return "-"
    capped = " (capped)" if reduction.get("capped") else ""
    return f"severity -{reduction['severity']}, likelihood -{reduction['likelihood']}{capped}"


def _reason_status(reason: dict[str, Any]) -> str:
    if reason.get("neutralised_by"):
        return f"; not met: {reason['neutralised_by']}"
    return "; lifted by the exemption" if reason.get("lifted") else ""


def render_dpia(dpia: dict[str, Any]) -> None:
    """Verdict with the criteria and exemptions behind it, prior consultation, the register, the evidence."""
    st.subheader("DPIA")
    verdict = VERDICTS.get(dpia.get("verdict", ""), str(dpia.get("verdict")))
    (st.error if dpia.get("required") else st.info)(literal(verdict))
    exemption = dpia.get("exemption")
    if exemption:
        st.info(f"Exemption: {literal(exemption['text'][LANGUAGE])} "
                f"({literal(', '.join(exemption.get('articles') or ()))})")
    for refused in dpia.get("exemptions_refused") or []:
        st.warning(f"Exemption claimed that does not apply: {literal(refused['reason'][LANGUAGE])}")
    for case in dpia.get("mandatory_cases") or []:
        st.markdown(f"**Mandatory case of {literal(case)}**")
    for reason in dpia.get("reasons") or []:
        articles = ", ".join(reason.get("articles") or ())
        st.markdown(f"- {literal(reason['text'][LANGUAGE])} ({literal(reason['list'])}, from the "
                    f"{literal(reason['source'])}; {literal(articles)}{literal(_reason_status(reason))})")
    _prior_consultation(dpia.get("prior_consultation"))
    st.caption(f"Residual risk: {literal(dpia.get('residual_risk'))} · GDPR articles engaged: "
               f"{literal(', '.join(dpia.get('gdpr_articles') or ()))}")
    register = dpia.get("risk_register") or []
    st.dataframe(risk_rows(register), hide_index=True, width="stretch")
    idle = [entry["title"][LANGUAGE] for entry in register if entry.get("applicable") is False]
    if idle:
        st.caption(f"Not triggered by these answers: {literal(', '.join(idle))}")
    cited = evidence_rows(register)
    if cited:
        st.markdown("**Evidence cited from other scans**")
        st.dataframe(cited, hide_index=True, width="stretch")


def _prior_consultation(consultation: dict[str, Any] | None) -> None:
    """Art. 36(1): a high residual risk means the AP is consulted before the processing starts."""
    if not consultation or not consultation.get("required"):
        return
    risks = ", ".join(f"{r['title'][LANGUAGE]} ({r['residual']['level']})" for r in consultation["risks"])
    articles = ", ".join(consultation.get("articles") or ())
    st.error(f"Prior consultation of the Autoriteit Persoonsgegevens required ({literal(articles)}): a high "
             f"residual risk remains for {literal(risks)}.")


def render_soc2(soc2: dict[str, Any]) -> None:
    """Readiness per Trust Services category and the gap list."""
    st.subheader("SOC 2 readiness")
    readiness = soc2.get("readiness") or {}
    st.dataframe([{"category": name, **figures} for name, figures in readiness.items()], hide_index=True,
                 width="stretch")
    gaps = soc2.get("gaps") or []
    if gaps:
        st.markdown("**Gaps**")
        rows = [{"criterion": g["criterion"], "title": g["title"], "checks": ", ".join(g.get("checks") or ()),
                 "questions": ", ".join(g.get("questions") or ())} for g in gaps]
        st.dataframe(rows, hide_index=True, width="stretch")
    unresolved = soc2.get("not_assessed") or []
    if unresolved:
        # settings written as expressions the tree does not decide: to confirm by hand, not failures
        st.markdown("**Not assessed** (decided only at deploy time)")
        st.dataframe([{"check": r.get("check"), "file": f"{r.get('path') or '.'}:{r.get('line') or ''}",
                       "setting": r.get("message")} for r in unresolved], hide_index=True, width="stretch")


def render_sections(result: dict[str, Any]) -> None:
    """Draw every section the result carries that has a view here, then its scanner's declared view."""
    for key, render in SECTION_VIEWS.items():
        if isinstance(result.get(key), dict):
            render(result[key])
    view = declared_view(result)
    if view is not None:
        view(result)


def report_file(result: dict[str, Any]) -> dict[str, Any] | None:
    """The file a report scan wrote (path, format, pages), or None for any other result."""
    report = result.get(REPORT_SECTION)
    return report if isinstance(report, dict) else None


REPORT_SECTION = "report"
SECTION_VIEWS = {"dpia": render_dpia, "soc2": render_soc2}
