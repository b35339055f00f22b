"""Inline SVG charts for the HTML report: stance rates per protocol with Wilson intervals.

Pure SVG text, no scripts and no external references, so the report stays one file that
renders offline and prints.
"""

from __future__ import annotations

from typing import Any

from gatekeeper.report.escape import html_text

STANCES: tuple[tuple[str, str, str], ...] = (
    ("support", "support", "#2f6f4f"),
    ("oppose", "oppose", "#a23b2a"),
    ("conditional", "conditional", "#b07d12"),
    ("no_preference", "no preference", "#5b6b7a"),
)
_LABEL_W = 190
_PLOT_W = 520
_ROW_H = 13
_GROUP_GAP = 12
_TOP = 28


def _x(rate: float) -> float:
    return _LABEL_W + max(0.0, min(1.0, rate)) * _PLOT_W


def _num(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _record_label(record: dict[str, Any]) -> str:
    label = str(record.get("protocol", "?"))
    if record.get("branch"):
        label += f" / {record['branch']}"
    return label


def _stance_rows(record: dict[str, Any], top: float) -> list[str]:
    parts: list[str] = []
    rates = record.get("rates") if isinstance(record.get("rates"), dict) else {}
    for index, (key, name, colour) in enumerate(STANCES):
        rate = rates.get(key) if isinstance(rates, dict) else None
        y = top + index * _ROW_H + _ROW_H / 2
        if not isinstance(rate, dict):
            continue
        low, high = _num(rate.get("low")), _num(rate.get("high"))
        k, n = _num(rate.get("k")), _num(rate.get("n"))
        if low is None or high is None:
            continue
        point = (k / n) if k is not None and n else (low + high) / 2
        tip = f"{name}: {int(k or 0)}/{int(n or 0)} = {point:.1%}, 95% CI [{low:.1%}, {high:.1%}]"
        parts.append(
            f'<g><title>{html_text(tip)}</title>'
            f'<line x1="{_x(low):.1f}" x2="{_x(high):.1f}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{colour}" stroke-width="3" stroke-linecap="round" opacity="0.55"/>'
            f'<circle cx="{_x(point):.1f}" cy="{y:.1f}" r="3.6" fill="{colour}"/></g>'
        )
    return parts


def stance_chart(topic: str, records: list[dict[str, Any]]) -> str:
    """One SVG per topic: a row group per protocol, one interval per stance."""
    group_h = len(STANCES) * _ROW_H
    height = _TOP + len(records) * (group_h + _GROUP_GAP) + 22
    width = _LABEL_W + _PLOT_W + 20
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" class="chart" '
        f'aria-label="Stance rates with 95% Wilson intervals, topic {html_text(topic)}">',
        f'<text x="0" y="14" class="chart-title">Topic: {html_text(topic)}</text>',
    ]
    bottom = height - 18
    for tick in (0, 25, 50, 75, 100):
        x = _x(tick / 100)
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{_TOP - 6}" y2="{bottom}" '
                     f'stroke="#d5d9de" stroke-width="1"/>')
        parts.append(f'<text x="{x:.1f}" y="{bottom + 13}" text-anchor="middle" '
                     f'class="tick">{tick}%</text>')
    for index, record in enumerate(records):
        top = _TOP + index * (group_h + _GROUP_GAP)
        if index % 2 == 0:
            parts.append(f'<rect x="0" y="{top - 3}" width="{width}" height="{group_h + 6}" '
                         f'fill="#f4f6f8"/>')
        n = record.get("n_samples", "?")
        parts.append(f'<text x="4" y="{top + group_h / 2 + 4:.1f}" class="row-label">'
                     f'{html_text(_record_label(record))} (n={html_text(str(n))})</text>')
        parts.extend(_stance_rows(record, top))
    parts.append("</svg>")
    return "".join(parts)


def legend() -> str:
    items = "".join(
        f'<span class="legend-item"><svg width="26" height="10" aria-hidden="true">'
        f'<line x1="1" x2="25" y1="5" y2="5" stroke="{colour}" stroke-width="3" '
        f'opacity="0.55"/><circle cx="13" cy="5" r="3.6" fill="{colour}"/></svg>'
        f'{html_text(name)}</span>'
        for _, name, colour in STANCES
    )
    return (f'<p class="legend">{items}<span class="legend-note">dot: observed rate k/n; '
            f'bar: Wilson 95% interval</span></p>')
