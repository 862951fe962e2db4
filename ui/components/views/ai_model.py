"""The AI model scanner's own view: the AI Act class and obligations, file safety per model, model-card
gaps and the bias table. The result is untrusted: text is shown through `literal`, tables as data."""

from __future__ import annotations

from typing import Any

import streamlit as st

from ui.components.text import literal


def render(result: dict[str, Any]) -> None:
    """Draw the `ai_model` section of a result."""
    section = result.get("ai_model")
    if not isinstance(section, dict):
        return
    st.subheader("AI model assessment")
    _act(section.get("ai_act"))
    models = [m for m in section.get("models") or [] if isinstance(m, dict)]
    st.markdown(literal(f"File safety: {section.get('file_safety') or 'no model files read'}"))
    if models:
        st.dataframe(
            [
                {
                    "file": str(m.get("path", "")),
                    "format": str(m.get("format") or m.get("kind", "")),
                    "verdict": str(m.get("verdict", "")),
                    "inputs": ", ".join(map(str, m.get("inputs") or [])),
                }
                for m in models
            ]
        )
    card = section.get("model_card")
    if isinstance(card, dict) and card.get("checked"):
        missing = ", ".join(map(str, card.get("missing") or [])) or "none"
        st.markdown(literal(f"Model card: missing {missing}"))
    fairness = (section.get("dataset") or {}).get("fairness")
    if isinstance(fairness, dict):
        st.markdown(literal(f"Outcome differences by {fairness.get('protected_attribute', '')}"))
        st.dataframe(
            [
                {
                    "metric": str(m.get("metric")),
                    "difference": m.get("difference"),
                    "interval": str(m.get("interval")),
                    "biased": bool(m.get("biased")),
                }
                for m in fairness.get("metrics") or []
                if isinstance(m, dict)
            ]
        )


def _act(act: Any) -> None:
    if not isinstance(act, dict) or not act.get("assessed"):
        st.markdown(literal("EU AI Act: not assessed (no answers)"))
        return
    decided = act.get("decided_by") or {}
    where = ", ".join(str(x) for x in (decided.get("article"), decided.get("annex")) if x)
    st.markdown(literal(f"EU AI Act class: {act.get('risk_class')} ({where})"))
    obligations = [o for o in act.get("obligations") or [] if isinstance(o, dict)]
    if obligations:
        st.dataframe(
            [
                {
                    "article": str(o.get("article", "")),
                    "obligation": str(o.get("en", "")),
                    "who": str(o.get("who", "")),
                    "from": str(o.get("applies_from", "")),
                }
                for o in obligations
            ],
        )
