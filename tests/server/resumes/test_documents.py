"""The three resume PDFs, read back with poppler: A4, Japanese text extractable, every row kept.

Each test also leaves a PNG of page 1 in test-output/resumes/ for a person to look at.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from datetime import date
from pathlib import Path

import msgspec
import pytest

from server.domains.resumes.documents import render
from server.domains.resumes.documents.model import DocumentKind, Person, ResumeDocument
from server.domains.resumes.sections import (
    Certification,
    DateStyle,
    Education,
    EducationOutcome,
    Experience,
    Language,
    Profile,
    Project,
    Skill,
)

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext, pdfinfo, pdfimages) is not installed"
)
OUTPUT = Path(__file__).resolve().parents[3] / "test-output" / "resumes"
EMPLOYERS = ("株式会社ミライ商事", "東京テクノロジー株式会社", "合同会社さくらデジタル")


def make_document(style: DateStyle = DateStyle.WAREKI, **changes: object) -> ResumeDocument:
    """山田 太郎: two schools, three employers (the last one current), certifications, both boxes."""
    document = ResumeDocument(
        person=Person(family_name="山田", given_name="太郎", email="taro@example.jp", phone="090-1234-5678"),
        title="バックエンドエンジニア",
        summary="大学卒業後、商社の社内SEとして基幹システムの運用を経験し、その後Webサービスの開発に従事。"
        "PythonとTypeScriptによる設計・開発・運用を一貫して担当してきました。",
        profile=Profile(
            name_kana="やまだ たろう",
            birth_date="1995-06-15",
            gender="男",
            postal_code="150-0002",
            address="東京都渋谷区渋谷二丁目21番1号 渋谷ヒカリエ 12階",
            address_kana="とうきょうと しぶやく しぶや",
            phone="090-1234-5678",
            email="taro@example.jp",
            motivation="貴社の「テクノロジーで働く人の未来をつくる」という理念に強く共感し、志望いたしました。"
            "これまで培ったバックエンド開発の経験を活かし、採用業務の効率化に貢献したいと考えております。\n"
            "特技：剣道（三段）",
            wishes="勤務地は東京都内を希望いたします。",
            date_style=style,
        ),
        skills=[Skill(name="Python", level="上級", years=7), Skill(name="TypeScript", level="中級", years=3)],
        languages=[Language(language="英語", level="ビジネスレベル（TOEIC 860点）")],
        certifications=[
            Certification(name="普通自動車第一種運転免許 取得", obtained="2015-08"),
            Certification(name="基本情報技術者試験 合格", obtained="2018-10", issuer="IPA"),
        ],
        education=[
            Education(school="東京都立青山高等学校", department="普通科", start="2011-04", end="2014-03"),
            Education(
                school="早稲田大学",
                department="政治経済学部 経済学科",
                start="2014-04",
                end="2018-03",
                outcome=EducationOutcome.GRADUATED,
            ),
        ],
        experience=[
            Experience(
                company=EMPLOYERS[0],
                title="社内SE",
                department="情報システム部",
                employment_type="正社員",
                start="2018-04",
                end="2021-03",
                description="基幹システム（販売管理）の運用保守と社内ヘルプデスクを担当。",
                achievements=["問い合わせ対応の手順書を整備し、一次回答時間を30%短縮"],
            ),
            Experience(
                company=EMPLOYERS[1],
                title="エンジニア",
                department="開発部",
                employment_type="契約社員",
                start="2021-04",
                end="2023-03",
                leaving_reason="契約期間満了により退社",
                achievements=["決済APIの設計と実装", "CI/CDの導入でリリース頻度を週1回から毎日に"],
            ),
            Experience(company=EMPLOYERS[2], title="リードエンジニア", start="2023-04"),
        ],
        projects=[
            Project(name="求人検索の刷新", role="リード", start="2023-06", technologies=["Python", "MySQL"])
        ],
        references=[],
        as_of=date(2025, 4, 1),
    )
    return msgspec.structs.replace(document, **changes)


def poppler(tool: str, pdf: bytes, tmp_path: Path, *options: str, to_stdout: bool = False) -> str:
    """Run one poppler-utils tool on `pdf` and return what it printed."""
    path = tmp_path / f"{tool}.pdf"
    path.write_bytes(pdf)
    command = [tool, *options, str(path), *(["-"] if to_stdout else [])]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603 - fixed tools


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    return poppler("pdftotext", pdf, tmp_path, "-layout", to_stdout=True)


def flat(text: str) -> str:
    """Whitespace (full-width spaces and layout gaps included) collapsed to one space."""
    return re.sub(r"\s+", " ", text)


def pdf_info(pdf: bytes, tmp_path: Path) -> dict[str, str]:
    out = poppler("pdfinfo", pdf, tmp_path)
    return {
        key.strip(): value.strip() for key, _, value in (line.partition(":") for line in out.splitlines())
    }


def save_png(pdf: bytes, name: str) -> None:
    """Page 1 at 60 dpi, for a person to look at."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    source = OUTPUT / f"{name}.pdf"
    source.write_bytes(pdf)
    command = [
        "pdftoppm",
        "-png",
        "-r",
        "60",
        "-f",
        "1",
        "-l",
        "1",
        "-singlefile",
        str(source),
        str(OUTPUT / name),
    ]
    subprocess.run(command, check=True)  # noqa: S603 - a fixed tool on our own file
    source.unlink()


def tiny_png(width: int = 24, height: int = 32) -> bytes:
    """A grey RGB PNG built by hand (zlib + CRC), no imaging library needed."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes((120, 140, 160)) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("kind", list(DocumentKind))
def test_every_kind_is_an_a4_pdf_with_the_person_and_employers(kind: DocumentKind, tmp_path: Path) -> None:
    pdf = render(kind, make_document())
    assert pdf.startswith(b"%PDF")
    info = pdf_info(pdf, tmp_path)
    assert re.match(r"595\.\d+ x 841\.\d+ pts", info["Page size"]), info["Page size"]
    assert info["Author"] == "山田 太郎"
    text = flat(pdf_text(pdf, tmp_path))
    assert "山田 太郎" in text
    for employer in EMPLOYERS:
        assert employer in text
    save_png(pdf, kind.value)


def test_rirekisho_has_the_form_labels_and_wareki_years(tmp_path: Path) -> None:
    pdf = render(DocumentKind.RIREKISHO, make_document(DateStyle.WAREKI))
    text = flat(pdf_text(pdf, tmp_path))
    for label in (
        "履歴書",
        "氏 名",
        "ふりがな",
        "生年月日",
        "現住所",
        "連絡先",
        "学歴・職歴",
        "免許・資格",
        "志望の動機",
        "本人希望記入欄",
        "写真をはる位置",
    ):
        assert label in text, label
    assert "やまだ たろう" in text
    assert "令和7年4月1日現在" in text
    assert "平成7年6月15日生 （満29歳）" in text
    assert "平成30 4 株式会社ミライ商事 入社 情報システム部配属" in text
    assert "令和3 3 一身上の都合により退社" in text
    assert "入社（契約社員）" in text and "契約期間満了により退社" in text
    assert "早稲田大学 政治経済学部 経済学科 卒業" in text
    assert "現在に至る" in text and "以上" in text
    assert "〒150-0002" in text and "（現住所以外に連絡を希望する場合のみ記入）" in text
    assert "勤務地は東京都内を希望いたします。" in text and "剣道（三段）" in text
    assert "2018" not in text.replace("taro@example.jp", "")
    assert pdf_info(pdf, tmp_path)["Pages"] == "2"  # the MHLW A4 form is two pages


def test_rirekisho_in_seireki_and_default_wishes(tmp_path: Path) -> None:
    document = make_document(DateStyle.SEIREKI)
    document = msgspec.structs.replace(
        document, profile=msgspec.structs.replace(document.profile, wishes=None)
    )
    text = flat(pdf_text(render(DocumentKind.RIREKISHO, document), tmp_path))
    assert "2025年4月1日現在" in text
    assert "1995年6月15日生" in text
    assert "2018 4 株式会社ミライ商事 入社" in text
    assert "平成" not in text and "令和" not in text
    assert "貴社の規定に従います。" in text


def test_rirekisho_long_history_continues_under_the_same_header(tmp_path: Path) -> None:
    jobs = [
        Experience(
            company=f"第{n}株式会社",
            start=f"{2000 + n // 12:04d}-{n % 12 + 1:02d}",
            end=None if n == 18 else f"{2000 + n // 12:04d}-{n % 12 + 1:02d}",
        )
        for n in range(19)
    ]
    # 学歴 heading + 4 school rows + 職歴 heading + 19 入社 + 18 退社 + 現在に至る + 以上 = 45 rows
    pdf = render(DocumentKind.RIREKISHO, make_document(experience=jobs))
    text = flat(pdf_text(pdf, tmp_path))
    for n in range(19):
        assert f"第{n}株式会社 入社" in text
    assert text.count("一身上の都合により退社") == 18
    assert "現在に至る" in text and "以上" in text
    assert text.count("学歴・職歴（各別にまとめて書く）") == 2
    assert pdf_info(pdf, tmp_path)["Pages"] == "3"  # the form's two pages, and one more for the rest
    save_png(pdf, "rirekisho-long")


def test_rirekisho_long_text_is_never_cut(tmp_path: Path) -> None:
    motivation = "".join(f"第{n}段落の志望動機です。" for n in range(250))
    document = make_document()
    document = msgspec.structs.replace(
        document, profile=msgspec.structs.replace(document.profile, motivation=motivation)
    )
    text = flat(pdf_text(render(DocumentKind.RIREKISHO, document), tmp_path)).replace(" ", "")
    assert "第0段落" in text and "第249段落の志望動機です。" in text
    assert "志望の動機、特技、好きな学科、アピールポイントなど（続き）" in text


def test_photo_is_embedded_when_given(tmp_path: Path) -> None:
    pdf = render(DocumentKind.RIREKISHO, make_document(photo=tiny_png()))
    listing = poppler("pdfimages", pdf, tmp_path, "-list")
    assert len(listing.strip().splitlines()) == 3  # two header lines and one image
    assert "写真をはる位置" not in pdf_text(pdf, tmp_path)
    save_png(pdf, "rirekisho-photo")


def test_a_damaged_photo_leaves_the_empty_box(tmp_path: Path) -> None:
    pdf = render(DocumentKind.RIREKISHO, make_document(photo=b"not an image"))
    assert "写真をはる位置" in pdf_text(pdf, tmp_path)


@pytest.mark.parametrize(
    ("style", "expected", "absent"),
    [
        (DateStyle.WAREKI, "平成30年4月～令和3年3月", "2018年"),
        (DateStyle.SEIREKI, "2018年4月～2021年3月", "平成"),
    ],
)
def test_shokumu_sections_and_periods(style: DateStyle, expected: str, absent: str, tmp_path: Path) -> None:
    text = flat(pdf_text(render(DocumentKind.SHOKUMU, make_document(style)), tmp_path))
    for label in (
        "職務経歴書",
        "■職務要約",
        "■職務経歴",
        "■活かせる経験・知識・技術",
        "■資格",
        "■語学",
        "■プロジェクト",
    ):
        assert label in text, label
    assert expected in text
    assert "～現在" in text
    assert absent not in text
    assert "氏名 山田 太郎" in text
    assert re.search(r"・ ?CI/CDの導入でリリース頻度を週1回から毎日に", text)
    assert "Python（上級／経験7年）" in text


def test_english_cv_months_and_sections(tmp_path: Path) -> None:
    text = flat(pdf_text(render(DocumentKind.RESUME, make_document()), tmp_path))
    for label in ("SUMMARY", "EXPERIENCE", "EDUCATION", "SKILLS", "LANGUAGES", "CERTIFICATIONS", "PROJECTS"):
        assert label in text, label
    assert "Apr 2018 – Mar 2021" in text
    assert "Apr 2023 – Present" in text
    assert "早稲田大学" in text


def test_same_input_same_bytes() -> None:
    document = make_document()
    for kind in DocumentKind:
        assert render(kind, document) == render(kind, document)


@pytest.mark.parametrize("kind", list(DocumentKind))
def test_an_almost_empty_resume_still_prints_the_form(kind: DocumentKind, tmp_path: Path) -> None:
    document = ResumeDocument(
        person=Person(family_name="Smith", given_name="Anna", email="anna@example.com"),
        title="",
        summary=None,
        profile=Profile(address="東京都" * 60),
        skills=[],
        languages=[],
        certifications=[],
        education=[],
        experience=[],
        projects=[],
        references=[],
        as_of=date(2019, 5, 1),
    )
    text = flat(pdf_text(render(kind, document), tmp_path))
    assert "Smith" in text
    if kind is DocumentKind.RIREKISHO:
        assert "年 月 日生 （満 歳）" in text
        assert "特になし" in text and "以上" in text
        assert text.replace(" ", "").count("東京都") == 60  # a long address shrinks, it is not cut
