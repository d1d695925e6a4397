"""A shields.io-style SVG badge of a compliance score."""

from __future__ import annotations

from html import escape

from .model import Score

# Approximate advance widths of Verdana 11px (what shields.io measures with),
# enough to size the two halves of the badge.
_NARROW = set("ijlI.,:;|!'() ")
_WIDE = set("mwMW%@")


def _width(text: str) -> int:
    total = 0.0
    for ch in text:
        total += 4.0 if ch in _NARROW else 10.5 if ch in _WIDE else 8.0 if ch.isupper() else 7.0
    return int(total + 10)  # 5px padding either side


def color_for(score: Score, complete: bool = True) -> str:
    """Shields' palette by score; grey when there is nothing to show."""
    pct = score.percent
    if pct is None or not complete:
        return "#9f9f9f"
    for floor, color in ((100, "#4c1"), (95, "#97ca00"), (80, "#a4a61d"), (60, "#dfb317"), (40, "#fe7d37")):
        if pct >= floor:
            return color
    return "#e05d44"


def render_badge(label: str, message: str, color: str) -> str:
    """A flat badge: grey label on the left, coloured message on the right."""
    lw, mw = _width(label), _width(message)
    total = lw + mw
    label_e, message_e = escape(label), escape(message)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" role="img" '
        f'aria-label="{label_e}: {message_e}"><title>{label_e}: {message_e}</title>'
        '<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/>'
        '<stop offset="1" stop-opacity=".1"/></linearGradient>'
        f'<clipPath id="r"><rect width="{total}" height="20" rx="3" fill="#fff"/></clipPath>'
        f'<g clip-path="url(#r)"><rect width="{lw}" height="20" fill="#555"/>'
        f'<rect x="{lw}" width="{mw}" height="20" fill="{color}"/>'
        f'<rect width="{total}" height="20" fill="url(#s)"/></g>'
        '<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">'
        f'<text x="{lw / 2:.1f}" y="15" fill="#010101" fill-opacity=".3">{label_e}</text>'
        f'<text x="{lw / 2:.1f}" y="14">{label_e}</text>'
        f'<text x="{lw + mw / 2:.1f}" y="15" fill="#010101" fill-opacity=".3">{message_e}</text>'
        f'<text x="{lw + mw / 2:.1f}" y="14">{message_e}</text></g></svg>\n'
    )


def score_badge(
    score: Score, *, label: str = "flask conformance", complete: bool = True, partial: bool = False
) -> str:
    """The score's badge; an incomplete run or a partial selection (-k, -m, some files)
    says so in the message, so that neither passes for a whole run."""
    notes = [word for word, flag in (("partial", partial), ("incomplete", not complete)) if flag]
    message = f"{score.text} ({', '.join(notes)})" if notes else score.text
    return render_badge(label, message, color_for(score, complete))
