"""`python -m tests.server.jobs.worker_main`: what `miraiworks worker` runs, with the tests' jobs too."""

from __future__ import annotations

import asyncio

from server.cli import run_worker
from server.domains.manifests import DOMAINS
from server.settings import Settings
from tests.server.jobs.manifest import DOMAIN

if __name__ == "__main__":
    asyncio.run(run_worker(Settings.from_env(), (*DOMAINS, DOMAIN)))
