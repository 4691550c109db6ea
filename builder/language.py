"""Tell the language of an ad's description, so its page can say so (`lang`) to browsers,
screen readers and search engines."""

from __future__ import annotations

from functools import cache
from typing import Any

MIN_WORDS = 12  # fewer words than this, a list of skills say, tells no language reliably
MIN_CONFIDENCE = 0.95
SAMPLE = 1500  # characters classified: enough to tell, and the cost grows with the length
# The model takes half a second to load and a millisecond an ad, and most ads are in English:
# English prose is a fifth or more these words, and prose in another language has some of
# the others. Only text with the others and few of these is given to the model.
ENGLISH_WORDS = frozenset(
    [
        "the",
        "and",
        "to",
        "of",
        "in",
        "you",
        "we",
        "our",
        "for",
        "with",
        "is",
        "are",
        "on",
        "will",
        "be",
        "as",
        "your",
        "that",
        "this",
        "or",
        "an",
        "at",
        "by",
        "from",
        "have",
        "it",
        "can",
        "who",
        "us",
    ]
)
OTHER_WORDS = frozenset(  # French, German, Spanish, Portuguese, Italian, Dutch, Polish, Nordic
    [
        "le",
        "la",
        "les",
        "des",
        "et",
        "une",
        "du",
        "pour",
        "avec",
        "nous",
        "vous",
        "est",
        "der",
        "die",
        "das",
        "und",
        "ist",
        "mit",
        "für",
        "wir",
        "sie",
        "ein",
        "eine",
        "el",
        "los",
        "las",
        "que",
        "del",
        "por",
        "para",
        "con",
        "una",
        "um",
        "uma",
        "não",
        "il",
        "della",
        "che",
        "het",
        "een",
        "van",
        "voor",
        "niet",
        "jest",
        "się",
        "nie",
        "oraz",
        "och",
        "att",
        "är",
        "som",
        "og",
        "er",
        "ikke",
    ]
)


@cache
def _identifier() -> Any:  # py3langid has no type hints
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def language_of(text: str) -> str:
    """The ISO 639-1 code of the text's language, or "" when it cannot tell."""
    words = text[:SAMPLE].lower().split()
    if len(words) < MIN_WORDS:
        return ""
    if sum(word in ENGLISH_WORDS for word in words) >= len(words) / 5:
        return "en"
    if sum(word in OTHER_WORDS for word in words) < len(words) / 50:
        return ""  # neither: a list of skills, say; the model would only guess
    language, confidence = _identifier().classify(text[:SAMPLE])
    return str(language) if confidence >= MIN_CONFIDENCE else ""
