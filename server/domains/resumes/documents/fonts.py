"""The Japanese fonts every resume document is set in.

Noto Serif JP (明朝, the 履歴書 and 職務経歴書 body) and Noto Sans JP (ゴシック, headings and the English
CV, whose Latin glyphs it also has) come from the PyPI package `pylopdf-fonts-jp`, so a fresh machine,
a container or CI renders Japanese without any system font. They are SIL OFL 1.1, which allows
embedding, and fpdf2 embeds only the subset of glyphs a document uses (a page is tens of KB, not the
fonts' megabytes), so the PDF reads the same on a reader that has no Japanese font.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from fpdf import FPDF

SERIF = "NotoSerifJP"
SANS = "NotoSansJP"
_FILES = {SERIF: "NotoSerifJP-Regular.otf", SANS: "NotoSansJP-Regular.otf"}


@cache
def font_paths() -> dict[str, Path]:
    """Family -> font file, resolved once per process from the installed package."""
    package = resources.files("pylopdf_fonts_jp")
    paths: dict[str, Path] = {}
    for family, name in _FILES.items():
        path = Path(str(package / name))
        if not path.is_file():
            raise RuntimeError(f"font {name} missing from pylopdf-fonts-jp (reinstall the package)")
        paths[family] = path
    return paths


def register(pdf: FPDF) -> None:
    """Add both families to `pdf`, once: fpdf2 keys its fonts by lower-cased family name."""
    for family, path in font_paths().items():
        if family.lower() not in pdf.fonts:
            pdf.add_font(family, fname=path)
