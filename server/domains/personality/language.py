"""The taker's language: `?lang=ja|en` first, then the Accept-Language header, else Japanese."""

from __future__ import annotations

from server.domains.personality.poles import DEFAULT_LANG, LANGS, Lang


def _quality(parameters: list[str]) -> float:
    for parameter in parameters:
        name, _, value = parameter.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                return max(0.0, min(1.0, float(value)))
            except ValueError:
                return 0.0
    return 1.0


def from_header(accept_language: str | None) -> Lang | None:
    """The best of ja and en the header accepts (`en-GB,en;q=0.9,ja;q=0.8` -> en), if any."""
    best: tuple[float, Lang] | None = None
    for entry in (accept_language or "").split(",")[:20]:
        tag, *parameters = entry.split(";")
        primary = tag.strip().split("-", 1)[0].lower()
        quality = _quality(parameters)
        for lang in LANGS:
            if primary == lang and quality > 0 and (best is None or quality > best[0]):
                best = (quality, lang)
    return best[1] if best else None


def choose(lang: Lang | None, accept_language: str | None) -> Lang:
    return lang or from_header(accept_language) or DEFAULT_LANG
