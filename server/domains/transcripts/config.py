"""Which speech and summary engines run, from the environment (read when a job runs).

- `TRANSCRIPTION_ENGINE` (`auto`): `auto` is the remote engine when `TRANSCRIPTION_API_URL` is
  set, else pocketsphinx; `pocketsphinx` or `openai` forces one.
- `TRANSCRIPTION_API_URL`, `TRANSCRIPTION_API_KEY`, `TRANSCRIPTION_MODEL` (`whisper-1`): an
  OpenAI-compatible `/v1/audio/transcriptions` server, its bearer token (if any), its model.
- `TRANSCRIPTION_LANGUAGE`: the language of tracks whose metadata names none (`ja`, `en`);
  unset, the remote engine detects it and pocketsphinx assumes English.
- `SUMMARY_ENGINE` (`auto`): chat completions when `SUMMARY_API_URL` is set, else extractive;
  `extractive` or `openai` forces one.
- `SUMMARY_API_URL`, `SUMMARY_API_KEY`, `SUMMARY_MODEL` (`gpt-4o-mini`): an OpenAI-compatible
  `/v1/chat/completions` server.

Read per run rather than once in `Settings`, so that a worker picks up a changed engine on its
next job, and because nothing else in the app depends on them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from server.domains.transcripts.speech import SpeechEngine, language_code
from server.domains.transcripts.summary import SummaryEngine


class EngineMisconfigured(ValueError):
    """The environment asks for an engine it does not configure."""


@dataclass(frozen=True, slots=True)
class Remote:
    url: str
    api_key: str | None
    model: str


@dataclass(frozen=True, slots=True)
class Engines:
    speech: str
    speech_remote: Remote | None
    default_language: str | None
    summary: str
    summary_remote: Remote | None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Engines:
        env = os.environ if env is None else env
        speech_remote = _remote(env, "TRANSCRIPTION", "whisper-1")
        summary_remote = _remote(env, "SUMMARY", "gpt-4o-mini")
        speech = _choice(
            env, "TRANSCRIPTION_ENGINE", {"pocketsphinx", "openai"}, speech_remote, "pocketsphinx"
        )
        summary = _choice(env, "SUMMARY_ENGINE", {"extractive", "openai"}, summary_remote, "extractive")
        return cls(
            speech=speech,
            speech_remote=speech_remote,
            default_language=language_code(env.get("TRANSCRIPTION_LANGUAGE")),
            summary=summary,
            summary_remote=summary_remote,
        )

    def speech_engine(self) -> SpeechEngine:
        if self.speech == "openai" and self.speech_remote is not None:
            from server.domains.transcripts.whisper_api import WhisperApiEngine

            remote = self.speech_remote
            return WhisperApiEngine(
                remote.url, remote.api_key, remote.model, default_language=self.default_language
            )
        from server.domains.transcripts.sphinx import PocketsphinxEngine

        return PocketsphinxEngine()

    def summary_engine(self) -> SummaryEngine:
        if self.summary == "openai" and self.summary_remote is not None:
            from server.domains.transcripts.chat_api import ChatSummarizer

            remote = self.summary_remote
            return ChatSummarizer(remote.url, remote.api_key, remote.model)
        from server.domains.transcripts.extractive import ExtractiveSummarizer

        return ExtractiveSummarizer()


def _remote(env: Mapping[str, str], prefix: str, model: str) -> Remote | None:
    url = (env.get(f"{prefix}_API_URL") or "").strip()
    if not url:
        return None
    if not url.startswith(("http://", "https://")):
        raise EngineMisconfigured(f"{prefix}_API_URL must be an http(s) URL, got {url!r}")
    return Remote(url, env.get(f"{prefix}_API_KEY") or None, env.get(f"{prefix}_MODEL") or model)


def _choice(env: Mapping[str, str], name: str, known: set[str], remote: Remote | None, offline: str) -> str:
    chosen = (env.get(name) or "auto").strip().lower()
    if chosen == "auto":
        return "openai" if remote is not None else offline
    if chosen not in known:
        raise EngineMisconfigured(f"{name} is one of auto, {', '.join(sorted(known))}; got {chosen!r}")
    if chosen == "openai" and remote is None:
        raise EngineMisconfigured(f"{name}=openai needs {name.split('_')[0]}_API_URL")
    return chosen
