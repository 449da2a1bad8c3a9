"""The migrated schema is the one docs/db-definition.md defines, table by table.

On MariaDB/MySQL the check reads information_schema of a fresh database migrated to head;
on SQLite it checks what SQLite can hold (nullability, FK rules, unique and listed indexes)
through SQLAlchemy's inspector.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa

from server import migrate
from tests.schema.scratch import mysql_database, sync_engine
from tests.schema.seed_definition import EXTRA_TABLES, TABLE_NAMES, Column, ForeignKey, Table, definition

COLLATION = "utf8mb4_unicode_ci"
per_table = pytest.mark.parametrize("name", TABLE_NAMES)


@dataclass(frozen=True)
class Index:
    unique: bool
    columns: tuple[str, ...]


@dataclass(frozen=True)
class Schema:
    """What a migrated database holds, per table."""

    mariadb: bool
    collations: dict[str, str]
    columns: dict[str, dict[str, dict[str, Any]]]
    indexes: dict[str, dict[str, Index]]
    foreign_keys: dict[str, dict[str, tuple[str, str, str | None]]]


def _read_information_schema(conn: sa.Connection) -> Schema:
    def rows(sql: str) -> list[dict[str, Any]]:
        return [dict(r) for r in conn.exec_driver_sql(sql).mappings()]

    where = "TABLE_SCHEMA = DATABASE()"
    columns: dict[str, dict[str, dict[str, Any]]] = {}
    for row in rows(f"SELECT * FROM information_schema.COLUMNS WHERE {where}"):  # noqa: S608
        columns.setdefault(row["TABLE_NAME"], {})[row["COLUMN_NAME"]] = row
    parts: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in rows(f"SELECT * FROM information_schema.STATISTICS WHERE {where}"):  # noqa: S608
        parts.setdefault((row["TABLE_NAME"], row["INDEX_NAME"]), []).append(row)
    indexes: dict[str, dict[str, Index]] = {}
    for (table, index), index_rows in parts.items():
        ordered = sorted(index_rows, key=lambda r: r["SEQ_IN_INDEX"])
        indexes.setdefault(table, {})[index] = Index(
            unique=not int(ordered[0]["NON_UNIQUE"]), columns=tuple(r["COLUMN_NAME"] for r in ordered)
        )
    foreign_keys: dict[str, dict[str, tuple[str, str, str | None]]] = {}
    for row in rows(
        "SELECT k.TABLE_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, r.DELETE_RULE"
        " FROM information_schema.KEY_COLUMN_USAGE k JOIN information_schema.REFERENTIAL_CONSTRAINTS r"
        " ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME"
        " AND r.TABLE_NAME = k.TABLE_NAME WHERE k.TABLE_SCHEMA = DATABASE()"
    ):
        # InnoDB treats NO ACTION as RESTRICT; both mean "no rule given".
        rule = {"NO ACTION": "RESTRICT"}.get(row["DELETE_RULE"], row["DELETE_RULE"])
        target = (row["REFERENCED_TABLE_NAME"], row["REFERENCED_COLUMN_NAME"], rule)
        foreign_keys.setdefault(row["TABLE_NAME"], {})[row["COLUMN_NAME"]] = target
    tables = rows(f"SELECT TABLE_NAME, TABLE_COLLATION FROM information_schema.TABLES WHERE {where}")  # noqa: S608
    return Schema(
        mariadb="mariadb" in conn.exec_driver_sql("SELECT VERSION()").scalar_one().lower(),
        collations={r["TABLE_NAME"]: r["TABLE_COLLATION"] for r in tables},
        columns=columns,
        indexes=indexes,
        foreign_keys=foreign_keys,
    )


@pytest.fixture(scope="module")
def mysql_schema() -> Iterator[Schema]:
    with mysql_database() as url:
        migrate.upgrade("head", url)
        with sync_engine(url) as engine, engine.connect() as conn:
            yield _read_information_schema(conn)


def _mysql_type(column: Column) -> str:
    if column.type == "VARCHAR":
        return f"varchar({column.length})"
    if column.type == "DECIMAL":
        assert column.precision is not None
        return "decimal({},{})".format(*column.precision)
    if column.type == "ENUM":
        return "enum({})".format(",".join(f"'{value}'" for value in column.enum_values))
    simple = {"BOOLEAN": "tinyint(1)", "INTEGER": "int", "TEXT": "text", "LONGTEXT": "longtext"}
    return simple.get(column.type, column.type.lower())


def _reported_type(row: dict[str, Any]) -> str:
    data_type = row["DATA_TYPE"]
    if data_type == "varchar":
        return f"varchar({row['CHARACTER_MAXIMUM_LENGTH']})"
    if data_type == "decimal":
        return f"decimal({row['NUMERIC_PRECISION']},{row['NUMERIC_SCALE']})"
    if data_type in {"tinyint", "enum"}:
        return str(row["COLUMN_TYPE"])
    return str(data_type)


def _mysql_default(column: Column, mariadb: bool) -> str | None:
    """COLUMN_DEFAULT as the server reports the definition's default.

    MariaDB reports a nullable column without default as the string 'NULL' and quotes string
    defaults; MySQL reports SQL NULL and unquoted strings.
    """
    default = column.default
    if default is None:
        return "NULL" if mariadb and column.nullable else None
    if default == "NOW()":
        return "current_timestamp(6)" if mariadb else "CURRENT_TIMESTAMP(6)"
    if default in {"FALSE", "TRUE"}:
        return "1" if default == "TRUE" else "0"
    if default.startswith("'") and not mariadb:
        return default.strip("'")
    return default


@per_table
def test_table_has_exactly_the_defined_columns(mysql_schema: Schema, name: str) -> None:
    assert sorted(mysql_schema.columns[name]) == sorted(definition()[name].columns)


@per_table
def test_column_types_match(mysql_schema: Schema, name: str) -> None:
    columns = definition()[name].columns.values()
    reported = mysql_schema.columns[name]
    assert {c.name: _reported_type(reported[c.name]) for c in columns} == {
        c.name: _mysql_type(c) for c in columns
    }


@per_table
def test_column_nullability_matches(mysql_schema: Schema, name: str) -> None:
    columns = definition()[name].columns.values()
    reported = mysql_schema.columns[name]
    assert {c.name: reported[c.name]["IS_NULLABLE"] == "YES" for c in columns} == {
        c.name: c.nullable for c in columns
    }


@per_table
def test_column_defaults_match(mysql_schema: Schema, name: str) -> None:
    columns = definition()[name].columns.values()
    reported = mysql_schema.columns[name]
    assert {c.name: reported[c.name]["COLUMN_DEFAULT"] for c in columns} == {
        c.name: _mysql_default(c, mysql_schema.mariadb) for c in columns
    }


@per_table
def test_only_on_update_now_columns_refresh_on_update(mysql_schema: Schema, name: str) -> None:
    reported = mysql_schema.columns[name]
    refreshed = {c for c, row in reported.items() if "on update current_timestamp" in row["EXTRA"].lower()}
    assert refreshed == {c.name for c in definition()[name].columns.values() if c.on_update}


@per_table
def test_id_is_the_auto_increment_primary_key(mysql_schema: Schema, name: str) -> None:
    table = definition()[name]
    auto_increment = {c for c, row in mysql_schema.columns[name].items() if "auto_increment" in row["EXTRA"]}
    assert mysql_schema.indexes[name]["PRIMARY"] == Index(
        unique=True, columns=tuple(c.name for c in table.columns.values() if c.primary_key)
    )
    assert auto_increment == {c.name for c in table.columns.values() if c.auto_increment} == {"id"}


@per_table
def test_unique_keys_are_unique_indexes_over_exactly_their_columns(mysql_schema: Schema, name: str) -> None:
    indexes = mysql_schema.indexes[name]
    unique = {i.columns for index_name, i in indexes.items() if i.unique and index_name != "PRIMARY"}
    assert unique == definition()[name].uniques


@per_table
def test_listed_indexes_lead_an_index(mysql_schema: Schema, name: str) -> None:
    leading = {i.columns[0] for i in mysql_schema.indexes[name].values()}
    assert sorted(definition()[name].indexed_columns - leading) == []


@per_table
def test_foreign_keys_reference_the_defined_table_with_the_defined_delete_rule(
    mysql_schema: Schema, name: str
) -> None:
    assert mysql_schema.foreign_keys.get(name, {}) == {
        column: (fk.table, fk.column, fk.on_delete or "RESTRICT")
        for column, fk in definition()[name].foreign_keys.items()
    }


@per_table
def test_table_and_its_text_columns_use_the_unicode_collation(mysql_schema: Schema, name: str) -> None:
    collations = {name: mysql_schema.collations[name]} | {
        column: row["COLLATION_NAME"]
        for column, row in mysql_schema.columns[name].items()
        if row["COLLATION_NAME"] is not None
    }
    assert collations == dict.fromkeys(collations, COLLATION)


@pytest.mark.parametrize("name", EXTRA_TABLES)
def test_extra_table_belongs_to_a_company_and_goes_with_it(mysql_schema: Schema, name: str) -> None:
    assert mysql_schema.foreign_keys[name]["company_id"] == ("companies", "id", "CASCADE")
    assert mysql_schema.columns[name]["company_id"]["IS_NULLABLE"] == "NO"
    assert mysql_schema.collations[name] == COLLATION


# SQLite: the structural checks that carry over.


@pytest.fixture(scope="module")
def sqlite_inspector(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sa.Inspector]:
    url = f"sqlite:///{tmp_path_factory.mktemp('definition') / 'head.db'}"
    migrate.upgrade("head", url)
    with sync_engine(url) as engine:
        yield sa.inspect(engine)


def _sqlite_uniques(inspector: sa.Inspector, name: str) -> set[tuple[str, ...]]:
    constraints = {tuple(u["column_names"]) for u in inspector.get_unique_constraints(name)}
    indexes = {tuple(i["column_names"]) for i in inspector.get_indexes(name) if i["unique"]}
    return constraints | indexes


@per_table
def test_sqlite_nullability_matches(sqlite_inspector: sa.Inspector, name: str) -> None:
    reported = {c["name"]: c["nullable"] for c in sqlite_inspector.get_columns(name)}
    assert reported == {c.name: c.nullable for c in definition()[name].columns.values()}


@per_table
def test_sqlite_foreign_keys_carry_the_defined_delete_rule(sqlite_inspector: sa.Inspector, name: str) -> None:
    reported = {
        fk["constrained_columns"][0]: (
            fk["referred_table"],
            fk["referred_columns"][0],
            fk["options"].get("ondelete"),
        )
        for fk in sqlite_inspector.get_foreign_keys(name)
    }
    table: Table = definition()[name]
    assert reported == {c: (fk.table, fk.column, fk.on_delete) for c, fk in table.foreign_keys.items()}


@per_table
def test_sqlite_unique_keys_match(sqlite_inspector: sa.Inspector, name: str) -> None:
    assert _sqlite_uniques(sqlite_inspector, name) == definition()[name].uniques


@per_table
def test_sqlite_listed_indexes_lead_an_index(sqlite_inspector: sa.Inspector, name: str) -> None:
    indexes = sqlite_inspector.get_indexes(name)
    leading = {i["column_names"][0] for i in indexes} | {
        u[0] for u in _sqlite_uniques(sqlite_inspector, name)
    }
    assert sorted(definition()[name].indexed_columns - leading) == []


def test_definition_parses_into_27_tables_with_their_keys() -> None:
    tables = definition()
    assert len(tables) == 27
    assert len(set(tables) | set(EXTRA_TABLES)) == 31
    company_id = tables["users"].columns["company_id"]
    assert (company_id.nullable, company_id.foreign_key) == (True, ForeignKey("companies", "id", "CASCADE"))
    assert tables["calendar_connections"].uniques == {("user_id", "provider", "external_account_id")}
    assert tables["interviews"].columns["timezone"].default == "'Asia/Tokyo'"
    assert tables["todos"].columns["estimated_hours"].precision == (5, 2)
    assert tables["companies"].columns["type"].enum_values == ("RECRUITING_AGENCY", "EMPLOYER")
