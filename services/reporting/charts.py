"""Charts of a report as reportlab drawings: findings by severity and by type."""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from services.reporting.fonts import BOLD, REGULAR, register_fonts
from services.reporting.i18n import Labels

SEVERITY_COLOURS = {
    "critical": colors.HexColor("#7f1d1d"), "high": colors.HexColor("#dc2626"),
    "medium": colors.HexColor("#f59e0b"), "low": colors.HexColor("#3b82f6"),
    "info": colors.HexColor("#9ca3af"),
}
ACCENT = colors.HexColor("#1e3a5f")
TYPES_IN_CHART = 10
TYPE_LABEL_CHARS = 26  # longer type names are cut so the bars keep their width


def severity_chart(
    by_severity: dict[str, int], labels: Labels, width: float = 230, height: float = 190
) -> Drawing:
    """Vertical bars, one per severity, in the severity's colour."""
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 12, labels("chart_by_severity"), fontName=BOLD, fontSize=10))
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 30, 30, width - 40, height - 60
    severities = list(by_severity)
    chart.data = [[by_severity[s] for s in severities]]
    chart.categoryAxis.categoryNames = [labels.named("severity", s) for s in severities]
    _fonts(chart)
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = _axis_max(max(by_severity.values(), default=0))
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = REGULAR
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 6
    for index, severity in enumerate(severities):
        chart.bars[(0, index)].fillColor = SEVERITY_COLOURS.get(severity, ACCENT)
    drawing.add(chart)
    return drawing


def type_chart(
    by_type: list[tuple[str, int]], labels: Labels, width: float = 250, height: float = 190
) -> Drawing:
    """Horizontal bars for the most frequent finding types."""
    top = list(reversed(by_type[:TYPES_IN_CHART]))  # the chart draws its first category at the bottom
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 12, labels("chart_by_type"), fontName=BOLD, fontSize=10))
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 115, 20, width - 125, height - 45
    chart.data = [[count for _, count in top] or [0]]
    chart.categoryAxis.categoryNames = [_short(kind) for kind, _ in top] or ["-"]
    _fonts(chart)
    chart.categoryAxis.labels.fontSize = 6.5
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = _axis_max(max((count for _, count in top), default=0))
    chart.bars[0].fillColor = ACCENT
    drawing.add(chart)
    return drawing


def _fonts(chart: VerticalBarChart | HorizontalBarChart) -> None:
    register_fonts()
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName = REGULAR
        axis.labels.fontSize = 7


def _short(kind: str) -> str:
    return kind if len(kind) <= TYPE_LABEL_CHARS else kind[: TYPE_LABEL_CHARS - 1] + "."


def _axis_max(largest: int) -> int:
    # headroom for the bar labels, and a visible axis when there is nothing to draw
    return max(5, int(largest * 1.15) + 1)
