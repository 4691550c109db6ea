"""Unit tests for builder.normalize: repair, unescape, sanitize, render and flatten text."""

import ftfy
import nh3
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.normalize import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    BREAKS_AT_EDGES,
    SPOOFING,
    UNWRITABLE,
    _parsed_text,
    _sanitized_text,
    _strip_edge_breaks,
    body_to_html,
    html_to_text,
    markdown_to_html,
    repair_text,
    sanitize_html,
    summarize_text,
    text_to_html,
    unescape_if_escaped,
)

RSQUO = "\u2019"  # ’
LDQUO, RDQUO = "\u201c", "\u201d"  # “ ”
ELLIPSIS = "\u2026"  # …
REL = 'rel="nofollow noopener noreferrer ugc"'

# --- repair_text -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("we\u00e2\u20ac\u2122re hiring", f"we{RSQUO}re hiring"),  # 'weâ€™re'
        ("\u00f0\u0178\u2019\u00b0 Salary", "\U0001f4b0 Salary"),  # 'ðŸ’°' -> money bag
        ("caf\u00c3\u00a9", "caf\u00e9"),  # 'cafÃ©' -> 'café'
    ],
)
def test_repair_text_fixes_utf8_read_as_cp1252(broken, fixed):
    assert repair_text(broken) == fixed


def test_repair_text_keeps_curly_quotes_and_dashes():
    text = f"{LDQUO}Quoted{RDQUO} and we{RSQUO}re \u2014 fine"
    assert repair_text(text) == text


def test_repair_text_normalizes_windows_line_breaks():
    assert repair_text("one\r\ntwo") == "one\ntwo"


@given(st.text(alphabet=st.characters(max_codepoint=127, exclude_characters="\x1b")))
def test_repair_text_treats_ascii_as_ftfy_would_without_importing_it(text):
    from ftfy.fixes import fix_line_breaks, remove_control_chars

    assert repair_text(text) == remove_control_chars(fix_line_breaks(text)).replace("\x0c", "")


def test_repair_text_leaves_html_entities_for_later():
    assert repair_text("Tom &amp; Jerry") == "Tom &amp; Jerry"


# --- unescape_if_escaped -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("Hello&lt;br&gt;world", "Hello<br>world"),
        ("&lt;p&gt;R&amp;amp;D&lt;/p&gt;", "<p>R&amp;D</p>"),
        ("&lt;div&gt;x&lt;/div&gt;", "<div>x</div>"),
    ],
)
def test_unescape_if_escaped_undoes_escaped_markup(fragment, expected):
    assert unescape_if_escaped(fragment) == expected


@pytest.mark.parametrize(
    "fragment",
    [
        "<p>Tom &amp; Jerry</p>",  # real HTML
        "<p>Write &lt;br&gt; for a line break</p>",  # real HTML talking about a tag
        "Tom &amp; Jerry",  # plain text with an entity
        "a &lt; b and c &gt; d",  # escaped comparison, not markup
    ],
)
def test_unescape_if_escaped_leaves_other_text_alone(fragment):
    assert unescape_if_escaped(fragment) == fragment


# --- sanitize_html -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fragment", "forbidden"),
    [
        ("<p>Hi</p><script>alert(1)</script>", ["<script", "alert"]),
        ("<style>p { color: red }</style><p>Hi</p>", ["<style", "color"]),
        ('<iframe src="https://evil.example"></iframe><p>Hi</p>', ["<iframe", "evil"]),
        ('<p onclick="steal()">Hi</p>', ["onclick", "steal"]),
        ('<img src="x" onerror="steal()"><p>Hi</p>', ["<img", "onerror"]),
        ('<p style="position: fixed">Hi</p>', ["style", "fixed"]),
        ('<form action="/x"><input name="q"></form><p>Hi</p>', ["<form", "<input"]),
    ],
)
def test_sanitize_html_removes_unsafe_markup(fragment, forbidden):
    clean = sanitize_html(fragment)
    assert "Hi" in clean
    for needle in forbidden:
        assert needle not in clean


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "jav&#x09;ascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox(1)",
    ],
)
def test_sanitize_html_drops_unsafe_link_targets(href):
    clean = sanitize_html(f'<a href="{href}">apply</a>')
    assert "href" not in clean
    assert "apply" in clean


def test_sanitize_html_keeps_safe_structure():
    fragment = (
        "<p>We <strong>run</strong> <em>things</em>.</p><ul><li>one</li><li>two</li></ul>"
        '<p><a href="https://example.com/apply">Apply</a></p>'
    )
    clean = sanitize_html(fragment)
    assert "<p>We <strong>run</strong> <em>things</em>.</p>" in clean
    assert "<ul><li>one</li><li>two</li></ul>" in clean
    assert '<a href="https://example.com/apply"' in clean


@pytest.mark.parametrize(
    "link",
    [
        '<a href="https://example.com/apply">Apply</a>',
        '<a href="mailto:jobs@example.com">Mail us</a>',
        '<a href="https://example.com" rel="author" target="_blank">x</a>',
    ],
)
def test_sanitize_html_marks_links_nofollow(link):
    clean = sanitize_html(link)
    assert REL in clean
    assert "author" not in clean
    assert "target" not in clean


@pytest.mark.parametrize("heading", ["<h1>Title</h1>", '<H1 class="big">Title</H1>'])
def test_sanitize_html_demotes_h1_to_h2(heading):
    assert sanitize_html(heading + "<p>x</p>") == "<h2>Title</h2><p>x</p>"


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("<h3>Sub</h3>", "<h2>Sub</h2>"),
        ("<h4>A</h4><p>x</p><h6>B</h6>", "<h2>A</h2><p>x</p><h3>B</h3>"),
        ("<h2>A</h2><h3>B</h3><h2>C</h2><h5>D</h5>", "<h2>A</h2><h3>B</h3><h2>C</h2><h3>D</h3>"),
    ],
)
def test_sanitize_html_renumbers_headings_so_none_skips_a_level(fragment, expected):
    assert sanitize_html(fragment) == expected


def test_paragraph_breaks_inside_an_element_do_not_cut_it_in_two():
    fragment = "<strong><u>About<br><br></u></strong>We are<br><br>next"
    assert sanitize_html(fragment) == (
        "<p><strong><u>About<br><br></u></strong>We are</p>\n<p>next</p>"
    )


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("<p>a</p><br><br/><ul><li>x</li></ul>", "<p>a</p><ul><li>x</li></ul>"),
        ("<p>a</p> <br /> <br> <p>b</p>", "<p>a</p><p>b</p>"),
        ("<h2>T</h2><br><p>x</p>", "<h2>T</h2><p>x</p>"),
        ("<ul><br><li>x</li></ul>", "<ul><li>x</li></ul>"),
        ("<br><br><p>a</p><br>", "<p>a</p>"),
    ],
)
def test_sanitize_html_collapses_breaks_between_blocks(fragment, expected):
    assert sanitize_html(fragment) == expected


def test_sanitize_html_keeps_breaks_inside_a_paragraph():
    assert sanitize_html("<p>one<br>two</p>") == "<p>one<br>two</p>"


def test_sanitize_html_unwraps_disallowed_tags_but_keeps_their_text():
    assert sanitize_html("<div><span>text</span></div>") == "text"


# --- markdown_to_html --------------------------------------------------------------------


def test_markdown_to_html_renders_headings_lists_and_links():
    rendered = markdown_to_html(
        "# About\n\nWe run **Kubernetes**.\n\n- one\n- two\n\n[Apply](https://example.com/apply)"
    )
    assert "<h2>About</h2>" in rendered  # h1 is demoted: the page title is the only h1
    assert "<h1" not in rendered
    assert "<p>We run <strong>Kubernetes</strong>.</p>" in rendered
    assert "<ul>" in rendered
    assert "<li>one</li>" in rendered
    assert "<li>two</li>" in rendered
    assert f'<a href="https://example.com/apply" {REL}>Apply</a>' in rendered


def test_markdown_to_html_renders_numbered_lists():
    rendered = markdown_to_html("1. first\n2. second")
    assert "<ol>" in rendered
    assert "<li>first</li>" in rendered


@pytest.mark.parametrize(
    ("text", "forbidden"),
    [
        ("Hi <script>alert(1)</script> there", ["<script", "alert"]),
        ('<div onclick="steal()">raw</div>\n\ntext', ["onclick", "<div"]),
        ("[click](javascript:alert(1))", ["javascript", "href"]),
        ('<iframe src="https://evil.example"></iframe>', ["<iframe", "evil"]),
    ],
)
def test_markdown_to_html_sanitizes_raw_html(text, forbidden):
    rendered = markdown_to_html(text)
    for needle in forbidden:
        assert needle not in rendered


# --- text_to_html ------------------------------------------------------------------------


def test_text_to_html_splits_paragraphs_on_blank_lines():
    assert text_to_html("First para.\n\n\n\nSecond para.") == (
        "<p>First para.</p>\n<p>Second para.</p>"
    )


def test_text_to_html_turns_dash_lines_into_a_list():
    rendered = text_to_html("Intro\n- Kubernetes\n- Terraform\nOutro")
    assert rendered == "<p>Intro</p><ul><li>Kubernetes</li><li>Terraform</li></ul><p>Outro</p>"


@pytest.mark.parametrize("marker", ["-", "*", "\u2022", "1.", "2)"])
def test_text_to_html_knows_common_bullet_markers(marker):
    assert text_to_html(f"{marker} item") == "<ul><li>item</li></ul>"


def test_text_to_html_needs_a_space_after_the_bullet():
    assert text_to_html("-not a bullet") == "<p>-not a bullet</p>"


def test_text_to_html_makes_one_list_per_run_of_bullets():
    rendered = text_to_html("- a\n- b\n\nBetween\n\n- c")
    assert rendered.count("<ul>") == 2
    assert "<ul><li>a</li><li>b</li></ul>" in rendered
    assert "<ul><li>c</li></ul>" in rendered


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 < 2 & 3 > 2", "<p>1 &lt; 2 &amp; 3 &gt; 2</p>"),
        ("Use <script>x</script>", "<p>Use &lt;script&gt;x&lt;/script&gt;</p>"),
        ("- <b>bold</b>", "<ul><li>&lt;b&gt;bold&lt;/b&gt;</li></ul>"),
    ],
)
def test_text_to_html_escapes_markup(text, expected):
    assert text_to_html(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "\n\n  \n"])
def test_text_to_html_of_blank_text_is_empty(text):
    assert text_to_html(text) == ""


# --- body_to_html ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "body_format", "expected"),
    [
        ("- a\n- b", "markdown", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"),
        ("# T", "markdown", "<h2>T</h2>"),
        ("- a\n- b", "text", "<ul><li>a</li><li>b</li></ul>"),
        ("# T", "text", "<p># T</p>"),
        ("# T", "html", "# T"),
        ("&lt;p&gt;x&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;", "html", "<p>x</p>"),
        (
            "&lt;h1&gt;Title&lt;/h1&gt;&lt;p&gt;R&amp;amp;D&lt;/p&gt;",
            "html",
            "<h2>Title</h2><p>R&amp;D</p>",
        ),
        ("<p>x</p><script>alert(1)</script>", "jsonld", "<p>x</p>"),
    ],
)
def test_body_to_html_renders_each_format_safely(body, body_format, expected):
    assert body_to_html(body, body_format) == expected


def test_body_to_html_sanitizes_markdown_with_raw_html():
    rendered = body_to_html("Hi <script>alert(1)</script>", "markdown")
    assert "<script" not in rendered
    assert "Hi" in rendered


# --- html_to_text ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("<p>One</p><p>Two</p>", "One\nTwo"),
        ("a<br>b", "a\nb"),
        ("<ul><li>x</li><li>y</li></ul>", "x\ny"),
        ("<h2>Heading</h2>text", "Heading\ntext"),
        ("<dl><dt>Stack</dt><dd>Go</dd></dl>", "Stack\nGo"),
        ("<p>a</p>\n\n\n<p>b</p>", "a\nb"),
        ("<b>bold</b> and <i>italic</i>", "bold and italic"),
        ("<p>  lots   of\tspace </p>", "lots of space"),
        ("Tom &amp; Jerry &lt;3 &#8212; &nbsp;ok", "Tom & Jerry <3 \u2014 ok"),
        ("caf&eacute;", "caf\u00e9"),
        ("", ""),
    ],
)
def test_html_to_text(fragment, expected):
    assert html_to_text(fragment) == expected


def test_html_to_text_keeps_table_cells_apart():
    assert html_to_text("<table><tr><td>Go</td><td>Rust</td></tr></table>").split() == [
        "Go",
        "Rust",
    ]


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("<p>Tom &amp; Jerry&nbsp;&nbsp;&lt;3</p>", "Tom & Jerry <3"),
        ('<p><a href="/?a=1&amp;b=2" title="a > b" rel="x">link</a> after</p>', "link after"),
        ('<abbr title="x<y">T</abbr>', "T"),
        ("<ul><li><p>One</p><ul><li>Two<br>Three</li></ul></li></ul><blockquote>4</blockquote>",
         "One\nTwo\nThree\n4"),
        ("<P>Upper</P><BR><Strong>bold</Strong>", "Upper\nbold"),
        ("<p>x &lt;br&gt; y &lt;p&gt;z</p>", "x <br> y <p>z"),
        ("<p>caf&eacute; &#8212; &#x2014; &amp;amp;</p>", "caf\u00e9 \u2014 \u2014 &amp;"),
        ("&am<b>p;", "&amp;"),  # each text between tags is unescaped alone
        ("&not<i>in;</i>", "\u00acin;"),
        ("<p>a</p>\n\n <p>\u3000b \u2028 c</p>", "a\nb \u2028 c"),
        ("<h2>Title</h2>\t\ttabbed  spaced", "Title\ntabbed spaced"),
        ("a < b > c", "a < b > c"),  # not as nh3 writes it: parsed
        ('<script>var x = "<p>";</script><p>after</p>', 'var x = "<p>";\nafter'),
        ("<!-- <p>hidden</p> -->shown", "shown"),
        ("<p>un<br/>closed", "un\nclosed"),
    ],
)  # fmt: skip
def test_html_to_text_reads_tricky_html_as_an_html_parser_does(fragment, expected):
    assert html_to_text(fragment) == expected


HTML_PIECES = [
    "<p>", "</P>", "<br>", "<BR>", "<br/>", "<br />", '<a href="x>y" rel="n">', "</a>", "&amp;",
    "&nbsp;", "&am", "p;", "&not", "in;", " ", "  ", "\n", "\t", "\u00a0", "\u2028", "\r", "<",
    ">", "<!-- c -->", "<script>", "</script>", "<style>", "x", "\u00e9", "&#8212;", "&lt;",
    "<li>", "<ul>", "<strong>", "<div>", "<span>", "<td>", '<abbr title="a<b">', "</p x>",
    "<x-y>", "<?pi>", "'", '"', "=", "/",
]  # fmt: skip
html_fragments = st.lists(st.sampled_from(HTML_PIECES), max_size=14).map("".join)
EXAMPLES = settings(max_examples=500, deadline=None, derandomize=True, database=None)


@EXAMPLES
@given(html_fragments)
def test_the_regex_pass_gives_the_html_parsers_text_or_declines(fragment):
    fast = _sanitized_text(fragment)
    assert fast is None or fast == _parsed_text(fragment)


@EXAMPLES
@given(html_fragments)
def test_the_regex_pass_reads_all_that_nh3_writes(fragment):
    clean = nh3.clean(fragment, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES)
    assert _sanitized_text(clean) == _parsed_text(clean)


@EXAMPLES
@given(st.lists(st.sampled_from(["<br>", "<BR/>", "<br />", " ", "\n", "x", "<p>", "<br"]),
                max_size=10).map("".join))  # fmt: skip
def test_strip_edge_breaks_is_the_edge_pattern_then_strip(fragment):
    assert _strip_edge_breaks(fragment) == BREAKS_AT_EDGES.sub("", fragment).strip()


@pytest.mark.parametrize("char", [chr(code) for code in range(128) if code != 0x1B])
def test_repair_text_takes_a_shortcut_for_ascii_that_changes_nothing(char):
    text = f"a{char}b\r\n{char}"
    full = ftfy.fix_text(text, unescape_html=False, uncurl_quotes=False)
    assert repair_text(text) == SPOOFING.sub("", UNWRITABLE.sub("", full))


# --- summarize_text ----------------------------------------------------------------------

SENTENCE = "one two three four five six seven eight nine ten eleven twelve"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("short text", "short text"),
        ("  spaced \n  out\tnicely  ", "spaced out nicely"),
        (SENTENCE, SENTENCE),
    ],
)
def test_summarize_text_keeps_short_text_whole_but_flattened(text, expected):
    assert summarize_text(text) == expected


@pytest.mark.parametrize("limit", range(4, len(SENTENCE)))
def test_summarize_text_cuts_on_a_word_boundary_within_the_limit(limit):
    summary = summarize_text(SENTENCE, limit)
    assert len(summary) <= limit
    assert summary.endswith(ELLIPSIS)
    stem = summary[: -len(ELLIPSIS)]
    assert stem
    assert SENTENCE.startswith(stem)
    assert SENTENCE[len(stem)] == " "  # the cut falls between words


def test_summarize_text_drops_punctuation_before_the_ellipsis():
    assert summarize_text("alpha beta, gamma delta", 13) == f"alpha beta{ELLIPSIS}"


def test_summarize_text_respects_the_default_limit():
    summary = summarize_text("word " * 100)
    assert len(summary) <= 200
    assert summary.endswith(f"word{ELLIPSIS}")


def test_summarize_text_keeps_text_exactly_at_the_limit():
    text = "x" * 10 + " " + "y" * 9
    assert summarize_text(text, 20) == text


def test_double_breaks_become_paragraphs_when_there_are_none():
    html = sanitize_html("Who we are<br><br>We run <b>Kafka</b><br /><br/><ul><li>x</li></ul>")
    assert html == "<p>Who we are</p>\n<p>We run <b>Kafka</b></p>\n<ul><li>x</li></ul>"
    kept = "<p>One</p>Two<br><br>Three"
    assert sanitize_html(kept) == kept  # real paragraphs exist: the author's layout stays
