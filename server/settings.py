"""Settings, read from the environment only.

With nothing set, the app runs on embedded defaults: an SQLite file and a generated secret
key under `./var/`, in-process realtime, mail written to `./var/outbox/`. Production
(`APP_ENV=production`) refuses to start without an explicit `SECRET_KEY`.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import msgspec


class SettingsError(RuntimeError):
    """The environment describes a configuration the app refuses to run with."""


_ASYNC_DRIVERS = {
    "mysql": "mysql+aiomysql",
    "mariadb": "mysql+aiomysql",
    "mysql+pymysql": "mysql+aiomysql",
    "sqlite": "sqlite+aiosqlite",
}


def async_database_url(url: str) -> str:
    """Map `mysql://` and `sqlite://` URLs to their async drivers; MySQL talks utf8mb4."""
    scheme, rest = url.split("://", 1)
    scheme = _ASYNC_DRIVERS.get(scheme, scheme)
    mapped = f"{scheme}://{rest}"
    if scheme.startswith("mysql"):
        parts = urlsplit(mapped)
        query = dict(parse_qsl(parts.query))
        query.setdefault("charset", "utf8mb4")
        mapped = urlunsplit(parts._replace(query=urlencode(query)))
    return mapped


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be an integer, got {raw!r}") from exc


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a number, got {raw!r}") from exc
    if value <= 0:
        raise SettingsError(f"{name} must be positive, got {raw!r}")
    return value


def _origins(raw: str) -> tuple[str, ...]:
    """`CORS_ORIGINS`: comma-separated `scheme://host[:port]` origins, or `*`."""
    origins = []
    for item in (part.strip().rstrip("/").lower() for part in raw.split(",")):
        if not item:
            continue
        parts = urlsplit(item)
        malformed = parts.scheme not in {"http", "https"} or not parts.netloc
        if item != "*" and (malformed or parts.path or parts.query or parts.fragment):
            raise SettingsError(f"CORS_ORIGINS entries look like https://host[:port] or are *, got {item!r}")
        origins.append(item)
    return tuple(origins)


def _secret_key(var_dir: Path, production: bool) -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if production:
        raise SettingsError("SECRET_KEY must be set when APP_ENV=production")
    path = var_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


class IceServer(msgspec.Struct, omit_defaults=True):
    """One entry of RTCConfiguration.iceServers, as the browser expects it."""

    urls: list[str] | str
    username: str | None = None
    credential: str | None = None


@dataclass(frozen=True)
class CalendarProviders:
    """OAuth clients of the calendar providers; a provider without a client id and secret is off.

    The base URLs default to the real services; tests point them at local fakes.
    """

    google_client_id: str | None = None
    google_client_secret: str | None = field(default=None, repr=False)
    microsoft_client_id: str | None = None
    microsoft_client_secret: str | None = field(default=None, repr=False)
    google_authorize_url: str = "https://accounts.google.com/o/oauth2/v2/auth"
    google_oauth_base_url: str = "https://oauth2.googleapis.com"
    google_api_base_url: str = "https://www.googleapis.com"
    microsoft_login_base_url: str = "https://login.microsoftonline.com"
    microsoft_tenant: str = "common"
    microsoft_graph_base_url: str = "https://graph.microsoft.com"

    @classmethod
    def from_env(cls) -> CalendarProviders:
        def url(name: str, default: str) -> str:
            return (os.environ.get(name) or default).rstrip("/")

        return cls(
            google_client_id=os.environ.get("GOOGLE_CLIENT_ID") or None,
            google_client_secret=os.environ.get("GOOGLE_CLIENT_SECRET") or None,
            microsoft_client_id=os.environ.get("MICROSOFT_CLIENT_ID") or None,
            microsoft_client_secret=os.environ.get("MICROSOFT_CLIENT_SECRET") or None,
            google_authorize_url=url("GOOGLE_AUTHORIZE_URL", cls.google_authorize_url),
            google_oauth_base_url=url("GOOGLE_OAUTH_BASE_URL", cls.google_oauth_base_url),
            google_api_base_url=url("GOOGLE_API_BASE_URL", cls.google_api_base_url),
            microsoft_login_base_url=url("MICROSOFT_LOGIN_BASE_URL", cls.microsoft_login_base_url),
            microsoft_tenant=os.environ.get("MICROSOFT_TENANT") or cls.microsoft_tenant,
            microsoft_graph_base_url=url("MICROSOFT_GRAPH_BASE_URL", cls.microsoft_graph_base_url),
        )


@dataclass(frozen=True)
class Settings:
    database_url: str
    secret_key: str
    var_dir: Path
    storage_dir: Path
    redis_url: str | None = None
    smtp_url: str | None = None
    mail_from: str = "MiraiWorks <no-reply@miraiworks.localhost>"
    public_base_url: str = "http://127.0.0.1:8000"
    ice_servers: list[IceServer] = field(default_factory=list)
    log_level: str = "INFO"
    # `json` (one object a line, server.logs) or `text`; from the environment: json in production.
    log_format: str = "text"
    # When set, /metrics answers only `Authorization: Bearer <token>` (server.metrics).
    metrics_token: str | None = field(default=None, repr=False)
    production: bool = False
    debug: bool = False
    # Argon2id cost: production default is OWASP's; tests set it cheap through the environment.
    password_time_cost: int = 3
    password_memory_kib: int = 65536
    access_token_minutes: int = 15
    refresh_token_days: int = 30
    max_request_bytes: int = 1024 * 1024
    max_upload_bytes: int = 20 * 1024 * 1024
    db_pool_size: int = 20
    # How long a process reuses a login session's principal (and a recipient's account); any
    # change through the app drops it on every process at once (server.auth.principals), so this
    # bounds only what no commit announces: a session's expiry time passing (an access token
    # outlives it by up to `access_token_minutes` anyway), a row changed outside the app. A
    # user sending every few seconds must find it still there. 0 turns reuse off.
    principal_cache_seconds: float = 30.0
    trusted_proxies: tuple[str, ...] = ()
    # Browser origins other than the app's own allowed to call the API and open sockets
    # (`https://app.example.com`, or `*` for any); empty: same origin only, no CORS headers.
    cors_origins: tuple[str, ...] = ()
    # A socket whose process stops refreshing it is gone after this long (presence, rooms).
    presence_ttl_seconds: int = 30
    # Engine.IO heartbeat: a socket that answers no ping within interval + timeout (a client that
    # stopped reading, a half-open connection) is dropped, its presence and seats with it.
    socket_ping_interval_seconds: float = 20
    socket_ping_timeout_seconds: float = 20
    # WebSocket permessage-deflate: off by default, as its per-socket compression state (about
    # 42 KiB) is most of what an idle socket costs, and events are small JSON.
    socket_compression: bool = False
    # With Redis: a job whose worker stopped answering for this long is run again by another worker.
    job_heartbeat_seconds: int = 20
    # Whether `serve` processes run background jobs themselves. From the environment: yes without
    # REDIS_URL (one process, nobody else would), no with it (`miraiworks worker` runs them).
    # Settings built in code (tests) run none unless they ask.
    jobs_in_server: bool = False
    # Files go to an S3-compatible store when a bucket is named, else under `storage_dir`.
    s3_bucket: str | None = None
    s3_endpoint_url: str | None = None
    s3_region: str | None = None
    s3_access_key_id: str | None = None
    s3_secret_access_key: str | None = field(default=None, repr=False)
    # Google Calendar and Microsoft 365 (server.domains.calendars).
    calendars: CalendarProviders = field(default_factory=CalendarProviders)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def is_embedded_database(self) -> bool:
        """True when running on the default SQLite file (no DATABASE_URL given)."""
        return self.database_url == _default_database_url(self.var_dir)

    @classmethod
    def from_env(cls) -> Settings:
        production = os.environ.get("APP_ENV", "development").lower() == "production"
        var_dir = Path(os.environ.get("VAR_DIR", "./var")).resolve()
        database_url = async_database_url(os.environ.get("DATABASE_URL") or _default_database_url(var_dir))
        ice_raw = os.environ.get("ICE_SERVERS", "")
        try:
            ice = msgspec.json.decode(ice_raw, type=list[IceServer]) if ice_raw else []
        except msgspec.DecodeError as exc:
            raise SettingsError(f"ICE_SERVERS must be a JSON list of ice servers: {exc}") from exc
        redis_url = os.environ.get("REDIS_URL") or None
        proxies = tuple(p.strip() for p in os.environ.get("TRUSTED_PROXIES", "").split(",") if p.strip())
        cors_origins = _origins(os.environ.get("CORS_ORIGINS", ""))
        return cls(
            database_url=database_url,
            secret_key=_secret_key(var_dir, production),
            var_dir=var_dir,
            storage_dir=Path(os.environ.get("STORAGE_DIR") or var_dir / "files").resolve(),
            redis_url=redis_url,
            smtp_url=os.environ.get("SMTP_URL") or None,
            mail_from=os.environ.get("MAIL_FROM", cls.mail_from),
            public_base_url=os.environ.get("PUBLIC_BASE_URL", cls.public_base_url).rstrip("/"),
            ice_servers=ice,
            log_level=os.environ.get("LOG_LEVEL", "INFO").upper(),
            log_format=_log_format(production),
            metrics_token=os.environ.get("METRICS_TOKEN") or None,
            production=production,
            debug=_env_bool("DEBUG", False),
            password_time_cost=_env_int("PASSWORD_TIME_COST", cls.password_time_cost),
            password_memory_kib=_env_int("PASSWORD_MEMORY_KIB", cls.password_memory_kib),
            access_token_minutes=_env_int("ACCESS_TOKEN_MINUTES", cls.access_token_minutes),
            refresh_token_days=_env_int("REFRESH_TOKEN_DAYS", cls.refresh_token_days),
            max_request_bytes=_env_int("MAX_REQUEST_BYTES", cls.max_request_bytes),
            max_upload_bytes=_env_int("MAX_UPLOAD_BYTES", cls.max_upload_bytes),
            db_pool_size=_env_int("DB_POOL_SIZE", cls.db_pool_size),
            principal_cache_seconds=_env_float("PRINCIPAL_CACHE_SECONDS", cls.principal_cache_seconds),
            trusted_proxies=proxies,
            cors_origins=cors_origins,
            presence_ttl_seconds=_env_int("PRESENCE_TTL_SECONDS", cls.presence_ttl_seconds),
            socket_compression=_env_bool("SOCKET_COMPRESSION", cls.socket_compression),
            socket_ping_interval_seconds=_env_float(
                "SOCKET_PING_INTERVAL_SECONDS", cls.socket_ping_interval_seconds
            ),
            socket_ping_timeout_seconds=_env_float(
                "SOCKET_PING_TIMEOUT_SECONDS", cls.socket_ping_timeout_seconds
            ),
            job_heartbeat_seconds=_env_int("JOB_HEARTBEAT_SECONDS", cls.job_heartbeat_seconds),
            jobs_in_server=_env_bool("JOBS_IN_SERVER", redis_url is None),
            s3_bucket=os.environ.get("S3_BUCKET") or None,
            s3_endpoint_url=os.environ.get("S3_ENDPOINT_URL") or None,
            s3_region=os.environ.get("S3_REGION") or None,
            s3_access_key_id=os.environ.get("S3_ACCESS_KEY_ID") or None,
            s3_secret_access_key=os.environ.get("S3_SECRET_ACCESS_KEY") or None,
            calendars=CalendarProviders.from_env(),
        )


def _log_format(production: bool) -> str:
    raw = (os.environ.get("LOG_FORMAT") or ("json" if production else "text")).strip().lower()
    if raw not in {"json", "text"}:
        raise SettingsError(f"LOG_FORMAT must be json or text, got {raw!r}")
    return raw


def _default_database_url(var_dir: Path) -> str:
    return f"sqlite+aiosqlite:///{var_dir / 'miraiworks.db'}"
