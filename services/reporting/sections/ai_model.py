"""The AI model scanner's report section: the AI Act class with its articles and obligations, the
file-safety verdict per model file, model-card gaps and the bias table.

The result is input: every field is read defensively and every string goes through the kit (escaped).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.platypus import Flowable

from services.reporting.sections import SectionKit

MAX_ROWS = 200  # model files or obligations drawn per result; the JSON keeps the rest

LABELS = {
    "en": {
        "heading": "AI model assessment",
        "safety": "File safety: {verdict}",
        "no_models": "No model files read.",
        "models": "Model files",
        "file": "File",
        "format": "Format",
        "verdict": "Verdict",
        "inputs": "Inputs",
        "act": "EU AI Act: {risk_class}",
        "decided": "Decided by {article}",
        "not_assessed": "EU AI Act: not assessed (the questionnaire was not answered).",
        "obligations": "Obligations",
        "article": "Article",
        "obligation": "Obligation",
        "from": "Applies from",
        "who": "Who",
        "exception": "Art. 6(3) exception: {article} (document it, Art. 6(4); register it, Art. 49(2)).",
        "transparency": "Transparency duties: {articles}",
        "gpai": "General-purpose AI model: {articles}",
        "card": "Model card",
        "card_missing": "Missing items: {items}",
        "card_complete": "All checklist items present.",
        "card_none": "Not checked: {reason}",
        "bias": "Outcome differences in the training data ({attribute})",
        "metric": "Metric",
        "difference": "Difference",
        "interval": "95% interval",
        "groups": "Groups (rate, n)",
        "biased": "Bias",
        "yes": "yes",
        "no": "no",
        "method": "Method: {method}.",
        "out_of_scope": "out of scope",
        "prohibited": "prohibited",
        "high_risk": "high-risk",
        "transparency_class": "transparency obligations",
        "minimal": "minimal risk",
    },
    "nl": {
        "heading": "Beoordeling AI-model",
        "safety": "Veiligheid van de bestanden: {verdict}",
        "no_models": "Geen modelbestanden gelezen.",
        "models": "Modelbestanden",
        "file": "Bestand",
        "format": "Formaat",
        "verdict": "Oordeel",
        "inputs": "Invoer",
        "act": "AI-verordening: {risk_class}",
        "decided": "Bepaald door {article}",
        "not_assessed": "AI-verordening: niet beoordeeld (de vragenlijst is niet ingevuld).",
        "obligations": "Verplichtingen",
        "article": "Artikel",
        "obligation": "Verplichting",
        "from": "Geldt vanaf",
        "who": "Wie",
        "exception": "Uitzondering art. 6 lid 3: {article} "
        "(documenteren, art. 6 lid 4; registreren, art. 49 lid 2).",
        "transparency": "Transparantieverplichtingen: {articles}",
        "gpai": "AI-model voor algemene doeleinden: {articles}",
        "card": "Modelkaart",
        "card_missing": "Ontbrekende onderdelen: {items}",
        "card_complete": "Alle onderdelen van de checklist aanwezig.",
        "card_none": "Niet gecontroleerd: {reason}",
        "bias": "Verschillen in uitkomst in de trainingsdata ({attribute})",
        "metric": "Maat",
        "difference": "Verschil",
        "interval": "95%-interval",
        "groups": "Groepen (aandeel, n)",
        "biased": "Vertekening",
        "yes": "ja",
        "no": "nee",
        "method": "Methode: {method}.",
        "out_of_scope": "buiten het toepassingsgebied",
        "prohibited": "verboden",
        "high_risk": "hoog risico",
        "transparency_class": "transparantieverplichtingen",
        "minimal": "minimaal risico",
    },
}


def flowables(results: Sequence[dict[str, Any]], kit: SectionKit) -> list[Flowable]:
    """The section for every ai_model result in the report that carries one (none: nothing drawn)."""
    sections = [r["ai_model"] for r in results if isinstance(r.get("ai_model"), dict)]
    if not sections:
        return []
    story: list[Flowable] = [kit.heading(kit.text(LABELS, "heading"))]
    for section in sections:
        story += _act(section.get("ai_act"), kit)
        story += _models(section, kit)
        story += _card(section.get("model_card"), kit)
        story += _bias((section.get("dataset") or {}).get("fairness"), kit)
    return story


def _act(act: Any, kit: SectionKit) -> list[Flowable]:
    if not isinstance(act, dict) or not act.get("assessed"):
        return [kit.p(kit.text(LABELS, "not_assessed"))]
    decided = act.get("decided_by") or {}
    risk_class = str(act.get("risk_class"))
    key = "transparency_class" if risk_class == "transparency" else risk_class
    shown = kit.text(LABELS, key) if key in LABELS["en"] else risk_class
    where = ", ".join(str(x) for x in (decided.get("article"), decided.get("annex")) if x)
    story = [
        kit.heading(kit.text(LABELS, "act", risk_class=shown), 2),
        kit.p(kit.text(LABELS, "decided", article=where)),
    ]
    if isinstance(act.get("art6_3_exception"), dict):
        story.append(kit.p(kit.text(LABELS, "exception", article=act["art6_3_exception"].get("article", ""))))
    if act.get("transparency_duties"):
        story.append(
            kit.p(kit.text(LABELS, "transparency", articles=", ".join(map(str, act["transparency_duties"]))))
        )
    if isinstance(act.get("gpai"), dict):
        story.append(
            kit.p(kit.text(LABELS, "gpai", articles=", ".join(map(str, act["gpai"].get("articles", [])))))
        )
    rows = [
        [
            o.get("article", ""),
            o.get(kit.language) or o.get("en", ""),
            o.get("who", ""),
            o.get("applies_from", ""),
        ]
        for o in (act.get("obligations") or [])[:MAX_ROWS]
        if isinstance(o, dict)
    ]
    if rows:
        header = [kit.text(LABELS, k) for k in ("article", "obligation", "who", "from")]
        story += [
            kit.p(kit.text(LABELS, "obligations"), "H2"),
            kit.table(header, rows, (0.15, 0.55, 0.12, 0.18)),
        ]
    return story


def _models(section: dict[str, Any], kit: SectionKit) -> list[Flowable]:
    models = [m for m in section.get("models") or [] if isinstance(m, dict)]
    if not models:
        return [kit.p(kit.text(LABELS, "no_models"))]
    story = [kit.heading(kit.text(LABELS, "safety", verdict=section.get("file_safety")), 2)]
    rows = [
        [
            m.get("path", ""),
            m.get("format") or m.get("kind", ""),
            m.get("verdict", ""),
            ", ".join(map(str, (m.get("inputs") or [])[:10])),
        ]
        for m in models[:MAX_ROWS]
    ]
    header = [kit.text(LABELS, k) for k in ("file", "format", "verdict", "inputs")]
    return story + [kit.table(header, rows, (0.4, 0.15, 0.15, 0.3))]


def _card(card: Any, kit: SectionKit) -> list[Flowable]:
    if not isinstance(card, dict):
        return []
    story = [kit.heading(kit.text(LABELS, "card"), 2)]
    if not card.get("checked"):
        return story + [kit.p(kit.text(LABELS, "card_none", reason=card.get("reason", "")))]
    missing = [str(m) for m in card.get("missing") or []]
    text = (
        kit.text(LABELS, "card_missing", items=", ".join(missing))
        if missing
        else kit.text(LABELS, "card_complete")
    )
    return story + [kit.p(text)]


def _bias(fairness: Any, kit: SectionKit) -> list[Flowable]:
    if not isinstance(fairness, dict):
        return []
    rows = []
    for metric in fairness.get("metrics") or []:
        if not isinstance(metric, dict):
            continue
        sizes = metric.get("group_sizes") or {}
        groups = "; ".join(
            f"{g}: {r} (n={sizes.get(g, '?')})" for g, r in (metric.get("by_group") or {}).items()
        )
        interval = metric.get("interval") or ["", ""]
        rows.append(
            [
                metric.get("metric", ""),
                metric.get("difference", ""),
                f"{interval[0]} – {interval[1]}",
                groups,
                kit.text(LABELS, "yes" if metric.get("biased") else "no"),
            ]
        )
    header = [kit.text(LABELS, k) for k in ("metric", "difference", "interval", "groups", "biased")]
    return [
        kit.heading(kit.text(LABELS, "bias", attribute=fairness.get("protected_attribute", "")), 2),
        kit.table(header, rows, (0.28, 0.12, 0.18, 0.32, 0.1)),
        kit.p(kit.text(LABELS, "method", method=fairness.get("method", "")), "Small"),
    ]
