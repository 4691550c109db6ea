"""Tell the language of an ad's description, so its page can say so (`lang`) to browsers,
screen readers and search engines."""

from __future__ import annotations

from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

MIN_WORDS = 12  # fewer words than this, a list of skills say, tells no language reliably
MIN_CONFIDENCE = 0.95


@cache
def _identifier() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def language_of(text: str) -> str:
    """The ISO 639-1 code of the text's language, or "" when it cannot tell."""
    if len(text.split()) < MIN_WORDS:
        return ""
    language, confidence = _identifier().classify(text)
    return str(language) if confidence >= MIN_CONFIDENCE else ""
