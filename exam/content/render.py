"""Lesson Markdown -> sanitised HTML, table of contents and sections.

python-markdown does the rendering (toc, tables, attr_list, fenced code,
admonitions); nh3 strips whatever HTML an author (or a future importer) let
through. The result is stored per lesson version, so pages never re-render.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

import markdown
import nh3

# `## 标题 {#anchor .aux}`: the stable id and optional classes of a section.
SECTION_RE = re.compile(r"^##[ \t]+(?P<title>.+?)[ \t]*\{(?P<attrs>[^}]*)\}[ \t]*$")
H2_RE = re.compile(r"^##[ \t]+(?!#)")
FENCE_RE = re.compile(r"^(```|~~~)")
SHORTCODE_RE = re.compile(r"\[\[q:([a-z0-9-]+)\]\]")
ANCHOR_RE = re.compile(r"^[a-z][a-z0-9-]{0,58}$")

QUESTION_URL = "/practice/question/{}"
# Part of every lesson's cache key: bump it when the rendering changes so stored HTML is rebuilt.
RENDERER_VERSION = 2

EXTENSIONS = ["toc", "tables", "attr_list", "fenced_code", "admonition", "sane_lists", "def_list"]

ALLOWED_TAGS = set(nh3.ALLOWED_TAGS) | {"div", "span", "table", "thead", "tbody", "tr", "th", "td"}
ALLOWED_ATTRS = {tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()}
for _tag in ("h2", "h3", "h4", "div", "span", "p", "table", "th", "td", "a", "ol", "ul", "li"):
    ALLOWED_ATTRS.setdefault(_tag, set()).update({"id", "class"})
ALLOWED_ATTRS["td"].add("align")
ALLOWED_ATTRS["th"].add("align")


@dataclass
class SectionInfo:
    anchor: str
    title: str
    aux: bool
    line: int  # line inside the body (1-based)


@dataclass
class Rendered:
    html: str
    toc: list[dict]  # [{anchor, title}] of the ## sections
    sections: list[SectionInfo]


def find_sections(body: str) -> tuple[list[SectionInfo], list[tuple[int, str]]]:
    """The ## sections with their anchors, and problems (line, message) for headings without one."""
    sections, problems, in_fence = [], [], False
    for lineno, line in enumerate(body.splitlines(), start=1):
        if FENCE_RE.match(line.strip()):
            in_fence = not in_fence
            continue
        if in_fence or not H2_RE.match(line):
            continue
        m = SECTION_RE.match(line)
        anchor = None
        classes = []
        if m:
            for token in m.group("attrs").split():
                if token.startswith("#"):
                    anchor = token[1:]
                elif token.startswith("."):
                    classes.append(token[1:])
        if not anchor:
            problems.append((lineno, f"二级标题“{line[3:].strip()}”缺少稳定 id（写成 {{#section-id}}）"))
            continue
        if not ANCHOR_RE.match(anchor):
            problems.append((lineno, f"小节 id “{anchor}” 只能用小写字母、数字和连字符"))
            continue
        sections.append(SectionInfo(anchor, m.group("title").strip(), "aux" in classes, lineno))
    return sections, problems


def question_links(body: str) -> list[str]:
    return SHORTCODE_RE.findall(body)


def render_lesson(body: str, stems: dict[str, str] | None = None) -> Rendered:
    """Render a lesson body. `stems` maps question ids to stems for [[q:ID]] links."""
    stems = stems or {}

    def link(m):
        qid = m.group(1)
        text = _shorten(stems.get(qid, qid))
        return f"[{_md_escape(text)}]({QUESTION_URL.format(qid)}){{: .q-link}}"

    md = markdown.Markdown(extensions=EXTENSIONS, extension_configs={"toc": {"toc_depth": "2-2"}})
    raw_html = md.convert(SHORTCODE_RE.sub(link, body))
    html = nh3.clean(raw_html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRS,
                     url_schemes={"http", "https", "mailto"})
    # Wide tables scroll sideways on a phone; a scrollable region must take keyboard focus.
    html = html.replace("<table>", '<table tabindex="0">')
    sections, _ = find_sections(body)
    toc = [{"anchor": s.anchor, "title": s.title} for s in sections]
    return Rendered(html, toc, sections)


def render_text(text: str) -> str:
    """Short Markdown (a stem, an explanation) rendered and sanitised, for display."""
    # nl2br: 参考答案, 解析 and case material are written line by line; a line break is meant as one.
    raw_html = markdown.markdown(text or "", extensions=["tables", "sane_lists", "nl2br"])
    return nh3.clean(raw_html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRS)


def _shorten(text: str, limit: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _md_escape(text: str) -> str:
    return escape(re.sub(r"([\\`*_\[\]{}<>#|])", r"\\\1", text), quote=False)
