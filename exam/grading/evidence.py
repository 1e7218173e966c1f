"""Evidence spans -> HTML: the trainee's text, escaped, with the matched words marked."""
from __future__ import annotations

from markupsafe import Markup, escape


def merge_spans(spans, length: int) -> list[tuple[int, int, str]]:
    """Sorted, non-overlapping (start, end, label) spans clipped to the text."""
    clean = sorted((max(0, int(s)), min(length, int(e)), str(label))
                   for s, e, label in spans if int(e) > int(s) and int(s) < length)
    merged: list[list] = []
    for start, end, label in clean:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            if label not in merged[-1][2].split(" "):
                merged[-1][2] += " " + label
        else:
            merged.append([start, end, label])
    return [tuple(m) for m in merged]


def highlight(text: str, spans) -> Markup:
    """`spans` are (start, end, label) in `text`; everything else is escaped as plain text."""
    text = text or ""
    out, pos = [], 0
    for start, end, label in merge_spans(spans, len(text)):
        out.append(escape(text[pos:start]))
        out.append(Markup('<mark title="采分点 {}">{}</mark>').format(label, text[start:end]))
        pos = end
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def part_spans(part_result: dict) -> list[tuple[int, int, str]]:
    """The evidence of every awarded key point of one graded part (PartResult.to_dict())."""
    spans = []
    for point in part_result.get("points", []):
        if point.get("awarded"):
            spans.extend((s, e, point["id"]) for s, e in point.get("evidence", []))
    return spans
