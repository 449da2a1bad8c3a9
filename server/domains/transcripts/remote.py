"""OpenAI-compatible HTTP endpoints, shared by the remote speech and summary engines.

One base URL names a server (`http://whisper:8000`, `https://api.openai.com/v1`, or the full
endpoint): whichever is given, the endpoint is found the same way, so faster-whisper-server,
whisper.cpp's server, vLLM, Ollama and hosted services are configured alike.
"""

from __future__ import annotations

import httpx


class RemoteRefused(ValueError):
    """The server answered that the request itself is wrong (4xx but 408 and 429): retrying the
    same request will not help. Other failures (network, 5xx, timeouts) are raised as they are
    so that the job is retried."""


def endpoint(base_url: str, path: str) -> str:
    """`path` (`/audio/transcriptions`) under `base_url`, adding `/v1` when the URL has none."""
    url = base_url.rstrip("/")
    if url.endswith(path):
        return url
    if url.endswith("/v1"):
        return url + path
    return url + "/v1" + path


def headers(api_key: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_key}"} if api_key else {}


def check(response: httpx.Response) -> None:
    if response.status_code < 400:
        return
    if response.status_code in (408, 429) or response.status_code >= 500:
        response.raise_for_status()
    raise RemoteRefused(f"{response.request.url} answered {response.status_code}: {response.text[:300]}")
