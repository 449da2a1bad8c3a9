"""The 履歴書 in the layout of the MHLW 2021 form (厚生労働省履歴書様式例), A4 version.

Page 1: title, 「年 月 日現在」, photo box, ふりがな/氏名, 生年月日 (満N歳) and ※性別, 現住所 and 連絡先 with
電話/E-mail, and the 学歴・職歴 table ruled to the foot of the page. Page 2: the table continued under
the same header, 免許・資格, 志望の動機… and 本人希望記入欄, the two boxes sharing the rest of the page.
A longer history or text adds pages (the header repeats); no row is ever dropped or cut.
"""

from __future__ import annotations

import io
import logging

from fpdf import FPDF

from server.domains.resumes.documents import layout
from server.domains.resumes.documents.fonts import SERIF
from server.domains.resumes.documents.japanese_dates import format_date
from server.domains.resumes.documents.layout import Flow, frame, hline, put_label, put_text, vline
from server.domains.resumes.documents.model import ResumeDocument
from server.domains.resumes.documents.rirekisho_rows import Row, birth_text, certification_rows, history_rows

log = logging.getLogger(__name__)

LEFT, RIGHT, TOP, BOTTOM = 15.0, 195.0, 15.0, 282.0
WIDTH = RIGHT - LEFT
ROW = 8.0
"""Height of a 学歴・職歴 / 免許・資格 row, as on the printed form."""
YEAR_W, MONTH_W = 22.0, 12.0
PHOTO_W, PHOTO_H = 30.0, 40.0
PHOTO_X, PHOTO_Y = RIGHT - PHOTO_W, 13.0
THICK, THIN = 0.5, 0.2
GAP = 4.0
HISTORY_HEADER = "学歴・職歴（各別にまとめて書く）"
CONTINUED_MIN_ROWS = 6
CERTIFICATION_MIN_ROWS = 6
MOTIVATION = "志望の動機、特技、好きな学科、アピールポイントなど"
WISHES = "本人希望記入欄（特に給料・職種・勤務時間・勤務地・その他についての希望などがあれば記入）"
DEFAULT_WISHES = "貴社の規定に従います。"
GENDER_NOTE = "※「性別」欄：記載は任意です。未記載とすることも可能です。"
NO_CONTACT = "（現住所以外に連絡を希望する場合のみ記入）"
PHOTO_NOTE = (
    "写真をはる必要が",
    "ある場合",
    "1.縦 36～40mm",
    "  横 24～30mm",
    "2.本人単身胸から上",
    "3.裏面のりづけ",
)
TEXT_SIZE = 10.5


def render(document: ResumeDocument) -> bytes:
    pdf = layout.new_pdf(document, title="履歴書", language="ja")
    style = document.profile.date_style
    pdf.add_page()
    _draw_personal(pdf, document)
    flow = Flow(pdf, left=LEFT, right=RIGHT, top=TOP, bottom=BOTTOM, family=SERIF)
    flow.y = 118.0
    rows = _wrap_rows(pdf, history_rows(document, style))
    page_one = int((BOTTOM - 4 - flow.y - ROW) // ROW)
    _table(flow, HISTORY_HEADER, rows[:page_one], minimum=page_one)
    put_text(pdf, LEFT, flow.y + 0.5, WIDTH, 4, GENDER_NOTE, size=7)
    flow.new_page()
    certifications = _wrap_rows(pdf, certification_rows(document, style))
    pdf.set_font(SERIF, size=TEXT_SIZE)
    motivation = layout.wrap(pdf, document.profile.motivation or "", WIDTH - 8)
    wishes = layout.wrap(pdf, document.profile.wishes or DEFAULT_WISHES, WIDTH - 8)
    rest = rows[page_one:]
    certification_count = max(len(certifications), CERTIFICATION_MIN_ROWS)
    tail = _table_height(certification_count) + 3 * GAP + _box_height(motivation) + _box_height(wishes)
    if _table_height(len(rest)) + tail > flow.room:
        tail = 0.0  # the history fills this page and the rest follows on the next one
    fill = int((flow.room - tail - ROW) // ROW)
    _table(flow, HISTORY_HEADER, rest, minimum=max(CONTINUED_MIN_ROWS, min(fill, len(rest))))
    flow.gap(GAP)
    _table(flow, "免許・資格", certifications, minimum=CERTIFICATION_MIN_ROWS, together=True)
    flow.gap(GAP)
    _boxes(flow, motivation, wishes)
    return bytes(pdf.output())


def _draw_personal(pdf: FPDF, document: ResumeDocument) -> None:
    """The top of page 1, at the form's fixed positions."""
    profile, person = document.profile, document.person
    style = profile.date_style
    pdf.set_char_spacing(4)
    put_text(pdf, LEFT, 13, 60, 12, "履歴書", size=20, shrink=False)
    pdf.set_char_spacing(0)
    put_text(
        pdf,
        LEFT + 50,
        15,
        PHOTO_X - LEFT - 54,
        8,
        f"{format_date(document.as_of, style)}現在",
        size=10,
        align="R",
    )
    _photo(pdf, document.photo)

    x, y, w = LEFT, 26.0, PHOTO_X - 4 - LEFT
    frame(pdf, x, y, w, 37, THICK)
    put_label(pdf, x, y, "ふりがな")
    put_text(pdf, x + 22, y, w - 24, 7, profile.name_kana or "", size=9)
    hline(pdf, x, x + w, y + 7, THIN)
    put_label(pdf, x, y + 7, "氏　名")
    put_text(pdf, x + 22, y + 7, w - 24, 19, layout.full_name(person), size=20)
    hline(pdf, x, x + w, y + 26, THIN)
    put_label(pdf, x, y + 26, "生年月日")
    put_text(
        pdf, x + 22, y + 26, w - 56, 11, birth_text(profile.birth_date, document.as_of, style), size=TEXT_SIZE
    )
    vline(pdf, x + w - 30, y + 26, y + 37, THIN)
    put_label(pdf, x + w - 30, y + 26, "※性別")
    put_text(pdf, x + w - 30, y + 28, 30, 9, profile.gender or "", size=TEXT_SIZE, align="C")

    phone = profile.phone or person.phone or ""
    email = profile.email or person.email
    postal = f"〒{profile.postal_code}" if profile.postal_code else "〒"
    _address(pdf, 66.0, "現住所", profile.address_kana or "", postal, profile.address or "", phone, email)
    _address(pdf, 90.0, "連絡先", "", "〒", profile.contact_address or NO_CONTACT, "", "")


def _address(
    pdf: FPDF, y: float, label: str, kana: str, postal: str, text: str, phone: str, email: str
) -> None:
    """A ふりがな/address block of 24 mm with its 電話 and E-mail cells on the right."""
    x, side = LEFT, 45.0
    main = WIDTH - side
    frame(pdf, x, y, WIDTH, 24, THICK)
    put_label(pdf, x, y, "ふりがな")
    put_text(pdf, x + 16, y, main - 18, 7, kana, size=8)
    hline(pdf, x, x + main, y + 7, THIN)
    put_label(pdf, x, y + 7, f"{label}　{postal}", size=8)
    start = 8.5 if text == NO_CONTACT else TEXT_SIZE
    size, lines = layout.fit_lines(pdf, text, main - 8, 12.5, start=start, family=SERIF)
    step = 12.5 / max(len(lines), 2) if len(lines) > 1 else 9.0
    for index, line in enumerate(lines):
        put_text(pdf, x + 4, y + 11 + index * step, main - 8, step, line, size=size, shrink=False)
    vline(pdf, x + main, y, y + 24, THIN)
    hline(pdf, x + main, RIGHT, y + 12, THIN)
    put_label(pdf, x + main, y, "電話")
    put_text(pdf, x + main + 2, y + 4, side - 4, 8, phone, size=9)
    put_label(pdf, x + main, y + 12, "E-mail")
    put_text(pdf, x + main + 2, y + 16, side - 4, 8, email, size=9)


def _photo(pdf: FPDF, photo: bytes | None) -> None:
    """The photo when given (kept in proportion inside the box), else the form's dashed box."""
    if photo:
        try:
            pdf.image(io.BytesIO(photo), x=PHOTO_X, y=PHOTO_Y, w=PHOTO_W, h=PHOTO_H, keep_aspect_ratio=True)
        except Exception:  # a damaged attachment must not stop the download; the box stays empty
            log.warning("resume photo could not be read; printing the empty photo box", exc_info=True)
        else:
            frame(pdf, PHOTO_X, PHOTO_Y, PHOTO_W, PHOTO_H, THIN)
            return
    pdf.set_dash_pattern(dash=1, gap=0.8)
    frame(pdf, PHOTO_X, PHOTO_Y, PHOTO_W, PHOTO_H, THIN)
    pdf.set_dash_pattern()
    put_text(pdf, PHOTO_X, PHOTO_Y + 2, PHOTO_W, 5, "写真をはる位置", size=7.5, align="C")
    for index, line in enumerate(PHOTO_NOTE):
        put_text(pdf, PHOTO_X + 3, PHOTO_Y + 10 + index * 3.6, PHOTO_W - 4, 3.6, line, size=6)


def _wrap_rows(pdf: FPDF, rows: list[Row]) -> list[Row]:
    """A text too long for its row continues on the next row (the date only on the first)."""
    pdf.set_font(SERIF, size=TEXT_SIZE)
    width = WIDTH - YEAR_W - MONTH_W - 6
    wrapped: list[Row] = []
    for row in rows:
        lines = layout.wrap(pdf, row.text, width) or [""]
        wrapped.append(Row(row.year, row.month, lines[0], row.align))
        wrapped.extend(Row(text=line, align=row.align) for line in lines[1:])
    return wrapped


def _table_height(rows: int) -> float:
    return ROW * (rows + 1)


def _table(flow: Flow, header: str, rows: list[Row], *, minimum: int, together: bool = False) -> None:
    """A 年 | 月 | header table of `rows` padded with empty ruled rows to `minimum`; when the page is
    full it closes and goes on under the same header on the next page (empty rows never do).
    `together` starts a small table on a new page rather than split it."""
    pdf = flow.pdf
    padded = rows + [Row()] * max(0, minimum - len(rows))
    if (
        together
        and _table_height(len(rows)) > flow.room
        and _table_height(len(rows)) <= flow.bottom - flow.top
    ):
        flow.new_page()
    index = 0
    while index < len(padded):
        flow.ensure(ROW * 2)
        start = flow.y
        _row(pdf, start, Row("年", "月", header, "C"))
        flow.y += ROW
        while index < len(padded) and flow.y + ROW <= flow.bottom + 0.01:
            _row(pdf, flow.y, padded[index])
            flow.y += ROW
            index += 1
        hline(pdf, LEFT, RIGHT, start + ROW, THIN)
        frame(pdf, LEFT, start, WIDTH, flow.y - start, THICK)
        if index >= len(rows):
            return
        flow.new_page()


def _row(pdf: FPDF, y: float, row: Row) -> None:
    hline(pdf, LEFT, RIGHT, y + ROW, THIN)
    vline(pdf, LEFT + YEAR_W, y, y + ROW, THIN)
    vline(pdf, LEFT + YEAR_W + MONTH_W, y, y + ROW, THIN)
    put_text(pdf, LEFT, y, YEAR_W, ROW, row.year, size=TEXT_SIZE, align="C")
    put_text(pdf, LEFT + YEAR_W, y, MONTH_W, ROW, row.month, size=TEXT_SIZE, align="C")
    text_x = LEFT + YEAR_W + MONTH_W + 3
    put_text(pdf, text_x, y, RIGHT - text_x - 3, ROW, row.text, size=TEXT_SIZE, align=row.align)


def _boxes(flow: Flow, motivation: list[str], wishes: list[str]) -> None:
    """The two free-text boxes, kept on one page when they fit one, sharing what is left of it
    (55 % / 45 %) as on the form; a text longer than a page goes on in a box on the next."""
    need_first, need_second = _box_height(motivation), _box_height(wishes, 30)
    need = need_first + GAP + need_second
    if flow.room < need <= flow.bottom - flow.top:
        flow.new_page()
    spare = max(0.0, flow.room - need)
    _box(flow, MOTIVATION, motivation, need_first + spare * 0.55)
    flow.gap(GAP)
    _box(flow, WISHES, wishes, max(need_second, flow.room))


STEP = layout.line_height(TEXT_SIZE, 1.6)
LABEL_H = 7.0


def _box_height(lines: list[str], minimum: float = 40.0) -> float:
    return max(minimum, LABEL_H + len(lines) * STEP + 3)


def _box(flow: Flow, label: str, lines: list[str], height: float) -> None:
    """A ruled box with its caption; lines that do not fit go on in a box on the next page."""
    pdf = flow.pdf
    remaining = list(lines)
    caption = label
    while True:
        if flow.room < LABEL_H + STEP * 2 + 3:
            flow.new_page()
        top = flow.y
        fits = int((flow.room - LABEL_H - 3) // STEP)
        chunk, remaining = remaining[:fits], remaining[fits:]
        box = min(flow.room, max(height, LABEL_H + len(chunk) * STEP + 3)) if not remaining else flow.room
        frame(pdf, LEFT, top, WIDTH, box, THICK)
        put_text(pdf, LEFT + 2, top + 1, WIDTH - 4, 5, caption, size=8)
        for index, line in enumerate(chunk):
            put_text(
                pdf,
                LEFT + 4,
                top + LABEL_H + index * STEP,
                WIDTH - 8,
                STEP,
                line,
                size=TEXT_SIZE,
                shrink=False,
            )
        flow.y = top + box
        if not remaining:
            return
        caption = f"{label}（続き）"
        height -= box
        flow.new_page()
