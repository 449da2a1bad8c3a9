"""The offline summary of fixed transcripts, in English and Japanese, to the letter; and the
small rules around the engines (language tags, endpoints, which engine the environment picks)."""

from __future__ import annotations

import pytest

from server.domains.transcripts.chat_api import ChatSummarizer
from server.domains.transcripts.config import EngineMisconfigured, Engines
from server.domains.transcripts.extractive import ExtractiveSummarizer, terms
from server.domains.transcripts.remote import endpoint
from server.domains.transcripts.schemas import ActionItem, Segment
from server.domains.transcripts.speech import language_code
from server.domains.transcripts.sphinx import PocketsphinxEngine
from server.domains.transcripts.whisper_api import WhisperApiEngine

EN = [
    Segment(
        start=0.0,
        end=6.0,
        speaker="Alice Tanaka",
        user_id=11,
        text="Thanks for joining the interview debrief.",
    ),
    Segment(
        start=6.0,
        end=14.0,
        speaker="Bob Sato",
        user_id=12,
        text="The candidate has strong Python experience and led a payments migration.",
    ),
    Segment(
        start=14.0,
        end=20.0,
        speaker="Alice Tanaka",
        user_id=11,
        text="Her payments migration project impressed the hiring manager. The salary expectation is high.",
    ),
    Segment(
        start=20.0, end=24.0, speaker="Bob Sato", user_id=12, text="I will send the offer draft by Friday."
    ),
    Segment(
        start=24.0,
        end=30.0,
        speaker="Alice Tanaka",
        user_id=11,
        text="Please schedule the final interview with the CTO.",
    ),
    Segment(start=30.0, end=32.0, speaker="Bob Sato", user_id=12, text="Okay."),
    Segment(
        start=32.0,
        end=38.0,
        speaker="Alice Tanaka",
        user_id=11,
        text="Action item: check her references before the offer.",
    ),
]
JA = [
    Segment(
        start=0.0,
        end=5.0,
        speaker="田中",
        user_id=21,
        text="本日は二次面接の振り返りです。よろしくお願いします。",
    ),
    Segment(
        start=5.0,
        end=15.0,
        speaker="佐藤",
        user_id=22,
        text="候補者はバックエンド開発の経験が豊富で、決済システムの移行を担当していました。",
    ),
    Segment(
        start=15.0,
        end=22.0,
        speaker="田中",
        user_id=21,
        text="決済システムの移行経験は今回のポジションに合っています。",
    ),
    Segment(start=22.0, end=27.0, speaker="佐藤", user_id=22, text="内定通知書は金曜日までに作成します。"),
    Segment(start=27.0, end=31.0, speaker="田中", user_id=21, text="最終面接の日程調整をお願いします。"),
    Segment(start=31.0, end=32.0, speaker="佐藤", user_id=22, text="はい。"),
]


async def test_an_english_meeting() -> None:
    draft = await ExtractiveSummarizer().summarize(EN, "en")

    assert draft.key_points == [
        "The candidate has strong Python experience and led a payments migration.",
        "Her payments migration project impressed the hiring manager.",
        "Action item: check her references before the offer.",
    ]
    assert draft.summary == (
        "The candidate has strong Python experience and led a payments migration. "
        "Her payments migration project impressed the hiring manager. "
        "Action item: check her references before the offer.\n\n"
        "Talk time: Alice Tanaka 63%, Bob Sato 37%."
    )
    assert draft.action_items == [
        ActionItem(
            text="I will send the offer draft by Friday.", speaker="Bob Sato", assignee_id=12, due="by Friday"
        ),
        ActionItem(text="Please schedule the final interview with the CTO.", speaker="Alice Tanaka"),
        ActionItem(text="Action item: check her references before the offer.", speaker="Alice Tanaka"),
    ]


async def test_a_japanese_meeting() -> None:
    draft = await ExtractiveSummarizer().summarize(JA, "ja")

    assert draft.key_points == [
        "候補者はバックエンド開発の経験が豊富で、決済システムの移行を担当していました。",
        "決済システムの移行経験は今回のポジションに合っています。",
    ]
    assert draft.summary == (
        "候補者はバックエンド開発の経験が豊富で、決済システムの移行を担当していました。"
        "決済システムの移行経験は今回のポジションに合っています。\n\n"
        "発言時間: 佐藤 50%、田中 50%。"
    )
    # よろしくお願いします is a greeting; 作成します commits its speaker; お願いします asks someone.
    assert draft.action_items == [
        ActionItem(
            text="内定通知書は金曜日までに作成します。", speaker="佐藤", assignee_id=22, due="金曜日までに"
        ),
        ActionItem(text="最終面接の日程調整をお願いします。", speaker="田中"),
    ]


async def test_an_empty_transcript_has_an_empty_summary() -> None:
    draft = await ExtractiveSummarizer().summarize([], "ja")
    assert (draft.summary, draft.key_points, draft.action_items) == ("", [], [])


def test_japanese_terms_are_kanji_and_katakana_bigrams() -> None:
    assert terms("決済システムの移行です") == [
        "決済",
        "済シ",
        "シス",
        "ステ",
        "テム",
        "ムの",
        "の移",
        "移行",
        "行で",
    ]
    assert terms("The offer draft, by Friday!") == ["offer", "draft", "friday"]


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("eng", "en"),
        ("jpn", "ja"),
        ("ja-JP", "ja"),
        ("Japanese", "ja"),
        ("und", None),
        ("", None),
        (None, None),
    ],
)
def test_language_tags(raw: str | None, code: str | None) -> None:
    assert language_code(raw) == code


@pytest.mark.parametrize(
    ("base", "url"),
    [
        ("http://whisper:8000", "http://whisper:8000/v1/audio/transcriptions"),
        ("https://api.openai.com/v1/", "https://api.openai.com/v1/audio/transcriptions"),
        ("http://h/v1/audio/transcriptions", "http://h/v1/audio/transcriptions"),
    ],
)
def test_endpoints(base: str, url: str) -> None:
    assert endpoint(base, "/audio/transcriptions") == url


def test_the_environment_picks_the_engines() -> None:
    offline = Engines.from_env({})
    assert isinstance(offline.speech_engine(), PocketsphinxEngine)
    assert offline.summary_engine().name == "extractive"
    remote = Engines.from_env({"TRANSCRIPTION_API_URL": "http://w:8000", "SUMMARY_API_URL": "http://l:8080"})
    assert isinstance(remote.speech_engine(), WhisperApiEngine)
    assert isinstance(remote.summary_engine(), ChatSummarizer)
    forced = Engines.from_env(
        {"TRANSCRIPTION_API_URL": "http://w:8000", "TRANSCRIPTION_ENGINE": "pocketsphinx"}
    )
    assert isinstance(forced.speech_engine(), PocketsphinxEngine)
    with pytest.raises(EngineMisconfigured):
        Engines.from_env({"TRANSCRIPTION_ENGINE": "openai"})
    with pytest.raises(EngineMisconfigured):
        Engines.from_env({"SUMMARY_ENGINE": "gpt"})
