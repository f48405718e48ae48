"""Small server-rendered SVG bar charts, each with a text alternative."""

from markupsafe import Markup, escape

WIDTH, HEIGHT, PAD = 320, 120, 18


def bar_chart(points: list[tuple[str, float | None]], *, title: str, fmt) -> Markup:
    """Bars for labelled values (None = no data); fmt formats a value for labels and alt text."""
    values = [v for _, v in points if v is not None]
    top = max(values) if values else 0
    top = top or 1
    step = (WIDTH - 2) / max(1, len(points))
    bars, labels = [], []
    for i, (label, value) in enumerate(points):
        x = 1 + i * step
        labels.append(f'<text x="{x + step / 2:.1f}" y="{HEIGHT - 4}" text-anchor="middle">'
                      f"{escape(label)}</text>")
        if value is None:
            continue
        h = (HEIGHT - 2 * PAD) * value / top
        bars.append(f'<rect x="{x + step * 0.15:.1f}" y="{HEIGHT - PAD - h:.1f}" '
                    f'width="{step * 0.7:.1f}" height="{h:.1f}"><title>{escape(label)}: '
                    f"{escape(fmt(value))}</title></rect>")
    summary = "; ".join(f"{label}: {fmt(v) if v is not None else '–'}" for label, v in points)
    return Markup(
        f'<figure class="chart"><svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
        f'<line x1="0" y1="{HEIGHT - PAD}" x2="{WIDTH}" y2="{HEIGHT - PAD}"/>'
        f'{"".join(bars)}{"".join(labels)}</svg>'
        f"<figcaption>{escape(title)}<span class=\"visually-hidden\">. {escape(summary)}"
        f"</span></figcaption></figure>"
    )
