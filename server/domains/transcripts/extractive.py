"""The offline summary: the transcript's own key sentences, action items found by cue phrases.

No model, no network: it works on a fresh machine, for English and Japanese alike.

- Sentences are the segments cut at sentence ends (。！？.!?); pocketsphinx writes no
  punctuation, so each of its segments is one sentence.
- Terms: English words less stop words; for Japanese, which has no spaces, character bigrams
  of its runs of kana and kanji, less bigrams of hiragana alone (mostly grammar: ます, です).
- A sentence scores the TF-IDF weights of its distinct terms over the square root of their
  number, so a long sentence is not chosen for its length alone. The best sentences (one in
  three, at most five, at least three terms each) are the key points, in the order they were
  said; the first three of them, with each speaker's share of talk time, are the summary.
- Action items: sentences with a commitment ("I will", 「やります」「確認します」: the speaker is
  the assignee) or a request ("please", "action item", 「お願いします」「ください」, a deadline:
  "by Friday", 「までに」), the deadline kept as it was said. A bare 「よろしくお願いします」
  is a greeting, not a request.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from server.domains.transcripts.schemas import ActionItem, Segment
from server.domains.transcripts.summary import Draft, shares_line, talk_time

MAX_KEY_POINTS = 5
SUMMARY_SENTENCES = 3
MIN_TERMS = 3
_STOP_TEXT = (
    "a an and are as at be been but by can could did do does for from had has have he her his i if in "
    "into is it its it's me my no not of on or our she so than that the their them then there these "
    "they this to too up us was we were what when which who will with would you your yes ok okay oh "
    "um uh ah well just like also very really all any some"
)
STOP_WORDS = frozenset(_STOP_TEXT.split())
_SENTENCE_END = re.compile(r"(?<=[。！？!?])|(?<=\.)(?=\s)")
_LATIN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f々]+")
_HIRAGANA = re.compile(r"^[\u3040-\u309fー]+$")
_DAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_EN_DUE = re.compile(
    rf"\b(?:by|before|until|no later than)\s+(?:the\s+)?(?:end of (?:the\s+)?(?:day|week|month)|"
    rf"(?:next\s+|this\s+)?(?:{_DAY}|week|month)|tomorrow|tonight|today|\d{{1,2}}(?::\d{{2}})?\s*(?:am|pm)?)\b",
    re.IGNORECASE,
)
_EN_COMMIT = re.compile(r"\b(?:i|we)\s+(?:will|shall)\b|\b(?:i|we)'ll\b|\b(?:i'm|we're) going to\b", re.I)
_EN_REQUEST = re.compile(
    r"\bplease\b|\baction items?\b|\bto-?do\b|\bfollow[- ]up\b|\bwill\b|\bneeds? to\b", re.I
)
_JA_GREETING = re.compile(r"(?:どうぞ)?よろしくお願い(?:いた)?します[。！!]?")
_JA_COMMIT = re.compile(r"(?:(?<!お願い)(?<!願いいた)します|しておきます|やります)(?![かね])")
_JA_REQUEST = re.compile(r"お願い(?:いた)?します|ください|下さい|までに|宿題")
_JA_DUE = re.compile(r"([^\s、。，,はがをで]{1,12})までに")


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    speaker: str | None
    user_id: int | None


def sentences(segments: list[Segment]) -> list[Sentence]:
    found = []
    for segment in segments:
        for part in _SENTENCE_END.split(segment.text):
            if part.strip():
                found.append(Sentence(part.strip(), segment.speaker, segment.user_id))
    return found


def terms(text: str) -> list[str]:
    """English words (no stop words) and Japanese bigrams (none of hiragana alone), as scored."""
    found = [w for w in _LATIN.findall(text.lower()) if w not in STOP_WORDS and len(w) > 1]
    for run in _CJK.findall(text):
        grams = [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]
        found += [g for g in grams if not _HIRAGANA.match(g)]
    return found


def key_sentences(said: list[Sentence]) -> list[Sentence]:
    """The best-scoring sentences, in the order they were said."""
    bags = [set(terms(s.text)) for s in said]
    frequency = Counter(t for s in said for t in terms(s.text))
    documents = Counter(t for bag in bags for t in bag)
    count = len(said)

    def weight(term: str) -> float:
        return frequency[term] * (math.log((count + 1) / (documents[term] + 1)) + 1)

    candidates = [i for i, bag in enumerate(bags) if len(bag) >= MIN_TERMS]
    scores = {i: sum(weight(t) for t in bags[i]) / math.sqrt(len(bags[i])) for i in candidates}
    wanted = min(MAX_KEY_POINTS, math.ceil(len(candidates) / 3))
    best = sorted(candidates, key=lambda i: (-scores[i], i))[:wanted]
    return [said[i] for i in sorted(best)]


def action_item(sentence: Sentence) -> ActionItem | None:
    text = _JA_GREETING.sub("", sentence.text).strip()
    if not text:
        return None
    committed = bool(_EN_COMMIT.search(text) or _JA_COMMIT.search(text))
    if not committed and not (_EN_REQUEST.search(text) or _JA_REQUEST.search(text) or _EN_DUE.search(text)):
        return None
    due = _EN_DUE.search(text)
    due_ja = _JA_DUE.search(text)
    return ActionItem(
        text=sentence.text,
        speaker=sentence.speaker,
        assignee_id=sentence.user_id if committed else None,
        due=due.group(0) if due else (due_ja.group(0) if due_ja else None),
    )


def _joined(said: list[Sentence], language: str) -> str:
    if language == "ja":
        return "".join(s.text if s.text[-1] in "。！？!?." else s.text + "。" for s in said)
    return " ".join(s.text if s.text[-1] in ".!?。" else s.text + "." for s in said)


class ExtractiveSummarizer:
    name = "extractive"

    async def summarize(self, segments: list[Segment], language: str) -> Draft:
        said = sentences(segments)
        if not said:
            return Draft(summary="")
        key = key_sentences(said)
        lines = [_joined(key[:SUMMARY_SENTENCES], language)] if key else []
        lines.append(shares_line(talk_time(segments), language))
        items = [item for item in map(action_item, said) if item is not None]
        return Draft(summary="\n\n".join(lines), key_points=[s.text for s in key], action_items=items)
