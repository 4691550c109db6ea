"""Unit tests for builder.taxonomy: loading the curated file, tagging text, resolving names."""

import pickle
import re
from pathlib import Path

import pytest
import yaml

from builder.model import Tag
from builder.normalize import body_to_html, html_to_text
from builder.taxonomy import build_taxonomy, load_taxonomy

TAXONOMY_FILE = Path(__file__).resolve().parents[1] / "content" / "_taxonomy.yml"
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@pytest.fixture(scope="module")
def loaded():
    return load_taxonomy(TAXONOMY_FILE)


@pytest.fixture(scope="module")
def taxonomy(loaded):
    return loaded[0]


@pytest.fixture(scope="module")
def document():
    return yaml.safe_load(TAXONOMY_FILE.read_text(encoding="utf-8"))


def names(taxonomy, text):
    return [tag.name for tag in taxonomy.tag_text(text)]


# --- the curated file --------------------------------------------------------------------


def test_real_taxonomy_loads_without_problems(loaded):
    _, problems = loaded
    assert problems == []


def test_real_taxonomy_has_at_least_60_skills(taxonomy):
    assert len(taxonomy.tags) >= 60


def test_real_taxonomy_slugs_are_unique_and_url_safe(taxonomy):
    slugs = [tag.slug for tag in taxonomy.tags]
    assert len(slugs) == len(set(slugs))
    assert [slug for slug in slugs if not SLUG.fullmatch(slug)] == []


def test_real_taxonomy_names_are_unique(taxonomy):
    lowered = [tag.name.lower() for tag in taxonomy.tags]
    assert len(lowered) == len(set(lowered))


def test_real_taxonomy_every_skill_has_a_listed_category(taxonomy):
    assert taxonomy.categories
    assert len(taxonomy.categories) == len(set(taxonomy.categories))
    assert [tag.name for tag in taxonomy.tags if tag.category not in taxonomy.categories] == []


def test_real_taxonomy_no_alias_belongs_to_two_skills(document):
    owners = {}
    for skill in document["skills"]:
        keys = {str(alias).lower() for alias in skill.get("aliases") or []}
        keys.add(skill["name"].lower())
        for key in keys:
            owners.setdefault(key, []).append(skill["slug"])
    assert {key: slugs for key, slugs in owners.items() if len(slugs) > 1} == {}


def test_real_taxonomy_every_skill_is_found_by_its_name(taxonomy):
    missed = [
        tag.name
        for tag in taxonomy.tags
        if tag not in taxonomy.tag_text(f"We use {tag.name} daily.")
    ]
    assert missed == []


def test_real_taxonomy_every_alias_is_found_and_resolves(taxonomy, document):
    missed = []
    for skill in document["skills"]:
        tag = Tag(skill["name"], skill["slug"], skill["category"])
        for alias in skill.get("aliases") or []:
            resolved = taxonomy.resolve(str(alias))
            found = taxonomy.tag_text(f"We use {alias} daily.")
            if resolved != tag or tag not in found:
                missed.append((skill["name"], alias))
    assert missed == []


# --- tag_text ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We run k8s clusters", ["Kubernetes"]),
        ("Our golang services", ["Go"]),
        ("Backed by postgres", ["PostgreSQL"]),
        ("Our services are written in Go.", ["Go"]),
        ("We love Go's concurrency", ["Go"]),
        ("a Go-based stack", ["Go"]),
        ("Tools: Go, Rust", ["Go", "Rust"]),
        ("we go on-call weekly", ["On-call"]),
        ("Go to our careers page", []),
        ("We ship. Go ahead and apply", []),
        ("Ok! Go through the docs", []),
        ("Go to our careers page. We write Go daily.", ["Go"]),
        ("We write Go. Go to our careers page.", ["Go"]),
        ("Go is our main language", ["Go"]),
        ("Rust and Go engineer wanted", ["Go", "Rust"]),
        ("- Go", ["Go"]),
        ("Skills:\n- Go\n- Python", ["Go", "Python"]),
        ("Experience with JavaScript", ["JavaScript"]),
        ("Java and JavaScript", ["Java", "JavaScript"]),
        ("we trust our team", []),
        ("Experience with Rust.", ["Rust"]),
        ("Experience with Packer/Terraform", ["Terraform", "Packer"]),
        ("You know C++ well", ["C++"]),
        ("We use C# and .NET", ["C#", ".NET"]),
        ("We use Google Cloud Platform", ["Google Cloud"]),
        ("We deploy helm charts", ["Helm"]),
        ("We steer at the helm", []),
        ("Our chef cooks lunch", []),
        ("NoSQL stores", []),
        ("", []),
    ],
)
def test_tag_text(taxonomy, text, expected):
    assert names(taxonomy, text) == expected


def test_tag_text_returns_taxonomy_order_without_duplicates(taxonomy):
    found = taxonomy.tag_text("Terraform, then Kubernetes (k8s, KUBERNETES), then Go and golang.")
    assert [tag.name for tag in found] == ["Go", "Kubernetes", "Terraform"]
    positions = [taxonomy.tags.index(tag) for tag in found]
    assert positions == sorted(positions)


def test_tag_text_is_the_same_after_pickling_as_worker_processes_do(taxonomy):
    text = "Go, Rust and k8s; chef"
    expected = taxonomy.tag_text(text)
    assert pickle.loads(pickle.dumps(taxonomy)).tag_text(text) == expected


def test_tag_text_returns_the_taxonomy_tags(taxonomy):
    (tag,) = taxonomy.tag_text("We run k8s")
    assert tag == Tag("Kubernetes", "kubernetes", "Containers & orchestration")


@pytest.fixture(scope="module")
def languages():
    return build_taxonomy(
        {
            "categories": ["Languages"],
            "skills": [
                {"name": "C", "slug": "c", "category": "Languages", "strict": True},
                {"name": "C++", "slug": "cpp", "category": "Languages"},
                {"name": "C#", "slug": "csharp", "category": "Languages"},
                {"name": "Java", "slug": "java", "category": "Languages"},
                {"name": "JavaScript", "slug": "javascript", "category": "Languages"},
                {"name": "Rust", "slug": "rust", "category": "Languages", "strict": True},
            ],
        }
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We use C++", ["C++"]),
        ("We use C#", ["C#"]),
        ("We use C and C++", ["C", "C++"]),
        ("We use JavaScript", ["JavaScript"]),
        ("We use Java", ["Java"]),
        ("We trust Rust", ["Rust"]),
        ("We trust crusty code", []),
    ],
)
def test_tag_text_needs_whole_names(languages, text, expected):
    assert names(languages, text) == expected


@pytest.mark.parametrize(
    ("body", "body_format"),
    [
        ("Skills:\n\n- Go\n- Python", "markdown"),
        ("Skills:\n- Go\n- Python", "text"),
        ("<p>Skills:</p><ul><li>Go</li><li>Python</li></ul>", "html"),
    ],
)
def test_tag_text_finds_a_strict_name_in_a_rendered_list(taxonomy, body, body_format):
    text = html_to_text(body_to_html(body, body_format))  # what the extractor tags
    assert names(taxonomy, text) == ["Go", "Python"]


def test_tag_text_finds_a_strict_name_after_an_abbreviation(taxonomy):
    assert names(taxonomy, "a systems language (e.g. Go or Rust)") == ["Go", "Rust"]


# --- resolve and unknown -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("K8S", "kubernetes"),
        ("kubernetes", "kubernetes"),
        ("  Go  ", "go"),
        ("go", "go"),
        ("GOLANG", "go"),
        ("Postgres", "postgresql"),
        ("aws-ec2", "aws-ec2"),
        ("Amazon EC2", "aws-ec2"),
        ("Ruby on Rails", "ruby-on-rails"),
        ("ruby-on-rails", "ruby-on-rails"),
        ("C++", "cpp"),
        ("ON CALL", "on-call"),
    ],
)
def test_resolve_maps_an_alias_name_or_slug_in_any_case(taxonomy, name, slug):
    tag = taxonomy.resolve(name)
    assert tag is not None
    assert tag.slug == slug


@pytest.mark.parametrize("name", ["Fly.io", "C", "underwater basket weaving", "", "   "])
def test_resolve_returns_none_for_an_unknown_name(taxonomy, name):
    assert taxonomy.resolve(name) is None


def test_resolve_knows_every_skill_by_name_and_slug(taxonomy):
    wrong = [
        tag.name
        for tag in taxonomy.tags
        if not (taxonomy.resolve(tag.name) == taxonomy.resolve(tag.slug) == tag)
    ]
    assert wrong == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("  Fly.io  ", Tag("Fly.io", "fly-io", "Other")),
        ("Terraform CDK", Tag("Terraform CDK", "terraform-cdk", "Other")),
        ("---", Tag("---", "tag", "Other")),
        ("C++", Tag("C++", "cpp", "Other")),
        ("C#", Tag("C#", "csharp", "Other")),
    ],
)
def test_unknown_keeps_the_name_as_written_with_a_slug(taxonomy, name, expected):
    assert taxonomy.unknown(name) == expected


# --- load_taxonomy on bad files ----------------------------------------------------------


def write(tmp_path, text):
    path = tmp_path / "_taxonomy.yml"
    path.write_text(text, encoding="utf-8")
    return path


def assert_single_error_about(problems, path):
    assert len(problems) == 1
    (problem,) = problems
    assert problem.is_error
    assert problem.path == str(path)
    assert str(path) in str(problem)


def assert_empty(taxonomy):
    assert taxonomy.tags == ()
    assert taxonomy.tag_text("We run Kubernetes with Terraform") == ()
    assert taxonomy.resolve("Kubernetes") is None


def test_load_taxonomy_reports_malformed_yaml(tmp_path):
    path = write(tmp_path, "skills:\n  - name: Go\n    aliases: [golang\n")
    taxonomy, problems = load_taxonomy(path)
    assert_single_error_about(problems, path)
    assert_empty(taxonomy)


def test_load_taxonomy_reports_bytes_that_are_not_utf8(tmp_path):
    path = tmp_path / "_taxonomy.yml"
    path.write_bytes(b"skills:\n  - name: K\xff8s\n")  # a latin-1 byte: it used to crash
    taxonomy, problems = load_taxonomy(path)
    assert_single_error_about(problems, path)
    assert "cannot read the taxonomy" in problems[0].message
    assert_empty(taxonomy)


def test_load_taxonomy_reads_an_edited_file_again(tmp_path):
    path = write(tmp_path, "skills:\n  - {name: Go, slug: go, category: Languages, aliases: []}\n")
    first, _ = load_taxonomy(path)
    assert load_taxonomy(path)[0] is first  # the same bytes: kept, not parsed again
    path.write_text("skills:\n  - {name: Rust, slug: rust, category: Languages, aliases: []}\n")
    edited, _ = load_taxonomy(path)
    assert [tag.name for tag in edited.tags] == ["Rust"]


def test_load_taxonomy_reports_a_missing_file(tmp_path):
    path = tmp_path / "nowhere.yml"
    taxonomy, problems = load_taxonomy(path)
    assert_single_error_about(problems, path)
    assert_empty(taxonomy)


@pytest.mark.parametrize(
    "text",
    ["categories: [Cloud]\n", "", "skills: {go: Go}\n", "- name: Go\n  slug: go\n"],
)
def test_load_taxonomy_reports_a_missing_skills_list(tmp_path, text):
    path = write(tmp_path, text)
    taxonomy, problems = load_taxonomy(path)
    assert_single_error_about(problems, path)
    assert "skills" in problems[0].message
    assert_empty(taxonomy)


def test_load_taxonomy_reports_each_incomplete_skill(tmp_path):
    path = write(
        tmp_path,
        "skills:\n"
        "  - {name: Go, slug: go, category: Languages}\n"
        "  - {name: Rust, category: Languages}\n"
        "  - just a string\n",
    )
    taxonomy, problems = load_taxonomy(path)
    assert len(problems) == 2
    assert all(problem.is_error and problem.path == str(path) for problem in problems)
    assert "#2" in problems[0].message
    assert "#3" in problems[1].message
    assert_empty(taxonomy)


def test_load_taxonomy_reads_a_minimal_valid_file(tmp_path):
    path = write(
        tmp_path,
        "skills:\n"
        "  - {name: Go, slug: go, category: Languages, aliases: [golang], strict: true}\n"
        "  - {name: Kubernetes, slug: kubernetes, category: Containers, aliases: [k8s]}\n",
    )
    taxonomy, problems = load_taxonomy(path)
    assert problems == []
    assert [tag.slug for tag in taxonomy.tags] == ["go", "kubernetes"]
    assert set(taxonomy.categories) == {"Languages", "Containers"}
    assert names(taxonomy, "We use golang on k8s") == ["Go", "Kubernetes"]


def test_look_alike_letters_neither_break_tagging_nor_tag_a_skill(taxonomy):
    # A case-insensitive pattern took the dotless ı and the long ſ for i and s, then failed
    # to look the strict name up ("Lınux"): the build stopped with a traceback.
    found = taxonomy.tag_text("Lınux, Kubernetes and ſql, LİNUX and Ruſt")
    assert [tag.name for tag in found] == ["Kubernetes"]
