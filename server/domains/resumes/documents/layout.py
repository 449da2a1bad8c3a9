"""Drawing helpers the three renderers share: the A4 page, Japanese-aware line breaking, text in a
box and a top-to-bottom flow that turns pages without losing a line.

Everything is in millimetres on an A4 portrait page; fpdf2's own automatic page breaks are off, so
each renderer decides where a page ends (a form row or a box is never cut by the library).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import datetime, time
from zoneinfo import ZoneInfo

from fpdf import FPDF

from server.domains.resumes.documents import fonts
from server.domains.resumes.documents.model import Person, ResumeDocument

PAGE_WIDTH = 210.0
PAGE_HEIGHT = 297.0
PT = 25.4 / 72
"""One typographic point in millimetres."""
TOKYO = ZoneInfo("Asia/Tokyo")

_TOKEN = re.compile(r"[!-~]+|[ \t]+|.", re.DOTALL)
"""A run of printable ASCII (a Latin word, a number, an address), a run of spaces, or one character:
Japanese breaks between any two characters, Latin only between words."""
_NO_LINE_START = frozenset(
    "、。，．・：；？！,.:;?!)]}）」』】〕〉》ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮ々"
)
"""行頭禁則: characters that must not open a line; they hang at the end of the previous one."""


def full_name(person: Person, separator: str = "\u3000") -> str:
    """Family name first, as Japanese documents print it (a full-width space between)."""
    return f"{person.family_name}{separator}{person.given_name}"


def new_pdf(document: ResumeDocument, *, title: str, language: str) -> FPDF:
    """An A4 document in millimetres with both fonts and the metadata of `document`.

    The creation date is `as_of` at midnight in Tokyo, so the same input gives the same bytes.
    """
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.c_margin = 0
    fonts.register(pdf)
    author = full_name(document.person, " ")
    pdf.set_title(f"{title} {author}")
    pdf.set_author(author)
    pdf.set_subject(title)
    pdf.set_creator("MiraiWorks")
    pdf.set_lang(language)
    pdf.set_creation_date(datetime.combine(document.as_of, time(0, 0), tzinfo=TOKYO))
    return pdf


def line_height(size: float, leading: float = 1.5) -> float:
    """The distance between two baselines for a font `size` in points."""
    return size * PT * leading


def wrap(pdf: FPDF, text: str, width: float) -> list[str]:
    """Break `text` into lines at most `width` wide in the current font (kept newlines included).

    Latin words stay whole unless one alone is wider than a line; a closing mark hangs rather than
    opening a line. An empty text gives no line.
    """
    lines: list[str] = []
    for paragraph in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = ""
        for token in _TOKEN.findall(paragraph):
            if pdf.get_string_width(line + token) <= width:
                line += token
            elif token.isspace():
                lines.append(line.rstrip())
                line = ""
            elif token[0] in _NO_LINE_START and line:
                line += token
            else:
                if line.strip():
                    lines.append(line.rstrip())
                line = ""
                for char in token:
                    if line and pdf.get_string_width(line + char) > width:
                        lines.append(line)
                        line = ""
                    line += char
        lines.append(line.rstrip())
    while lines and not lines[-1]:
        lines.pop()
    return lines


def fit_size(pdf: FPDF, text: str, width: float, size: float, minimum: float = 6.0) -> float:
    """The largest font size from `size` down to `minimum` at which `text` fits on one line."""
    while size > minimum:
        pdf.set_font_size(size)
        if pdf.get_string_width(text) <= width:
            return size
        size -= 0.5
    return minimum


def put_text(
    pdf: FPDF,
    x: float,
    y: float,
    w: float,
    h: float,
    text: str,
    *,
    size: float,
    align: str = "L",
    family: str = fonts.SERIF,
    shrink: bool = True,
) -> None:
    """One line of text centred vertically in the box, shrunk (not cut) when it is too wide."""
    if not text:
        return
    pdf.set_font(family, size=size)
    if shrink:
        fit_size(pdf, text, w, size)
    pdf.set_xy(x, y)
    pdf.cell(w, h, text, align=align)


def put_label(pdf: FPDF, x: float, y: float, text: str, *, size: float = 7.0) -> None:
    """A small caption in the top-left corner of a form cell (ふりがな, 電話, ※性別…)."""
    put_text(pdf, x + 1.2, y + 0.6, 60, line_height(size, 1.3), text, size=size, shrink=False)


def frame(pdf: FPDF, x: float, y: float, w: float, h: float, width: float = 0.2) -> None:
    """A rectangle outline."""
    pdf.set_line_width(width)
    pdf.rect(x, y, w, h)


def hline(pdf: FPDF, x1: float, x2: float, y: float, width: float = 0.2) -> None:
    pdf.set_line_width(width)
    pdf.line(x1, y, x2, y)


def vline(pdf: FPDF, x: float, y1: float, y2: float, width: float = 0.2) -> None:
    pdf.set_line_width(width)
    pdf.line(x, y1, x, y2)


def number_pages(pdf: FPDF, *, family: str, size: float = 8.0) -> None:
    """「1 / 3」 at the foot of every page, written once the page count is known."""
    total = pdf.pages_count
    for number in range(1, total + 1):
        pdf.page = number
        put_text(
            pdf,
            0,
            PAGE_HEIGHT - 12,
            PAGE_WIDTH,
            5,
            f"{number} / {total}",
            size=size,
            align="C",
            family=family,
        )


class Flow:
    """A cursor going down the pages between `top` and `bottom`; it adds a page when a line would
    cross the bottom, so long content continues instead of being cut."""

    def __init__(
        self,
        pdf: FPDF,
        *,
        left: float,
        right: float,
        top: float,
        bottom: float,
        family: str,
        on_new_page: Callable[[Flow], None] | None = None,
    ) -> None:
        self.pdf = pdf
        self.left, self.right, self.top, self.bottom = left, right, top, bottom
        self.family = family
        self.on_new_page = on_new_page
        self.y = top

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def room(self) -> float:
        """How much height is left on this page."""
        return self.bottom - self.y

    def new_page(self) -> None:
        self.pdf.add_page()
        self.y = self.top
        if self.on_new_page is not None:
            self.on_new_page(self)

    def ensure(self, height: float) -> None:
        """Start a new page unless `height` still fits on this one."""
        if self.y + height > self.bottom + 0.01:
            self.new_page()

    def gap(self, height: float) -> None:
        self.y = min(self.y + height, self.bottom)

    def lines(
        self,
        lines: Sequence[str],
        *,
        size: float,
        x: float | None = None,
        width: float | None = None,
        leading: float = 1.5,
        family: str | None = None,
        align: str = "L",
    ) -> None:
        """Draw already-wrapped lines one under the other, turning the page between two lines."""
        step = line_height(size, leading)
        left = self.left if x is None else x
        span = self.right - left if width is None else width
        for text in lines:
            self.ensure(step)
            put_text(
                self.pdf, left, self.y, span, step, text, size=size, align=align, family=family or self.family
            )
            self.y += step

    def paragraph(
        self,
        text: str | None,
        *,
        size: float = 10.0,
        indent: float = 0.0,
        leading: float = 1.5,
        family: str | None = None,
    ) -> None:
        """Wrapped text from the left edge plus `indent`."""
        if not text:
            return
        self.pdf.set_font(family or self.family, size=size)
        self.lines(
            wrap(self.pdf, text, self.width - indent),
            size=size,
            x=self.left + indent,
            leading=leading,
            family=family,
        )

    def bullets(self, items: Sequence[str], *, bullet: str, size: float = 10.0, indent: float = 0.0) -> None:
        """Items each opened by `bullet`, their wrapped lines aligned after it."""
        family = self.family
        for item in items:
            self.pdf.set_font(family, size=size)
            mark = self.pdf.get_string_width(bullet) + 1.2
            lines = wrap(self.pdf, item, self.width - indent - mark) or [""]
            self.ensure(line_height(size))
            put_text(
                self.pdf,
                self.left + indent,
                self.y,
                mark,
                line_height(size),
                bullet,
                size=size,
                family=family,
            )
            self.lines(lines, size=size, x=self.left + indent + mark, family=family)

    def pair(self, left: str, right: str, *, size: float = 10.0, family: str | None = None) -> None:
        """One line with text on the left and other text flush right (a name and its period)."""
        step = line_height(size)
        self.ensure(step)
        chosen = family or self.family
        self.pdf.set_font(chosen, size=size)
        right_width = self.pdf.get_string_width(right) + 2 if right else 0
        put_text(self.pdf, self.left, self.y, self.width - right_width, step, left, size=size, family=chosen)
        put_text(self.pdf, self.left, self.y, self.width, step, right, size=size, align="R", family=chosen)
        self.y += step

    def rule(self, width: float = 0.3, space: float = 1.5) -> None:
        hline(self.pdf, self.left, self.right, self.y, width)
        self.y += space


def fit_lines(
    pdf: FPDF, text: str, width: float, height: float, *, start: float, family: str, minimum: float = 6.5
) -> tuple[float, list[str]]:
    """The largest size (from `start`, by half points) at which `text` wraps into `height`, and its
    lines; at `minimum` every line is kept even if the box overflows, since a word is never dropped."""
    size = start
    while True:
        pdf.set_font(family, size=size)
        lines = wrap(pdf, text, width)
        if len(lines) * line_height(size, 1.25) <= height or size <= minimum:
            return size, lines
        size -= 0.5
