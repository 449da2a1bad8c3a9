"""The database definition (docs/db-definition.md) read into dataclasses, for the schema tests.

Each `#### table` section has a column table (`| Column | Type | Constraints | Description |`),
then optional `**Constraints**` (`- UNIQUE: (a, b)`) and `**Indexes**` (`- UNIQUE: col`,
`- INDEX: a, b`) lists. Constraint words the parser does not know are an error, so a change
to the document cannot be silently ignored by the tests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

DEFINITION = Path(__file__).resolve().parents[2] / "docs" / "db-definition.md"

_TYPE = re.compile(r"^(?P<name>[A-Z]+)(?:\((?P<args>[\d,\s]+)\))?$")
_FK = re.compile(r"^FK\((?P<table>\w+)\.(?P<column>\w+)\)$")
_ENUM_VALUES = re.compile(r"\(([A-Z_]+(?:,\s*[A-Z_]+)*)\)")
_FLAGS = {"PRIMARY KEY", "AUTO_INCREMENT", "NOT NULL", "NULL", "UNIQUE", "INDEX", "TIMEZONE"}


@dataclass(frozen=True)
class ForeignKey:
    table: str
    column: str
    on_delete: str | None
    """`CASCADE`, `SET NULL`, or None when the definition names no rule (RESTRICT / NO ACTION)."""


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    """The SQL type name: INTEGER, VARCHAR, TEXT, LONGTEXT, BOOLEAN, DATETIME, DATE, DECIMAL, ENUM."""
    length: int | None
    """VARCHAR(n): n."""
    precision: tuple[int, int] | None
    """DECIMAL(p,s): (p, s)."""
    enum_values: tuple[str, ...]
    nullable: bool
    default: str | None
    """The default as written: `FALSE`, `TRUE`, `NOW()`, `'draft'`, `60`; None when there is none."""
    on_update: bool
    """`ON UPDATE NOW()`."""
    foreign_key: ForeignKey | None
    primary_key: bool
    auto_increment: bool
    unique: bool
    indexed: bool
    """INDEX in the column's own constraints (the table's `- INDEX:` list is merged in `Table`)."""


@dataclass(frozen=True)
class Table:
    name: str
    columns: dict[str, Column]
    composite_uniques: tuple[tuple[str, ...], ...]
    index_list: tuple[str, ...]
    """The `- INDEX:` list of the **Indexes** section."""
    unique_list: tuple[str, ...]
    """The `- UNIQUE:` columns of the **Indexes** section."""

    @property
    def uniques(self) -> set[tuple[str, ...]]:
        """Every unique key, single columns as 1-tuples."""
        singles = {(c.name,) for c in self.columns.values() if c.unique}
        return singles | {(name,) for name in self.unique_list} | set(self.composite_uniques)

    @property
    def indexed_columns(self) -> set[str]:
        return set(self.index_list) | {c.name for c in self.columns.values() if c.indexed}

    @property
    def foreign_keys(self) -> dict[str, ForeignKey]:
        return {c.name: c.foreign_key for c in self.columns.values() if c.foreign_key}


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _column(cells: list[str]) -> Column:
    name, type_text, constraints, description = cells
    match = _TYPE.match(type_text)
    if match is None:
        raise ValueError(f"unknown type {type_text!r} of column {name}")
    args = [int(a) for a in (match["args"] or "").split(",") if a.strip()]
    enum_values: tuple[str, ...] = ()
    if match["name"] == "ENUM":
        values = _ENUM_VALUES.search(description)
        if values is None:
            raise ValueError(f"ENUM column {name} lists no values in its description")
        enum_values = tuple(v.strip() for v in values[1].split(","))
    flags: set[str] = set()
    default = None
    foreign_key_target: tuple[str, str] | None = None
    on_delete = None
    on_update = False
    for token in (t.strip() for t in constraints.split(",")):
        if token in _FLAGS:
            flags.add(token)
        elif token.startswith("DEFAULT "):
            default = token.removeprefix("DEFAULT ")
        elif token == "ON UPDATE NOW()":
            on_update = True
        elif token in {"CASCADE DELETE", "SET NULL"}:
            on_delete = token.removesuffix(" DELETE")
        elif fk := _FK.match(token):
            foreign_key_target = (fk["table"], fk["column"])
        else:
            raise ValueError(f"unknown constraint {token!r} of column {name}")
    if on_delete and not foreign_key_target:
        raise ValueError(f"column {name} has an ON DELETE rule but no FK")
    return Column(
        name=name,
        type=match["name"],
        length=args[0] if match["name"] == "VARCHAR" else None,
        precision=(args[0], args[1]) if match["name"] == "DECIMAL" else None,
        enum_values=enum_values,
        # Neither NULL nor NOT NULL (users.company_id) means nullable, as in SQL.
        nullable="NOT NULL" not in flags and "PRIMARY KEY" not in flags,
        default=default,
        on_update=on_update,
        foreign_key=ForeignKey(*foreign_key_target, on_delete) if foreign_key_target else None,
        primary_key="PRIMARY KEY" in flags,
        auto_increment="AUTO_INCREMENT" in flags,
        unique="UNIQUE" in flags,
        indexed="INDEX" in flags,
    )


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.strip().strip("()").split(",")]


@dataclass
class _TableText:
    """One `#### table` section while it is being read."""

    name: str
    columns: dict[str, Column] = field(default_factory=dict)
    composite_uniques: list[tuple[str, ...]] = field(default_factory=list)
    index_list: list[str] = field(default_factory=list)
    unique_list: list[str] = field(default_factory=list)
    section: str = ""

    def read(self, line: str) -> None:
        if line.startswith("**"):
            self.section = line.strip("*: ")
        elif line.startswith("| ") and not line.startswith(("| Column ", "|--")):
            column = _column(_cells(line))
            self.columns[column.name] = column
        elif self.section == "Constraints" and line.startswith("- UNIQUE:"):
            self.composite_uniques.append(tuple(_names(line.removeprefix("- UNIQUE:"))))
        elif self.section == "Indexes" and line.startswith("- UNIQUE:"):
            self.unique_list.extend(_names(line.removeprefix("- UNIQUE:")))
        elif self.section == "Indexes" and line.startswith("- INDEX:"):
            self.index_list.extend(_names(line.removeprefix("- INDEX:")))

    def table(self) -> Table:
        return Table(
            name=self.name,
            columns=self.columns,
            composite_uniques=tuple(self.composite_uniques),
            index_list=tuple(self.index_list),
            unique_list=tuple(self.unique_list),
        )


def parse(text: str) -> dict[str, Table]:
    sections: list[_TableText] = []
    current: _TableText | None = None
    for line in text.splitlines():
        if line.startswith("#"):
            current = _TableText(line.removeprefix("#### ").strip()) if line.startswith("#### ") else None
            if current is not None:
                sections.append(current)
        elif current is not None:
            current.read(line)
    return {section.name: section.table() for section in sections}


@cache
def definition() -> dict[str, Table]:
    """Every table of docs/db-definition.md, by name, in document order."""
    return parse(DEFINITION.read_text(encoding="utf-8"))


TABLE_NAMES = tuple(definition())
EXTRA_TABLES = ("meeting_recordings", "meeting_transcripts", "meeting_summaries", "interview_notes")
"""Tables the definition names in relationships without defining; the migrations create them too."""
