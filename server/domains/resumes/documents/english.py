"""An English CV of the same resume, for foreign-affiliated employers and bilingual positions.

Set in Noto Sans JP, whose Latin glyphs read well and which still prints a Japanese company or
school name as it is. Months read "Apr 2018"; the most recent role comes first, as English CVs do.
"""

from __future__ import annotations

from server.domains.resumes.documents import layout
from server.domains.resumes.documents.fonts import SANS
from server.domains.resumes.documents.japanese_dates import english_month, english_period
from server.domains.resumes.documents.layout import Flow, put_text
from server.domains.resumes.documents.model import Person, ResumeDocument
from server.domains.resumes.sections import EducationOutcome

LEFT, RIGHT, TOP, BOTTOM = 18.0, 192.0, 18.0, 278.0
SIZE = 10.0
SMALL = 9.0
OUTCOMES = {
    EducationOutcome.WITHDRAWN: "Withdrew",
    EducationOutcome.ENROLLED: "Enrolled",
    EducationOutcome.EXPECTED: "Expected graduation",
}


def render(document: ResumeDocument) -> bytes:
    pdf = layout.new_pdf(document, title="Curriculum Vitae", language="en")
    person, profile = document.person, document.profile
    flow = Flow(pdf, left=LEFT, right=RIGHT, top=TOP, bottom=BOTTOM, family=SANS)
    flow.new_page()
    put_text(pdf, LEFT, flow.y, flow.width, 11, _display_name(person), size=20, family=SANS)
    flow.gap(12)
    contact = [profile.email or person.email, profile.phone or person.phone, profile.address]
    flow.paragraph("  ·  ".join(part for part in contact if part), size=SMALL)
    flow.gap(1)

    if document.summary:
        _heading(flow, "Summary")
        flow.paragraph(document.summary, size=SIZE)
    if document.experience:
        _heading(flow, "Experience")
        for job in sorted(document.experience, key=lambda item: item.start, reverse=True):
            flow.ensure(4 * layout.line_height(SIZE))
            flow.pair(job.company, english_period(job.start, job.end), size=SIZE)
            flow.paragraph(
                " · ".join(p for p in (job.title, job.department, job.employment_type) if p), size=SMALL
            )
            flow.paragraph(job.description, size=SIZE)
            flow.bullets(job.achievements, bullet="•")
            flow.gap(2)
    if document.education:
        _heading(flow, "Education")
        for school in sorted(document.education, key=lambda item: item.start, reverse=True):
            flow.ensure(3 * layout.line_height(SIZE))
            flow.pair(school.school, english_period(school.start, school.end), size=SIZE)
            detail = [school.department, school.degree, OUTCOMES.get(school.outcome)]
            flow.paragraph(" · ".join(part for part in detail if part), size=SMALL)
            flow.gap(1)
    if document.skills:
        _heading(flow, "Skills")
        flow.bullets([_skill(skill.name, skill.level, skill.years) for skill in document.skills], bullet="•")
    if document.languages:
        _heading(flow, "Languages")
        flow.bullets(
            [
                f"{item.language}: {item.level}" if item.level else item.language
                for item in document.languages
            ],
            bullet="•",
        )
    if document.certifications:
        _heading(flow, "Certifications")
        for item in sorted(document.certifications, key=lambda c: c.obtained or "0000-00", reverse=True):
            name = f"{item.name} ({item.issuer})" if item.issuer else item.name
            flow.pair(name, english_month(item.obtained) if item.obtained else "", size=SIZE)
    if document.projects:
        _heading(flow, "Projects")
        for project in document.projects:
            flow.ensure(3 * layout.line_height(SIZE))
            flow.pair(project.name, english_period(project.start, project.end), size=SIZE)
            flow.paragraph(project.role, size=SMALL)
            flow.paragraph(project.description, size=SIZE)
            if project.technologies:
                flow.paragraph(f"Technologies: {', '.join(project.technologies)}", size=SMALL)
            flow.gap(2)
    if document.references:
        _heading(flow, "References")
        for reference in document.references:
            parts = [reference.relation, reference.company, reference.email, reference.phone]
            flow.paragraph(" · ".join([reference.name, *(part for part in parts if part)]), size=SIZE)
    layout.number_pages(pdf, family=SANS)
    return bytes(pdf.output())


def _heading(flow: Flow, text: str) -> None:
    """A section title with a rule under it, kept with the first lines that follow."""
    flow.gap(4)
    flow.ensure(layout.line_height(12.5) + 3 * layout.line_height(SIZE))
    flow.lines([text.upper()], size=12.5)
    flow.rule(0.4, 2)


def _display_name(person: Person) -> str:
    """Given name first in Latin script; a name written in Japanese keeps its family-first order."""
    if (person.family_name + person.given_name).isascii():
        return f"{person.given_name} {person.family_name}"
    return layout.full_name(person, " ")


def _skill(name: str, level: str | None, years: int | None) -> str:
    details = [
        part
        for part in (level, f"{years} year{'s' if years != 1 else ''}" if years is not None else None)
        if part
    ]
    return f"{name} — {', '.join(details)}" if details else name
