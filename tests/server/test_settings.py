"""Settings come from the environment; the embedded defaults need none of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.settings import Settings, SettingsError, async_database_url


def test_mysql_urls_are_mapped_to_the_async_driver_with_utf8mb4() -> None:
    assert (
        async_database_url("mysql://root@127.0.0.1:3306/mw")
        == "mysql+aiomysql://root@127.0.0.1:3306/mw?charset=utf8mb4"
    )


def test_sqlite_urls_are_mapped_to_aiosqlite() -> None:
    assert async_database_url("sqlite:///var/x.db") == "sqlite+aiosqlite:///var/x.db"


def test_defaults_are_an_sqlite_file_and_in_process_realtime(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "APP_ENV", "STORAGE_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    settings = Settings.from_env()
    assert settings.database_url == f"sqlite+aiosqlite:///{tmp_path / 'miraiworks.db'}"
    assert settings.is_embedded_database
    assert settings.redis_url is None
    assert settings.storage_dir == tmp_path / "files"


def test_a_generated_secret_key_is_kept_for_the_next_start(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("APP_ENV", raising=False)
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    first = Settings.from_env().secret_key
    assert len(first) >= 48
    assert Settings.from_env().secret_key == first
    assert (tmp_path / "secret_key").read_text() == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_production_refuses_to_start_without_a_secret_key(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    with pytest.raises(SettingsError, match="SECRET_KEY must be set"):
        Settings.from_env()
    assert not (tmp_path / "secret_key").exists()


def test_ice_servers_are_read_from_json(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    monkeypatch.setenv("ICE_SERVERS", '[{"urls": ["stun:stun.example.jp:3478"]}]')
    assert [s.urls for s in Settings.from_env().ice_servers] == [["stun:stun.example.jp:3478"]]


def test_malformed_ice_servers_are_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    monkeypatch.setenv("ICE_SERVERS", "stun:nope")
    with pytest.raises(SettingsError, match="ICE_SERVERS"):
        Settings.from_env()
