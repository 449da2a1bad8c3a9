"""The remote summary: an OpenAI-compatible `/v1/chat/completions` model asked for JSON.

The transcript goes as timed, speaker-led lines (clipped to `MAX_TRANSCRIPT_CHARS` so it fits
a model's context); the model is asked for one JSON object with `summary`, `key_points` and
`action_items`, with `response_format: json_object` for servers that enforce it and a fenced
answer (```json ... ```) accepted from those that do not. An answer that is not that object is
a refusal (`RemoteRefused`): asking the same again would most likely give the same.
"""

from __future__ import annotations

import re

import httpx
import msgspec

from server.domains.transcripts import remote
from server.domains.transcripts.schemas import ActionItem, Segment
from server.domains.transcripts.summary import Draft

TIMEOUT_SECONDS = 300.0
MAX_TRANSCRIPT_CHARS = 60_000
_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)
INSTRUCTIONS = (
    "You summarise meeting transcripts for a recruiting company. Answer with one JSON object and "
    'nothing else: {"summary": "<a short paragraph>", "key_points": ["<point>", ...], '
    '"action_items": [{"text": "<what is to be done>", "speaker": "<who will do it, or null>", '
    '"due": "<the deadline as said, or null>"}, ...]}. Write in the language of the transcript '
    "({language})."
)


class _Item(msgspec.Struct):
    text: str
    speaker: str | None = None
    due: str | None = None


class _Answer(msgspec.Struct):
    summary: str
    key_points: list[str] = []
    action_items: list[_Item | str] = []


class _Message(msgspec.Struct):
    content: str | None = None


class _Choice(msgspec.Struct):
    message: _Message


class _Completion(msgspec.Struct):
    choices: list[_Choice]


def transcript_text(segments: list[Segment]) -> str:
    lines = []
    for s in segments:
        minutes, seconds = divmod(int(s.start), 60)
        lines.append(f"[{minutes:02d}:{seconds:02d}] {s.speaker or 'unknown'}: {s.text}")
    return "\n".join(lines)[:MAX_TRANSCRIPT_CHARS]


def parse_answer(content: str, speakers: dict[str, int | None]) -> Draft:
    """The model's JSON as a draft; a named speaker who is a participant becomes the assignee."""
    fenced = _FENCE.match(content)
    try:
        answer = msgspec.json.decode((fenced.group(1) if fenced else content).encode(), type=_Answer)
    except msgspec.DecodeError as exc:
        raise remote.RemoteRefused(f"the summary model answered no summary object: {exc}") from exc
    items = []
    for raw in answer.action_items:
        item = _Item(raw) if isinstance(raw, str) else raw
        if item.text.strip():
            speaker = item.speaker or None
            items.append(
                ActionItem(
                    text=item.text.strip(),
                    speaker=speaker,
                    assignee_id=speakers.get(speaker or ""),
                    due=item.due,
                )
            )
    points = [p.strip() for p in answer.key_points if p.strip()]
    return Draft(summary=answer.summary.strip(), key_points=points, action_items=items)


class ChatSummarizer:
    name = "openai"

    def __init__(self, base_url: str, api_key: str | None, model: str) -> None:
        self.url = remote.endpoint(base_url, "/chat/completions")
        self.api_key = api_key
        self.model = model

    async def summarize(self, segments: list[Segment], language: str) -> Draft:
        if not segments:
            return Draft(summary="")
        body = {
            "model": self.model,
            "temperature": 0,
            "response_format": {"type": "json_object"},
            "messages": [
                {"role": "system", "content": INSTRUCTIONS.replace("{language}", language)},
                {"role": "user", "content": transcript_text(segments)},
            ],
        }
        async with httpx.AsyncClient(timeout=TIMEOUT_SECONDS, headers=remote.headers(self.api_key)) as client:
            response = await client.post(self.url, json=body)
        remote.check(response)
        try:
            completion = msgspec.json.decode(response.content, type=_Completion)
        except msgspec.DecodeError as exc:
            raise remote.RemoteRefused(f"{self.url} answered no chat completion: {exc}") from exc
        content = completion.choices[0].message.content if completion.choices else None
        speakers = {s.speaker: s.user_id for s in segments if s.speaker}
        return parse_answer(content or "", speakers)
