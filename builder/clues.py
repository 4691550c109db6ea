"""Facts an ad states in its prose, not its layout: read only for fields nothing else gave.

Each reader takes the description as plain text (and, for links, the hrefs of its HTML) and
returns the value it found with where it found it, or None. None is the honest answer: a
reader never guesses, so a field it cannot find is left out and reported.
"""

from __future__ import annotations

import itertools
import re
from urllib.parse import urlsplit

from builder import fields
from builder.model import Region

Clue = tuple[str, str]  # (value, where in the ad it was found)

# Hiring systems whose links are where one applies, and where their URLs name the company.
ATS_HOSTS = (
    r"greenhouse\.io|grnh\.se|lever\.co|ashbyhq\.com|workable\.com|smartrecruiters\.com"
    r"|recruitee\.com|bamboohr\.com|teamtailor\.com|breezy\.hr|jobvite\.com|rippling\.com"
)
ATS_URL = re.compile(rf"https?://(?:[\w-]+\.)*(?:{ATS_HOSTS})(?:/[^\s<>\"')\]]*)?", re.I)
# (host pattern, where the slug is): in the first path segment, or the first host label.
ATS_SLUGS = (
    (re.compile(r"(?:job-)?boards(?:\.eu)?\.greenhouse\.io$"), "path"),
    (re.compile(r"jobs(?:\.eu)?\.lever\.co$"), "path"),
    (re.compile(r"jobs\.ashbyhq\.com$"), "path"),
    (re.compile(r"apply\.workable\.com$"), "path"),
    (re.compile(r"(?:jobs|careers)\.smartrecruiters\.com$"), "path"),
    (re.compile(r"[\w-]+\.(?:recruitee\.com|bamboohr\.com|teamtailor\.com|breezy\.hr)$"), "host"),
    (re.compile(r"[\w-]+\.workable\.com$"), "host"),
)
NOT_SLUGS = {"www", "jobs", "careers", "apply", "boards", "embed", "job", "app", "api"}
URL = re.compile(r"https?://[^\s<>\"'()\[\]]+")
EMAIL = re.compile(r"(?<![\w.+-])([\w.+-]+)@((?:[\w-]+\.)+[a-z]{2,})\b", re.I)
FREE_MAIL = {"gmail", "googlemail", "yahoo", "hotmail", "outlook", "live", "icloud", "proton",
             "protonmail", "aol", "gmx", "mail", "yandex", "fastmail", "zoho"}  # fmt: skip
APPLY_CUE = re.compile(r"\bapply\b|\bapplication|\bsend\b|\bemail\b|\be-mail\b|\bcv\b|\brésumé"
                       r"|\bresume\b|\breach out\b|\bget in touch\b|\bcontact\b", re.I)  # fmt: skip
APPLY_WORD = re.compile(r"\bapply\b|\bapplications?\b|\bpostuler\b|\bbewerb", re.I)


def apply_url_in(text: str, links: list[str]) -> Clue | None:
    """Where to apply: a link the ad says to apply at, a hiring system's link, or an address
    it says to write to."""
    lines = text.splitlines()
    for number, line in enumerate(lines):
        if not APPLY_WORD.search(line):
            continue
        if url := URL.search(line):
            return _trimmed(url.group(0)), "a URL on a line that says apply"
        following = next((later for later in lines[number + 1 : number + 3] if later.strip()), "")
        if (url := URL.match(following.strip())) and line.rstrip().endswith((":", "-", "↓")):
            return _trimmed(url.group(0)), "the URL below a line that says apply"
    for link in links:
        if ATS_URL.match(link):
            return link, "a link to a hiring system"
    if found := ATS_URL.search(text):
        return _trimmed(found.group(0)), "a hiring system's URL in the text"
    for link in links:
        if link.lower().startswith("mailto:"):
            return "mailto:" + link[7:].split("?")[0], "an email link"
    for sentence in _sentences(text):
        if (email := EMAIL.search(sentence)) and APPLY_CUE.search(sentence):
            return f"mailto:{email.group(0)}", "an address the ad says to write to"
    return None


def _trimmed(url: str) -> str:
    return url.rstrip(".,;:!?")


def _sentences(text: str) -> list[str]:
    return [part for line in text.splitlines() for part in re.split(r"(?<=[.!?])\s+", line)]


# --- company ------------------------------------------------------------------------------

UPPER = "A-ZÀ-ÖØ-Þ"
# A possessive's "'s" is left out: "Join Halvard Insurance's team" names Halvard Insurance.
NAME = rf"[{UPPER}][\w&+-]*(?:\.[a-z]{{2,3}})?(?:[ \t]+(?:[{UPPER}][\w&+-]*|&|of|de|la)){{0,3}}"
COMPANY_LABEL = re.compile(
    r"^\s*(?:company|employer|organi[sz]ation|hiring company|company name)\s*:\s*(.{2,60})$",
    re.I | re.M,
)
COMPANY_SAYINGS = (
    (re.compile(rf"^\s*(?:#+\s*)?About\s+({NAME})\s*:?\s*$", re.M), "an “About …” heading"),
    (re.compile(rf"\bAt\s+({NAME}),?\s+(?:we|we're|we’re|our)\b"), "“At … we”"),
    (re.compile(rf"(?:^|[.!?]\s+)({NAME})\s+is\s+hiring\b", re.M), "“… is hiring”"),
    (re.compile(rf"\bJoin\s+({NAME})\b(?!\s+(?:as|in|on)\b[^.]*\bteam)"), "“Join …”"),
    (re.compile(rf"(?:^|[.!?]\s+)({NAME})\s+(?:is|are)\s+(?:a|an|the)\s+", re.M), "“… is a …”"),
    (re.compile(rf"(?:^|[.!?]\s+)({NAME})\s+(?:builds|makes|helps|provides|develops)\b", re.M),
     "“… builds …”"),
)  # fmt: skip
NOT_NAMES = {"we", "our", "the", "this", "you", "your", "they", "it", "us", "remote", "a", "an",
             "job", "role", "position", "team", "company", "me", "them", "here", "there", "what",
             "who", "why", "how", "sre", "devops", "engineering", "benefits", "salary", "location",
             "responsibilities", "requirements", "compensation", "apply", "today", "now",
             "that", "which", "he", "she", "i", "if", "when", "where", "everyone", "all",
             "about", "join", "at", "hiring", "senior", "staff", "lead"}  # fmt: skip


def company_in(text: str, urls: list[str]) -> Clue | None:
    """The hiring company as the ad names it: a `Company:` line, a sentence such as “At Acme
    we…”, else the account a hiring system's URL or an email address is under."""
    if label := COMPANY_LABEL.search(text):
        return label.group(1).strip(), "a `Company:` line"
    for pattern, where in COMPANY_SAYINGS:
        for match in pattern.finditer(text):
            name = _name(match.group(1))
            if name:
                return name, f"the description's {where}"
    for url in urls:
        if slug := ats_slug(url):
            return name_from_slug(slug, text), "the hiring system's URL"
    for match in EMAIL.finditer(text):
        account = match.group(2).split(".")[-2]
        if account.lower() not in FREE_MAIL:
            return name_from_slug(account, text), "the domain of the ad's email address"
    return None


def _name(candidate: str) -> str:
    words = candidate.split()
    while words and words[-1].lower() in NOT_NAMES | {"&", "of", "de", "la"}:
        words.pop()
    if not words or words[0].lower() in NOT_NAMES:
        return ""
    return " ".join(words)


def ats_slug(url: str) -> str | None:
    """The account name in a hiring system's URL: `acme` in jobs.lever.co/acme/…"""
    parts = urlsplit(url.replace("&#x2F;", "/"))
    host = (parts.hostname or "").lower()
    for pattern, place in ATS_SLUGS:
        if pattern.fullmatch(host):
            slug = host.split(".")[0] if place == "host" else parts.path.strip("/").split("/")[0]
            return slug if slug and slug.lower() not in NOT_SLUGS else None
    return None


def _spans(count: int) -> list[tuple[int, int]]:
    """The (start, end) word spans of a run of `count` words, the longest first at each start."""
    return [(start, end) for start in range(count) for end in range(count, start, -1)]


def name_from_slug(slug: str, text: str) -> str:
    """Spell a URL's account name as the ad spells the company ("fernwoodlabs" is "Fernwood
    Labs" in an ad that writes it so), else as its words capitalised."""
    key = re.sub(r"[\W_]+", "", slug).lower()
    spelt = []
    for match in re.finditer(rf"\b{NAME}", text):
        words = match.group(0).split()
        for start, end in _spans(len(words)):
            phrase = " ".join(words[start:end])
            if re.sub(r"[\W_]+", "", phrase).lower() == key:
                spelt.append((phrase, _name(" ".join(words[start:]))))
                break
    if not spelt:
        return " ".join(word.capitalize() for word in re.split(r"[-_]+", slug) if word)
    # "brumaire" is "Brumaire Logiciels" where the ad always writes that whole name.
    runs = [run for _, run in spelt if run]
    whole = max(set(runs), key=lambda run: (runs.count(run), len(run)), default="")
    return whole if runs.count(whole) >= 2 and len(whole) > len(spelt[0][0]) else spelt[0][0]


# --- dates, employment type ----------------------------------------------------------------

DATE_LINE = re.compile(
    r"^\s*(?:date\s+)?(?:posted|created|published|post[- ]?date|date posted|listed|opened"
    r"|publiée?|veröffentlicht|publicad[oa]|fecha de publicación)"
    r"(?:\s+(?:on|le|am|el))?\s*[:\-–]?\s*(?P<value>[^\n]{6,80}?)\s*$",
    re.I | re.M,
)
EXPIRY_LINE = re.compile(
    r"^\s*(?:last date to apply|closing date|apply by|applications? (?:close|closes|deadline)"
    r"|deadline|valid (?:through|until)|expires?|date limite|bewerbungsfrist)"
    r"(?:\s+(?:on|is))?\s*[:\-–]?\s*(?P<value>[^\n]{6,40}?)\s*$",
    re.I | re.M,
)


def expiry_in(text: str) -> tuple[str, str] | None:
    """A `Closing date: 31-Mar-2022` or `Last date to apply: …` line."""
    for match in EXPIRY_LINE.finditer(text):
        value = re.split(r"\s[·|•;]\s|\s{2,}", match.group("value"))[0]
        if fields.parse_date(value):
            return value, "a `Closing date:` line"
    return None


def date_in(text: str) -> tuple[object, str] | None:
    """A `Posted: 12-Feb-2014` or `created : 2015-06-01` line."""
    for match in DATE_LINE.finditer(text):
        value = re.split(r"\s[·|•;]\s|\s{2,}", match.group("value"))[0]
        moment = fields.parse_date(value)
        if moment:
            return moment, "a `Posted:` line"
    return None


TYPE_LABEL = re.compile(
    r"^\s*(?P<label>(?:job\s+)?(?:type|duration)|employment(?:\s+type)?|contract(?:\s+type)?"
    r"|commitment|engagement|position type|work type)\s*:\s*(?P<value>[^\n]{2,40})$",
    re.I | re.M,
)
HOURS = re.compile(
    r"\b(?P<hours>\d{1,2})(?:\s*-\s*\d{1,2})?\s*(?:hours?|hrs?|h)\s*(?:a|per|/|each)?\s*"
    r"(?:working\s+)?week\b",
    re.I,
)
TYPE_WORDS = (
    (re.compile(r"\b(?:full|part)[\s-]?time\b|\bvollzeit\b|\bteilzeit\b|\bCDI\b"
                r"|\btiempo completo\b|\bpermanent (?:role|position|contract)\b", re.I), None),
    (re.compile(r"\bfreelance\b|\bcontract(?:or)?\s+(?:role|position|basis|engagement)\b", re.I),
     "CONTRACTOR"),
    (re.compile(r"\binternship\b", re.I), "INTERN"),
)  # fmt: skip


def employment_type_in(title: str, text: str) -> Clue | None:
    """A `Job type:` line, the title's “part-time”, the hours of the week, or an explicit
    “full-time”, “freelance” or “contract role” in the text."""
    for match in TYPE_LABEL.finditer(text):
        kind = fields.parse_employment_type(match.group("value"))
        if kind not in (None, "OTHER"):
            return kind, f"a `{match.group('label').strip()}:` line"
        if re.match(r"contract|duration", match.group("label"), re.I):
            return "CONTRACTOR", f"a `{match.group('label').strip()}:` line with a term"
    for where, words in (("the title", title), ("the description", text)):
        for pattern, kind in TYPE_WORDS:
            if found := pattern.search(words):
                return kind or str(fields.parse_employment_type(found.group(0))), where
        if hours := HOURS.search(words):
            kind = "PART_TIME" if int(hours.group("hours")) < 35 else "FULL_TIME"
            return kind, f"the hours of the week in {where}"
    return None


# --- regions -------------------------------------------------------------------------------

WHERE_CUE = re.compile(
    r"\b(?:remote(?:ly)?|located|locations?|based|resid\w+|live|living|hire|hiring|eligible"
    r"|authori[sz]ed|work from|working from|time ?zones?|anywhere|candidates|applicants"
    r"|open to|within|across|télétravail|depuis|remoto|desde|aus)\b",
    re.I,
)
NOT_WHERE = re.compile(
    r"\b(?:headquarter\w*|HQ|offices?|founded|customers|clients|users|investors|backed"
    r"|data ?cent(?:er|re)s?|regions? of AWS|conference)\b",
    re.I,
)


LONGEST_SENTENCE = 400  # characters


def regions_in_prose(text: str) -> tuple[tuple[Region, ...], str] | None:
    """The places the ad's sentences say applicants may live or work in."""
    found: dict[str, Region] = {}
    for sentence in _sentences(text):
        if len(sentence) > LONGEST_SENTENCE:  # a run-on paragraph: around each cue alone
            cues = itertools.islice(WHERE_CUE.finditer(sentence), 20)
            parts = [sentence[max(0, c.start() - 150) : c.end() + 150] for c in cues]
        else:
            parts = [sentence]
        for part in parts:
            if WHERE_CUE.search(part) and not NOT_WHERE.search(part):
                found.update((r.slug, r) for r in fields.regions_in(part))
    return (tuple(found.values()), "the description's sentences on where applicants may live")\
        if found else None  # fmt: skip
