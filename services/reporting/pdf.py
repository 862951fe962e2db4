"""The PDF report, drawn with reportlab platypus from a `ReportModel`.

Sections: cover, executive summary (score, risk, charts), the DPIA assessment when a DPIA result is
included (verdict, grounds or exemption, risks before and after measures, prior consultation),
findings by type and location, GDPR article mapping, prioritised remediation plan, suppressed
findings, and the scope and method appendix with the scoring formula and each scan's breakdown.
Every dynamic string is XML-escaped before it reaches a Paragraph, so a file name or evidence string
cannot inject markup.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, StyleSheet1, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import LayoutError

from services import scoring
from services.exports.common import location_text, severity_rank
from services.reporting import model as report_model
from services.reporting.charts import ACCENT, SEVERITY_COLOURS, severity_chart, type_chart
from services.reporting.dpia_summary import DpiaReason, DpiaSummary
from services.reporting.fonts import BOLD, REGULAR, register_fonts
from services.reporting.i18n import Labels
from services.reporting.layout import BODY_WIDTH, LIGHT, MARGIN, PAGE_HEIGHT, PAGE_WIDTH
from services.reporting.layout import paragraph as _p
from services.reporting.layout import table as _table
from services.reporting.model import ReportModel, ScanRow, TypeSection
from services.reporting.sections import scanner_sections
from utils.errors import InvalidRequestError

BREAKDOWN_ROWS = 20  # per scan in the appendix; the full breakdown is in the JSON export
ERROR_ROWS = 10
LOGO_BOX = (5 * cm, 2.5 * cm)
RISK_COLOURS = {"low": colors.HexColor("#15803d"), "medium": colors.HexColor("#f59e0b"),
                "high": colors.HexColor("#dc2626"), "critical": colors.HexColor("#7f1d1d"),
                scoring.NOT_ASSESSED: colors.HexColor("#6b7280")}
Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class ReportMeta:
    """What the report says about itself: who it is for, its title, language and date."""

    organisation: str
    title: str
    language: str
    generated: date
    logo: Path | None = None


def render_pdf(model: ReportModel, meta: ReportMeta, progress: Progress | None = None,
               results: Sequence[dict[str, Any]] = ()) -> tuple[bytes, int]:
    """Render the report; return the PDF bytes and its page count.

    `results` are the results the model was built from: the scanners' own sections read them (the
    model itself carries only what every report shows).
    """
    labels = Labels(meta.language)
    styles = _styles()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN, title=meta.title or labels("report_title"), author=meta.organisation,
        creator="DataGuardian Pro", subject=labels("report_title"), lang=meta.language,
        invariant=True,  # same input, same bytes: a report's sha256 is reproducible
    )
    story = _story(model, meta, labels, styles, results)
    footer = _Footer(meta, labels, progress)
    try:
        doc.build(story, onFirstPage=footer.cover, onLaterPages=footer)
    except LayoutError as error:
        raise InvalidRequestError(f"report cannot be laid out: {error}") from None
    return buffer.getvalue(), doc.page


def _story(model: ReportModel, meta: ReportMeta, labels: Labels, styles: StyleSheet1,
           results: Sequence[dict[str, Any]]) -> list[Flowable]:
    story = [*_cover(model, meta, labels, styles), PageBreak()]
    story += _executive_summary(model, labels, styles)
    story += _dpia_section(model, labels, styles)
    story += scanner_sections(results, labels, styles)
    story += _findings_section(model, labels, styles)
    story += _article_section(model, labels, styles)
    story += _remediation_section(model, labels, styles)
    story += _suppressed_section(model, labels, styles)
    story += _appendix(model, labels, styles)
    return story


class _Footer:
    """Page decoration: a footer with organisation, title and page number; reports progress."""

    def __init__(self, meta: ReportMeta, labels: Labels, progress: Progress | None) -> None:
        self.meta, self.labels, self.progress = meta, labels, progress

    def cover(self, canvas: Any, doc: Any) -> None:
        """The cover has a coloured band instead of a footer."""
        canvas.saveState()
        canvas.setFillColor(ACCENT)
        canvas.rect(0, PAGE_HEIGHT - 1.2 * cm, PAGE_WIDTH, 1.2 * cm, stroke=0, fill=1)
        canvas.restoreState()
        self._report(doc.page)

    def __call__(self, canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(REGULAR, 7.5)
        canvas.setFillColor(colors.HexColor("#6b7280"))
        title = self.meta.title or self.labels("report_title")
        left = " - ".join(part for part in (self.meta.organisation, title) if part)
        canvas.drawString(MARGIN, 1.0 * cm, f"{left}  |  {self.labels('confidential')}")
        canvas.drawRightString(PAGE_WIDTH - MARGIN, 1.0 * cm, f"{self.labels('page')} {doc.page}")
        canvas.setStrokeColor(LIGHT)
        canvas.line(MARGIN, 1.35 * cm, PAGE_WIDTH - MARGIN, 1.35 * cm)
        canvas.restoreState()
        self._report(doc.page)

    def _report(self, page: int) -> None:
        if self.progress is not None:
            # rendering time grows with pages; 40-90 % is the renderer's share of the job
            self.progress(min(90.0, 40.0 + page), f"rendered page {page}")


def _styles() -> StyleSheet1:
    register_fonts()
    styles = getSampleStyleSheet()
    for style in styles.byName.values():
        if isinstance(style, ParagraphStyle):
            style.fontName = BOLD if "Bold" in style.fontName else REGULAR
    styles.add(ParagraphStyle("Body", parent=styles["BodyText"], fontSize=9, leading=12))
    styles.add(ParagraphStyle("Small", parent=styles["BodyText"], fontSize=7.5, leading=9.5))
    styles.add(ParagraphStyle("Cell", parent=styles["BodyText"], fontSize=7.5, leading=9, spaceAfter=0,
                              spaceBefore=0))
    styles.add(ParagraphStyle("HeadCell", parent=styles["Cell"], textColor=colors.white,
                              fontName=BOLD))
    # headings and intros stay with what follows them, never alone at the foot of a page
    styles.add(ParagraphStyle("H1", parent=styles["Heading1"], fontSize=16, textColor=ACCENT,
                              spaceBefore=4, spaceAfter=8, keepWithNext=1))
    styles.add(ParagraphStyle("H2", parent=styles["Heading2"], fontSize=11, textColor=ACCENT,
                              spaceBefore=8, spaceAfter=4, keepWithNext=1))
    styles.add(ParagraphStyle("Intro", parent=styles["Small"], keepWithNext=1, spaceAfter=4))
    styles.add(ParagraphStyle("CoverTitle", parent=styles["Title"], fontSize=26, leading=32,
                              textColor=ACCENT, alignment=0))
    styles.add(ParagraphStyle("Big", parent=styles["Body"], fontSize=22, leading=26,
                              fontName=BOLD, alignment=1))
    # words in a KPI box ("not assessed", "gemiddeld") at 22 pt would be split mid-word
    styles.add(ParagraphStyle("BigWords", parent=styles["Big"], fontSize=13, leading=16))
    styles.add(ParagraphStyle("KpiLabel", parent=styles["Small"], alignment=1,
                              textColor=colors.HexColor("#374151")))
    return styles


def _severity(severity: str, labels: Labels, styles: StyleSheet1) -> Paragraph:
    colour = SEVERITY_COLOURS.get(severity, ACCENT).hexval()[2:]
    return Paragraph(f'<font color="#{colour}"><b>{escape(labels.named("severity", severity))}</b></font>',
                     styles["Cell"])


def _score_text(score: int | None, labels: Labels) -> str:
    return labels("not_assessed") if score is None else f"{score}/100"


# --- cover -------------------------------------------------------------------------------------


def _cover(model: ReportModel, meta: ReportMeta, labels: Labels, styles: StyleSheet1) -> list[Flowable]:
    story: list[Flowable] = [Spacer(1, 2.5 * cm)]
    if meta.logo is not None:
        story += [_logo(meta.logo), Spacer(1, 1 * cm)]
    story.append(_p(meta.title or labels("report_title"), styles["CoverTitle"]))
    story.append(Spacer(1, 0.6 * cm))
    if meta.organisation:
        story.append(_p(f"{labels('prepared_for')}: {meta.organisation}", styles["Heading3"]))
    story.append(_p(f"{labels('generated_on')}: {labels.long_date(meta.generated)}", styles["Body"]))
    scans = ", ".join(dict.fromkeys(labels.named("scanner", s.scanner) for s in model.scans))
    story.append(_p(f"{labels('scans_included')}: {scans}", styles["Body"]))
    story += [Spacer(1, 2 * cm), _kpis(model, labels, styles)]
    story += [Spacer(1, 3 * cm), _p(labels("confidential").upper(), styles["Small"])]
    return story


def _logo(path: Path) -> Image:
    try:
        image = Image(str(path))
    except Exception as error:  # reportlab/Pillow raise many types for a file that is not an image
        kind = type(error).__name__
        raise InvalidRequestError(f"logo is not a readable image: {path.name} ({kind})") from None
    scale = min(LOGO_BOX[0] / image.imageWidth, LOGO_BOX[1] / image.imageHeight, 1.0)
    image.drawWidth, image.drawHeight = image.imageWidth * scale, image.imageHeight * scale
    image.hAlign = "LEFT"
    return image


def _kpis(model: ReportModel, labels: Labels, styles: StyleSheet1) -> Table:
    """Four boxes: overall score, risk level, findings, suppressed."""
    score = model.score.score if model.score else None
    risk = model.score.risk_level if model.score else scoring.NOT_ASSESSED
    values = [_score_text(score, labels), labels.named("risk", risk), str(model.total),
              str(model.suppressed_total)]
    captions = [labels("overall_score"), labels("risk_level"), labels("findings"), labels("suppressed")]
    big = [_p(v, styles["Big" if v[:1].isdigit() else "BigWords"]) for v in values]
    table = Table([big, [_p(c, styles["KpiLabel"]) for c in captions]],
                  colWidths=[BODY_WIDTH / 4] * 4)
    table.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 0.5, ACCENT), ("INNERGRID", (0, 0), (-1, -1), 0.25, LIGHT),
        ("BACKGROUND", (0, 0), (-1, -1), LIGHT), ("TEXTCOLOR", (1, 0), (1, 0), RISK_COLOURS[risk]),
        ("TOPPADDING", (0, 0), (-1, 0), 10), ("BOTTOMPADDING", (0, 1), (-1, 1), 8),
        ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
    ]))
    return table


# --- executive summary ---------------------------------------------------------------------------


def _executive_summary(model: ReportModel, labels: Labels, styles: StyleSheet1) -> list[Flowable]:
    story: list[Flowable] = [_p(labels("executive_summary"), styles["H1"]), _kpis(model, labels, styles),
                             Spacer(1, 0.4 * cm)]
    story.append(_p(labels("summary_sentence", total=model.total, scans=len(model.scans),
                           suppressed=model.suppressed_total, **model.by_severity), styles["Body"]))
    story.append(_p(_score_sentence(model, labels), styles["Body"]))
    if model.not_assessed:
        story.append(_p(labels("not_assessed_note", count=model.not_assessed), styles["Body"]))
    if model.partial:
        story.append(_p(labels("partial_note", count=model.partial), styles["Body"]))
    if len(model.scans) > 1:
        story.append(_p(labels("overall_score_note"), styles["Small"]))
    story += [_p(labels("per_scan"), styles["H2"]), _scan_table(model.scans, labels, styles)]
    charts = Table([[severity_chart(model.by_severity, labels), type_chart(model.by_type, labels)]],
                   colWidths=[BODY_WIDTH * 0.47, BODY_WIDTH * 0.53])
    story += [Spacer(1, 0.5 * cm), charts, PageBreak()]
    return story


def _score_sentence(model: ReportModel, labels: Labels) -> str:
    if model.score is None:
        return labels("score_sentence_none")
    top = ", ".join(f"{row['type']} (-{row['points']:g})" for row in model.score.breakdown[:3]) or "-"
    return labels("score_sentence", score=model.score.score,
                  risk=labels.named("risk", model.score.risk_level), top=top)


def _scan_table(scans: list[ScanRow], labels: Labels, styles: StyleSheet1) -> Table:
    rows = [[labels.named("scanner", s.scanner), labels.named("status", s.status),
             _score_text(s.score, labels), labels.named("risk", s.risk_level), s.findings, s.suppressed,
             s.items_scanned] for s in scans]
    header = [labels("col_scanner"), labels("col_status"), labels("col_score"), labels("col_risk"),
              labels("col_findings"), labels("suppressed"), labels("col_items")]
    return _table(header, rows, [0.17, 0.18, 0.11, 0.11, 0.13, 0.15, 0.15], styles)


# --- DPIA ----------------------------------------------------------------------------------------


def _dpia_section(model: ReportModel, labels: Labels, styles: StyleSheet1) -> list[Flowable]:
    if not model.dpia:
        return []
    story: list[Flowable] = [_p(labels("dpia_section"), styles["H1"]),
                             _p(labels("dpia_intro"), styles["Intro"])]
    for summary in model.dpia:
        story += _dpia_block(summary, labels, styles)
    return story


def _dpia_block(summary: DpiaSummary, labels: Labels, styles: StyleSheet1) -> list[Flowable]:
    language = labels.language
    story: list[Flowable] = [
        _p(labels("dpia_heading", job=summary.job_id, version=summary.version), styles["H2"]),
        _p(labels("dpia_verdict", verdict=labels.named("verdict", summary.verdict)), styles["Body"])]
    if summary.exemption:
        story.append(_p(labels("dpia_exemption", text=summary.exemption[language],
                               articles=", ".join(summary.exemption_articles)), styles["Body"]))
    if summary.mandatory_cases:
        story.append(_p(labels("dpia_mandatory", cases=", ".join(summary.mandatory_cases)), styles["Body"]))
    if summary.reasons:
        story.append(_p(labels("dpia_grounds"), styles["Small"]))
        story += [_p(_reason_text(reason, labels), styles["Small"]) for reason in summary.reasons]
    story.append(_consultation(summary, labels, styles))
    if summary.risks:
        story.append(_dpia_risks(summary, labels, styles))
    if summary.articles:
        story.append(_p(labels("dpia_articles", articles=", ".join(summary.articles)), styles["Small"]))
    return story


def _reason_text(reason: DpiaReason, labels: Labels) -> str:
    text = f"- {reason.text[labels.language]} ({', '.join(reason.articles) or reason.ground})"
    return f"{text}: {labels('dpia_set_aside')}" if reason.set_aside else text


def _consultation(summary: DpiaSummary, labels: Labels, styles: StyleSheet1) -> Paragraph:
    if not summary.prior_consultation:
        return _p(labels("dpia_no_consultation"), styles["Body"])
    risks = ", ".join(title[labels.language] for title in summary.consultation_risks)
    colour = SEVERITY_COLOURS["high"].hexval()[2:]
    text = escape(labels("dpia_consultation", risks=risks))
    return Paragraph(f'<font color="#{colour}"><b>{text}</b></font>', styles["Body"])


def _dpia_risks(summary: DpiaSummary, labels: Labels, styles: StyleSheet1) -> Table:
    def level(name: str, rating: str) -> str:
        return f"{labels.named('level', name)} ({rating})" if rating else labels.named("level", name)

    rows = [[risk.title[labels.language], labels.named("kind", risk.kind),
             level(risk.inherent, risk.inherent_rating), level(risk.residual, risk.residual_rating),
             "; ".join(risk.measures[labels.language]) or "-"] for risk in summary.risks]
    header = [labels("col_dpia_risk"), labels("col_kind"), labels("col_inherent"), labels("col_residual"),
              labels("col_measures")]
    return _table(header, rows, [0.3, 0.13, 0.15, 0.15, 0.27], styles)


# --- findings ------------------------------------------------------------------------------------


def _findings_section(model: ReportModel, labels: Labels, styles: StyleSheet1) -> list[Flowable]:
    story: list[Flowable] = [_p(labels("findings_section"), styles["H1"])]
    story.append(_p(labels("findings_intro", examples=report_model.EXAMPLES_PER_GROUP,
                           groups=report_model.GROUPS_PER_TYPE), styles["Intro"]))
    if not model.sections:
        story.append(_p(labels("no_findings"), styles["Body"]))
    for section in model.sections:
        story += _type_block(section, labels, styles)
    return story


def _type_block(section: TypeSection, labels: Labels, styles: StyleSheet1) -> list[Flowable]:
    heading = _p(labels("type_heading", type=section.type, count=section.count, locations=section.locations,
                        severity=labels.named("severity", section.worst)), styles["H2"])
    details = f"{labels('col_articles')}: {', '.join(section.articles) or '-'}"
    if section.remediation:
        details += f"  |  {labels('col_action')}: {section.remediation}"
    rows: list[list[object]] = [
        [group.location, group.count, _positions(group), "  ".join(group.examples) or "-"]
        for group in section.groups
    ]
    if section.hidden_groups:
        rows.append([labels("more_locations", groups=section.hidden_groups, count=section.hidden_findings),
                     section.hidden_findings, "", ""])
    header = [labels("col_location"), labels("col_count"), labels("col_positions"), labels("col_examples")]
    table = _table(header, rows, [0.42, 0.08, 0.22, 0.28], styles)
    return [KeepTogether([heading, _p(details, styles["Intro"])]), table]


def _natural_key(position: str) -> list[int]:
    # lines and pages in number order (2, 10, 122), not text order (10, 122, 2)
    return [int(part) if part.isdigit() else 0 for part in re.split(r"\D+", position)]


def _positions(group: report_model.Group) -> str:
    text = ", ".join(sorted(group.positions, key=_natural_key))
    hidden = group.count - len(group.positions)
    return f"{text} ..." if text and hidden > 0 else text


# --- GDPR articles and remediation ---------------------------------------------------------------


def _article_section(model: ReportModel, labels: Labels, styles: StyleSheet1) -> list[Flowable]:
    if not model.articles:
        return []
    rows = [[_article_cell(article, labels, styles), ", ".join(types), count]
            for article, types, count in model.articles]
    header = [labels("col_article"), labels("col_type"), labels("col_findings")]
    return [_p(labels("gdpr_mapping"), styles["H1"]), _p(labels("gdpr_intro"), styles["Intro"]),
            _table(header, rows, [0.3, 0.57, 0.13], styles)]


def _article_cell(article: str, labels: Labels, styles: StyleSheet1) -> Paragraph:
    title = labels.article_title(article)
    text = f"<b>{escape(article)}</b>" + (f"<br/>{escape(title)}" if title else "")
    return Paragraph(text, styles["Cell"])


def _remediation_section(model: ReportModel, labels: Labels, styles: StyleSheet1) -> list[Flowable]:
    if not model.sections:
        return []
    ordered = sorted(model.sections, key=lambda s: (severity_rank(s.worst), -s.points, s.type))
    rows = [[labels(f"priority_{s.worst}") if s.worst in scoring.SEVERITY_POINTS else s.worst,
             s.type, s.count, s.locations, f"{s.points:g}", s.remediation or "-"] for s in ordered]
    header = [labels("col_priority"), labels("col_type"), labels("col_findings"), labels("col_locations"),
              labels("col_points"), labels("col_action")]
    return [_p(labels("remediation_plan"), styles["H1"]), _p(labels("remediation_intro"), styles["Intro"]),
            _table(header, rows, [0.15, 0.21, 0.11, 0.11, 0.1, 0.32], styles)]


def _suppressed_section(model: ReportModel, labels: Labels, styles: StyleSheet1) -> list[Flowable]:
    if not model.suppressed_total:
        return []
    page_label = labels("page_abbrev")
    rows = [[labels.named("scanner", scanner), f["type"], location_text(f["location"], page_label=page_label),
             report_model.clip(str(f.get("evidence") or "-"), report_model.EVIDENCE_CHARS),
             _severity(str(f["severity"]), labels, styles)]
            for scanner, f in report_model.suppressed_rows(model)]
    hidden = model.suppressed_total - len(rows)
    if hidden > 0:
        rows.append([labels("more_rows", count=hidden), "", "", "", ""])
    header = [labels("col_scanner"), labels("col_type"), labels("col_location"), labels("col_examples"),
              labels("col_severity")]
    return [_p(labels("suppressed_section"), styles["H1"]), _p(labels("suppressed_intro"), styles["Intro"]),
            _table(header, rows, [0.13, 0.2, 0.35, 0.2, 0.12], styles)]


# --- appendix ------------------------------------------------------------------------------------


def _appendix(model: ReportModel, labels: Labels, styles: StyleSheet1) -> list[Flowable]:
    story: list[Flowable] = [PageBreak(), _p(labels("appendix"), styles["H1"]),
                             _p(labels("scope"), styles["H2"])]
    rows = [[labels.named("scanner", s.scanner), s.job_id, labels.named("status", s.status),
             _timestamp(s.started_at), _timestamp(s.finished_at), s.items_scanned, f"{s.bytes_scanned:,}",
             len(s.errors)] for s in model.scans]
    header = [labels("col_scanner"), labels("col_job"), labels("col_status"), labels("col_started"),
              labels("col_finished"), labels("col_items"), labels("col_bytes"), labels("col_errors")]
    story.append(_table(header, rows, [0.14, 0.18, 0.11, 0.14, 0.14, 0.1, 0.11, 0.08], styles))
    story += [_p(labels("method"), styles["H2"]), _p(labels("method_text"), styles["Body"])]
    story += [_p(labels("formula_heading"), styles["H2"]), _p(_formula(labels), styles["Body"])]
    for scan in model.scans:
        story += _breakdown(scan, labels, styles)
    return story


def _timestamp(value: str) -> str:
    """`2026-11-23 09:00 UTC` from an ISO timestamp; other text unchanged."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%d %H:%M") + " UTC"


def _formula(labels: Labels) -> str:
    levels = ", ".join(f"{labels.named('risk', level)} >= {floor}" for floor, level in scoring.RISK_LEVELS)
    points = {severity: f"{value:g}" for severity, value in scoring.SEVERITY_POINTS.items()}
    return labels("formula_text", cap=f"{scoring.CAP_PER_TYPE:g}", levels=levels, **points)


def _breakdown(scan: ScanRow, labels: Labels, styles: StyleSheet1) -> list[Flowable]:
    name = f"{labels.named('scanner', scan.scanner)} ({scan.job_id}): {_score_text(scan.score, labels)}"
    story: list[Flowable] = [_p(labels("breakdown_heading", scan=name), styles["H2"])]
    rows = [[row.get("type"), row.get("findings"), f"{row.get('points', 0):g}",
             labels("yes") if row.get("capped") else labels("no"),
             ", ".join(report_model.sort_articles(list(row.get("gdpr_articles") or ())))]
            for row in scan.breakdown[:BREAKDOWN_ROWS]]
    if len(scan.breakdown) > BREAKDOWN_ROWS:
        rows.append([labels("more_rows", count=len(scan.breakdown) - BREAKDOWN_ROWS), "", "", "", ""])
    if not rows:
        rows = [[labels("no_findings"), "", "", "", ""]]
    header = [labels("col_type"), labels("col_findings"), labels("col_points"), labels("col_capped"),
              labels("col_articles")]
    story.append(_table(header, rows, [0.3, 0.12, 0.14, 0.1, 0.34], styles))
    if scan.errors:
        story.append(_p(labels("scan_errors", scan=labels.named("scanner", scan.scanner)), styles["Small"]))
        story += [_p(f"- {error}", styles["Small"]) for error in scan.errors[:ERROR_ROWS]]
        if len(scan.errors) > ERROR_ROWS:
            story.append(_p(labels("more_rows", count=len(scan.errors) - ERROR_ROWS), styles["Small"]))
    return story
