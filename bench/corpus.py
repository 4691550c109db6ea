"""A seeded generator of realistic postings: the same seed always writes the same corpus.

Each posting is about 5 KB of Markdown under YAML front matter with 3–8 tags, like an ad a
curator pasted in and corrected: headings, paragraphs, bullet lists, links, bold and a salary.
"""

from __future__ import annotations

import random
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TAXONOMY = ROOT / "content" / "_taxonomy.yml"
START = datetime(2026, 1, 1, tzinfo=UTC)

SKILLS = [
    "Kubernetes", "Terraform", "AWS", "GCP", "Azure", "Go", "Python", "Prometheus", "Grafana",
    "Docker", "Helm", "Ansible", "PostgreSQL", "MySQL", "Redis", "Kafka", "Linux", "Bash",
    "Rust", "Java", "Datadog", "OpenTelemetry", "Elasticsearch", "Nginx", "Istio", "ArgoCD",
    "GitHub Actions", "Jenkins", "Vault", "Consul", "Nomad", "Chef", "Puppet", "Ruby",
]  # fmt: skip
COMPANIES = [
    "Acme Cloud", "Northwind Systems", "Globex", "Initech", "Umbrella Data", "Hooli",
    "Stark Infra", "Wayne Networks", "Cyberdyne", "Soylent Ops", "Tyrell Compute", "Vandelay",
    "Wonka Labs", "Oscorp Hosting", "Aperture Platform", "Black Mesa Cloud", "Gringotts Pay",
    "Monarch Storage", "Dunder Data", "Pied Piper",
]  # fmt: skip
TITLES = [
    "Site Reliability Engineer", "Senior Site Reliability Engineer", "Staff SRE",
    "Platform Engineer", "DevOps Engineer", "Infrastructure Engineer", "Production Engineer",
    "Cloud Engineer", "Observability Engineer", "Database Reliability Engineer",
]  # fmt: skip
LOCATIONS = [
    "Remote (Worldwide)", "Remote (Europe)", "Remote (US / Canada)", "Remote (UK)",
    "Remote (Germany)", "Remote (EMEA)", "Remote (Americas)", "Remote (APAC)",
]  # fmt: skip
TYPES = ["full-time", "full-time", "full-time", "contract", "part-time"]
WORDS = str.split(
    "we build reliable systems for millions of users and care about calm on-call rotations "
    "blameless postmortems error budgets capacity planning incident response automation toil "
    "reduction service level objectives latency throughput availability deployment pipelines "
    "infrastructure as code observability tracing metrics logging alerting runbooks chaos "
    "engineering disaster recovery backups migrations scaling databases networks security "
    "compliance mentoring collaboration documentation ownership curiosity kindness"
)


def posting(rng: random.Random, number: int) -> str:
    """One posting: front matter a curator would write, then a Markdown ad of about 5 KB."""
    company, title = rng.choice(COMPANIES), rng.choice(TITLES)
    tags = rng.sample(SKILLS, rng.randint(3, 8))
    posted = START + timedelta(days=rng.randint(0, 300), minutes=number)
    low = rng.randrange(90, 180) * 1000
    front = "\n".join([
        "---",
        f'title: "{title} #{number}"',
        f'company: "{company}"',
        f'date: "{posted.isoformat()}"',
        f'location: "{rng.choice(LOCATIONS)}"',
        f'employment_type: "{rng.choice(TYPES)}"',
        f'salary: "${low:,} - ${low + 40000:,} USD"',
        f"apply_url: https://jobs.example/{number}",
        f"tags: [{', '.join(tags)}]",
        "---",
    ])  # fmt: skip
    return f"{front}\n\n{_body(rng, company, tags)}"


def _body(rng: random.Random, company: str, tags: list[str]) -> str:
    sections = [f"## About {company}\n\n{_paragraph(rng, tags)}\n\n{_paragraph(rng, tags)}"]
    for heading in ("What you will do", "What you bring", "Nice to have"):
        bullets = "\n".join(f"- {_sentence(rng, tags)}" for _ in range(rng.randint(4, 7)))
        sections.append(f"## {heading}\n\n{bullets}")
    sections.append(f"## Why join us\n\n{_paragraph(rng, tags)}\n\n{_paragraph(rng, tags)}")
    link = f"[our engineering blog](https://{company.split()[0].lower()}.example/blog)"
    sections.append(f"Read more on {link}. **We answer every application.**")
    return "\n\n".join(sections) + "\n"


def _paragraph(rng: random.Random, tags: list[str]) -> str:
    return " ".join(_sentence(rng, tags) for _ in range(rng.randint(4, 7)))


def _sentence(rng: random.Random, tags: list[str]) -> str:
    """A sentence naming one of the skills, in bold one time in four, as ads emphasise."""
    words = rng.choices(WORDS, k=rng.randint(10, 18))
    skill = rng.choice(tags)
    words.insert(rng.randrange(len(words)), f"**{skill}**" if rng.random() < 0.25 else skill)
    sentence = " ".join(words)
    return sentence[0].upper() + sentence[1:] + "."


def write_corpus(folder: Path, count: int, seed: int = 1) -> Path:
    """Write `count` postings and the real taxonomy into `folder`; return it."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(TAXONOMY, folder / TAXONOMY.name)
    rng = random.Random(seed)
    for number in range(count):
        (folder / f"{number:06d}.txt").write_text(posting(rng, number), encoding="utf-8")
    return folder
