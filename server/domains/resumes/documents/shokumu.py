"""The 職務経歴書: the free-form career document Japanese employers read beside the 履歴書.

Set the usual way: a centred title, 「年 月 日現在」 and 氏名 flush right, then ■ sections. Each employer
is a shaded band (company, period) over its role, description and 実績; employers read oldest first
(編年体), the order of the 履歴書 they sit next to. Years follow `profile.date_style`.
"""

from __future__ import annotations

from fpdf import FPDF

from server.domains.resumes.documents import layout
from server.domains.resumes.documents.fonts import SANS, SERIF
from server.domains.resumes.documents.japanese_dates import format_date, format_period, format_year_month
from server.domains.resumes.documents.layout import Flow, put_text
from server.domains.resumes.documents.model import ResumeDocument
from server.domains.resumes.sections import DateStyle, Experience, Project

LEFT, RIGHT, TOP, BOTTOM = 18.0, 192.0, 18.0, 278.0
SIZE = 10.0


def render(document: ResumeDocument) -> bytes:
    pdf = layout.new_pdf(document, title="職務経歴書", language="ja")
    style = document.profile.date_style
    flow = Flow(pdf, left=LEFT, right=RIGHT, top=TOP, bottom=BOTTOM, family=SERIF)
    flow.new_page()
    pdf.set_char_spacing(3)
    put_text(pdf, LEFT, flow.y, flow.width, 10, "職務経歴書", size=16, align="C", family=SANS, shrink=False)
    pdf.set_char_spacing(0)
    flow.gap(12)
    flow.lines([f"{format_date(document.as_of, style)}現在"], size=SIZE, align="R")
    flow.lines([f"氏名　{layout.full_name(document.person)}"], size=SIZE, align="R")
    flow.gap(3)

    if document.summary:
        _heading(flow, "■職務要約")
        flow.paragraph(document.summary, size=SIZE, indent=2)
    if document.experience:
        _heading(flow, "■職務経歴")
        for job in sorted(document.experience, key=lambda item: item.start):
            _employer(flow, job, style)
    if document.skills:
        _heading(flow, "■活かせる経験・知識・技術")
        flow.bullets(
            [_skill(skill.name, skill.level, skill.years) for skill in document.skills], bullet="・", indent=2
        )
    if document.certifications:
        _heading(flow, "■資格")
        for item in sorted(document.certifications, key=lambda c: c.obtained or "9999-99"):
            name = f"{item.name}（{item.issuer}）" if item.issuer else item.name
            obtained = f"{format_year_month(item.obtained, style)}取得" if item.obtained else ""
            flow.pair(f"・{name}", obtained, size=SIZE)
    if document.languages:
        _heading(flow, "■語学")
        flow.bullets(
            [
                f"{item.language}：{item.level}" if item.level else item.language
                for item in document.languages
            ],
            bullet="・",
            indent=2,
        )
    if document.projects:
        _heading(flow, "■プロジェクト")
        for project in document.projects:
            _project(flow, project, style)
    flow.gap(2)
    flow.lines(["以上"], size=SIZE, align="R")
    layout.number_pages(pdf, family=SERIF)
    return bytes(pdf.output())


def _heading(flow: Flow, text: str) -> None:
    """A section title, never alone at the foot of a page."""
    flow.gap(4)
    flow.ensure(layout.line_height(12) + 3 * layout.line_height(SIZE))
    flow.lines([text], size=12, family=SANS)
    flow.rule(0.3, 2)


def _band(pdf: FPDF, flow: Flow, left: str, right: str) -> None:
    """The shaded title line of one employer or project."""
    height = layout.line_height(SIZE, 1.9)
    flow.ensure(height + 3 * layout.line_height(SIZE))
    pdf.set_fill_color(232, 232, 232)
    pdf.rect(flow.left, flow.y, flow.width, height, style="F")
    pdf.set_font(SANS, size=SIZE)
    right_width = pdf.get_string_width(right) + 4
    put_text(pdf, flow.left + 2, flow.y, flow.width - right_width - 4, height, left, size=SIZE, family=SANS)
    put_text(pdf, flow.left, flow.y, flow.width - 2, height, right, size=SIZE, align="R", family=SANS)
    flow.y += height + 1.5


def _employer(flow: Flow, job: Experience, style: DateStyle) -> None:
    _band(flow.pdf, flow, job.company, format_period(job.start, job.end, style))
    facts = [
        f"{label}：{value}"
        for label, value in (("部署", job.department), ("役職", job.title), ("雇用形態", job.employment_type))
        if value
    ]
    if facts:
        flow.paragraph("　".join(facts), size=SIZE, indent=2)
    if job.description:
        flow.gap(1)
        flow.paragraph(job.description, size=SIZE, indent=2)
    if job.achievements:
        flow.gap(1)
        flow.lines(["【実績】"], size=SIZE, x=flow.left + 2)
        flow.bullets(job.achievements, bullet="・", indent=4)
    flow.gap(3)


def _project(flow: Flow, project: Project, style: DateStyle) -> None:
    _band(flow.pdf, flow, project.name, format_period(project.start, project.end, style))
    if project.role:
        flow.paragraph(f"役割：{project.role}", size=SIZE, indent=2)
    flow.paragraph(project.description, size=SIZE, indent=2)
    if project.technologies:
        flow.paragraph(f"使用技術：{'、'.join(project.technologies)}", size=SIZE, indent=2)
    flow.gap(3)


def _skill(name: str, level: str | None, years: int | None) -> str:
    details = [part for part in (level, f"経験{years}年" if years is not None else None) if part]
    return f"{name}（{'／'.join(details)}）" if details else name
