"""An indicator's figures over quarters as a line chart, drawn on the server as SVG: it needs no
script, prints as it shows, and passes the Content-Security-Policy (presentation attributes,
no style). The chart has an accessible name and summary; the table beside it gives every
figure, so the chart is never the only way to read one."""

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from indicators import figures
from indicators import periods as quarters

WIDTH, HEIGHT = 640, 310
LEFT, RIGHT, TOP, BOTTOM = 64, 32, 28, 48
BLUE, GREEN, GREY, BLACK = "#1d70b8", "#00703c", "#505a5f", "#0b0c0c"


def nice_top(value: Decimal) -> Decimal:
    """A round number at or above `value` for the top of the scale: 1, 2, 2.5 or 5 × 10ⁿ."""
    if value <= 0:
        return Decimal(1)
    exponent = value.adjusted()
    for step in (1, 2, Decimal("2.5"), 5, 10):
        top = Decimal(step).scaleb(exponent)
        if top >= value:
            return top
    return Decimal(10).scaleb(exponent)


def axis_label(indicator, value: Decimal) -> str:
    """A number on the scale, short: the unit is named once, above the scale."""
    number = f"{value.normalize():,f}"
    if indicator.unit == indicator.Unit.MONEY:
        return f"£{number}"
    if indicator.unit == indicator.Unit.PERCENTAGE:
        return f"{number}%"
    return number


def short_label(quarter: figures.Quarter) -> str:
    fy, q = quarter
    return f"{fy % 100:02d}/{(fy + 1) % 100:02d} Q{q}"


def indicator_chart(indicator, series) -> SafeString:
    """The chart of `series` (an indicators.series.Series), or "" with fewer than two points."""
    points = [(quarter, figure.value) for quarter, figure in series.history()]
    points = [(quarter, value) for quarter, value in points if value is not None]
    if len(points) < 2:
        return mark_safe("")
    cumulative = indicator.is_cumulative
    share = Decimal(4) if cumulative else Decimal(1)  # a yearly figure's share of one quarter
    baseline = indicator.baseline_value
    if baseline is not None and indicator.baseline_span == indicator.Span.YEAR:
        baseline = baseline / share
    targets = {  # a direction-only target has no line to draw
        fy: target.value / share
        for fy, target in series.targets.items()
        if target.value is not None
    }
    shown = [v for _, v in points] + list(targets.values()) + ([baseline] if baseline else [])
    top = nice_top(max(shown))
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(index: int) -> float:
        return LEFT + inner_w * index / (len(points) - 1)

    def y(value: Decimal) -> float:
        return TOP + inner_h * (1 - float(value / top))

    title = f"{indicator.name} by quarter"
    low = min(points, key=lambda p: p[1])
    high = max(points, key=lambda p: p[1])
    summary = (
        f"From {quarters.period_label(*points[0][0])} to {quarters.period_label(*points[-1][0])}: "
        f"lowest {indicator.format_value(low[1])} in {quarters.period_label(*low[0])}, highest "
        f"{indicator.format_value(high[1])} in {quarters.period_label(*high[0])}. "
        "The table below gives every figure."
    )
    parts = [
        f'<svg class="app-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="chart-title chart-summary" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<desc id="chart-summary">{escape(summary)}</desc>',
    ]
    for step in range(5):  # the scale, with faint grid lines
        value = top * step / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            'stroke="#b1b4b6" stroke-width="1"/>'
            f'<text x="{LEFT - 8}" y="{y(value) + 4:.1f}" text-anchor="end" font-size="12" '
            f'fill="{BLACK}">{escape(axis_label(indicator, value))}</text>'
        )
    parts.append(
        f'<text x="0" y="{TOP - 12}" font-size="12" '
        f'fill="{BLACK}">{escape(indicator.get_unit_display())}</text>'
        if indicator.unit == indicator.Unit.RATE
        else ""
    )
    for index, (quarter, _) in enumerate(points):
        parts.append(
            f'<text x="{x(index):.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" '
            f'font-size="11" fill="{BLACK}">{short_label(quarter)}</text>'
        )
    if baseline is not None:
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(baseline):.1f}" y2="{y(baseline):.1f}" '
            f'stroke="{GREY}" stroke-width="2" stroke-dasharray="2 4"/>'
        )
    for index, (quarter, _) in enumerate(points):  # each year's target, over its quarters
        target = targets.get(quarter[0])
        if target is not None:
            left = x(index - 0.5) if index else x(index)
            right = x(index + 0.5) if index < len(points) - 1 else x(index)
            parts.append(
                f'<line x1="{left:.1f}" x2="{right:.1f}" y1="{y(target):.1f}" '
                f'y2="{y(target):.1f}" stroke="{GREEN}" stroke-width="3" stroke-dasharray="8 4"/>'
            )
    path = " ".join(
        f"{'M' if i == 0 else 'L'}{x(i):.1f},{y(v):.1f}" for i, (_, v) in enumerate(points)
    )
    parts.append(f'<path d="{path}" fill="none" stroke="{BLUE}" stroke-width="3"/>')
    parts += [
        f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="4" fill="{BLUE}"/>'
        for i, (_, v) in enumerate(points)
    ]
    legend = [("Figure", BLUE, ""), ("Target", GREEN, "8 4")]
    if baseline is not None:
        legend.append(("Baseline", GREY, "2 4"))
    for index, (label, colour, dashes) in enumerate(legend):
        left = LEFT + index * 130
        dash = f' stroke-dasharray="{dashes}"' if dashes else ""
        parts.append(
            f'<line x1="{left}" x2="{left + 28}" y1="{HEIGHT - 12}" y2="{HEIGHT - 12}" '
            f'stroke="{colour}" stroke-width="3"{dash}/>'
            f'<text x="{left + 34}" y="{HEIGHT - 8}" font-size="12" fill="{BLACK}">{label}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
