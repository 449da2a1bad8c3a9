"""The `miraiworks` command: migrate, serve, run background jobs, seed demo data, purge, back up, restore."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

from server.settings import Settings, SettingsError

if TYPE_CHECKING:
    from server.context import AppContext
    from server.manifest import Domain

T = TypeVar("T")
GRACEFUL_TIMEOUT_SECONDS = 25
"""compose.yaml gives the app 30 s between SIGTERM and SIGKILL."""


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """MiraiWorks backend. Configuration comes from the environment (DATABASE_URL, REDIS_URL, ...)."""


@main.command()
@click.option("--revision", default="head", show_default=True, help="Alembic revision to upgrade to.")
def migrate(revision: str) -> None:
    """Upgrade the database at DATABASE_URL to the given revision."""
    from server import migrate as migrations

    settings = _settings()
    migrations.upgrade(revision)
    click.echo(f"database migrated to {revision}: {_redacted(settings.database_url)}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--workers", default=1, show_default=True, type=int, help="Worker processes.")
@click.option(
    "--graceful-timeout",
    default=GRACEFUL_TIMEOUT_SECONDS,
    show_default=True,
    type=click.IntRange(min=1),
    help="On SIGTERM, how long HTTP requests in progress may take before they are cancelled.",
)
def serve(host: str, port: int, workers: int, graceful_timeout: int) -> None:
    """Serve the API and Socket.IO. On the embedded SQLite default, migrate it first.

    On SIGTERM each worker stops taking sockets, tells its sockets to reconnect elsewhere, lets
    events, requests and jobs in progress finish, then exits 0 (`realtime.stopping`)."""
    import uvicorn

    from server import logs, metrics

    settings = _settings()
    # uvicorn hands the signal back once it has stopped gracefully: end with status 0 then.
    signal.signal(signal.SIGTERM, _stopped)
    logs.configure(settings)
    metrics.prepare_multiprocess_dir()
    if settings.is_embedded_database:
        from server import migrate as migrations

        migrations.upgrade("head")
    if workers > 1 and not settings.redis_url:
        raise click.ClickException("--workers > 1 needs REDIS_URL: workers share sockets and state in Redis")
    click.echo(f"MiraiWorks on http://{host}:{port}  (API docs: http://{host}:{port}/schema)")
    uvicorn.run(
        "server.asgi:serve",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=settings.log_level.lower(),
        log_config=None,  # server.logs configures logging, in every worker too
        access_log=False,  # server.edge logs each request, with its request id
        timeout_graceful_shutdown=graceful_timeout,
        ws_per_message_deflate=settings.socket_compression,
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=",".join(settings.trusted_proxies) or None,
    )


def _stopped(signum: int, frame: object) -> None:
    raise SystemExit(0)


@main.command()
def worker() -> None:
    """Run the background jobs of every domain (needs REDIS_URL) until SIGTERM or SIGINT.

    Start as many as you like: each job runs once, on one of them. On SIGTERM a worker stops
    taking jobs and lets running ones finish (20 s), then puts the rest back on the queue.
    """
    settings = _settings()
    if not settings.redis_url:
        raise click.ClickException(
            "miraiworks worker needs REDIS_URL: without it, jobs run inside `miraiworks serve`"
        )
    asyncio.run(run_worker(settings))


async def run_worker(settings: Settings, domains: Sequence[Domain] | None = None) -> None:
    """A worker process: the app's context and domains, its jobs run until a stop signal.

    Its pushes (a reminder's `notification:new`) go out through the Socket.IO Redis manager to
    the sockets of every web process, as they would from a web process."""
    from realtime.server import create_socket_server
    from realtime.sockets import SocketIOSockets
    from server import logs
    from server.context import AppContext
    from server.domains import manifests

    logs.configure(settings)
    ctx = AppContext.create(settings)
    from signaling import recorder

    ctx.sockets = SocketIOSockets(create_socket_server(settings))
    recorder.install()  # `recordings.record` runs the recorder peer here
    manifests.install(ctx, manifests.DOMAINS if domains is None else domains)
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopping.set)
    try:
        await ctx.jobs.start(ctx)
        click.echo(f"MiraiWorks worker running jobs from {_redacted(settings.redis_url or '')}")
        await stopping.wait()
    finally:
        await ctx.close()


@main.command("seed-demo")
@click.option("--password", default="miraiworks-demo", show_default=True, help="Password of every demo user.")
def seed_demo(password: str) -> None:
    """Create the demo agency, employer and a user of every role (idempotent)."""
    from server.demo import seed

    settings = _settings()
    accounts = asyncio.run(seed(settings, password))
    click.echo(f"\nDemo accounts (password: {password}):")
    width = max(len(a.email) for a in accounts)
    for account in accounts:
        click.echo(f"  {account.email.ljust(width)}  {account.role:<14} {account.company}")


@main.command()
@click.option(
    "--refresh-token-grace-days",
    default=30,
    show_default=True,
    type=click.IntRange(min=0),
    help="Delete a session's refresh tokens only this many days after it ended.",
)
def purge(refresh_token_grace_days: int) -> None:
    """Apply the retention policies: expired notifications, expired 2FA codes, sessions ended 30 days
    ago, audit logs past 7 years, rows soft-deleted 90 days ago with their files' bytes."""
    from server.retention.report import Step
    from server.retention.run import purge as run_purge

    def show(step: Step) -> None:
        click.echo(f"  {step.name:<36} deleted {step.deleted:>7}  kept {step.kept:>7}")

    settings = _settings()
    click.echo(f"purging {_redacted(settings.database_url)}:")
    report = asyncio.run(
        run_purge(settings, refresh_token_grace=timedelta(days=refresh_token_grace_days), progress=show)
    )
    click.echo(
        f"total: deleted {report.rows_deleted} rows and {report.files_deleted} file objects,"
        f" kept {report.total_kept} rows"
    )


@main.command()
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The archive to write (default: var/backups/miraiworks-<UTC time>.tar.gz).",
)
def backup(output: Path | None) -> None:
    """Write one archive of the database (a consistent snapshot) and the file store, with checksums."""
    from server.backup.dump import backup as write_backup

    settings = _settings()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    destination = output or settings.var_dir / "backups" / f"miraiworks-{stamp}.tar.gz"
    manifest = asyncio.run(
        _with_context(settings, lambda ctx: write_backup(ctx.engine, ctx.storage, destination))
    )
    rows = sum(entry.rows for entry in manifest.tables.values())
    click.echo(f"{destination}: {len(manifest.tables)} tables, {rows} rows, {len(manifest.files)} files")
    if manifest.missing_files:
        click.echo(
            f"  {len(manifest.missing_files)} objects named by rows were already missing from the store"
        )


@main.command()
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore(archive: Path) -> None:
    """Restore an archive into an empty, migrated database and an empty file store."""
    from server.backup.archive import ArchiveError
    from server.backup.restore import RestoreRefused
    from server.backup.restore import restore as load_backup

    settings = _settings()
    try:
        manifest = asyncio.run(
            _with_context(settings, lambda ctx: load_backup(ctx.engine, ctx.storage, archive))
        )
    except (ArchiveError, RestoreRefused) as exc:
        raise click.ClickException(str(exc)) from None
    rows = sum(entry.rows for entry in manifest.tables.values())
    click.echo(f"restored {archive} ({manifest.created_at}): {rows} rows, {len(manifest.files)} files")


async def _with_context(settings: Settings, work: Callable[[AppContext], Awaitable[T]]) -> T:
    from server.context import AppContext

    ctx = AppContext.create(settings)
    try:
        return await work(ctx)
    finally:
        await ctx.close()


def _redacted(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


if __name__ == "__main__":
    main()
