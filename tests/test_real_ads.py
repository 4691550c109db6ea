"""Real ads read right: one test per kind of trouble the ads curators find actually have.

Each ad here is written in the shape of real ones (Hacker News comments, boards kept in git,
hiring systems' JSON), and each test failed before the board read that shape.
"""

from __future__ import annotations

import json

import pytest
from conftest import NOW, TAXONOMY, build_site

from builder.extract import Context, extract
from builder.readers import read_posting
from builder.taxonomy import load_taxonomy

TAXONOMY_LOADED, _ = load_taxonomy(TAXONOMY)


def read(data: str | bytes):
    """The posting and problems extracted from one file's content."""
    raws, problems = read_posting(
        "content/ad.txt", data if isinstance(data, bytes) else data.encode()
    )
    assert raws, [str(p) for p in problems]
    posting, found = extract(raws[0], Context(TAXONOMY_LOADED, NOW, {}))
    return posting, problems + found


def regions(data: str) -> list[str]:
    return [region.slug for region in read(data)[0].regions]


# --- 1. titles ---------------------------------------------------------------------------

HN = (
    "Fernline | Senior SRE | Remote (US Only) | $150k-$165k | Full-time | REMOTE | "
    "https://boards.greenhouse.io/fernline/jobs/4012\n\nWe run Kubernetes and Terraform.\n"
)


def test_a_hacker_news_header_line_is_split_into_its_fields():
    posting, _ = read(HN)
    assert (posting.title, posting.company) == ("Senior SRE", "Fernline")
    assert posting.salary.display() == "USD 150,000–165,000 a year"
    assert posting.employment_type == "FULL_TIME"
    assert [r.slug for r in posting.regions] == ["united-states"]
    assert posting.apply_url == "https://boards.greenhouse.io/fernline/jobs/4012"
    assert "Fernline | Senior SRE" in posting.description_html  # the ad's text stays


def test_a_job_title_label_is_not_part_of_the_title():
    posting, _ = read("Job Title: DevOps Engineer\nCompany: Corvatech\n\nYou will run Ansible.\n")
    assert (posting.title, posting.company) == ("DevOps Engineer", "Corvatech")


def test_an_intro_sentence_is_not_the_title():
    ad = (
        "Brightmoor is a fast-growing logistics company and we need help.\n\n"
        "Platform Engineer\n\nYou will own our Kubernetes clusters.\n"
    )
    assert read(ad)[0].title == "Platform Engineer"


def test_front_matter_missing_its_opening_dashes_is_still_front_matter():
    posting, problems = read(
        "title: Senior DevOps Engineer\ncompany: Merrow\nlocation: Remote (Ireland)\n---\nHi\n"
    )
    assert (posting.title, posting.company, posting.location) == (
        "Senior DevOps Engineer", "Merrow", "Remote (Ireland)"
    )  # fmt: skip
    assert [r.slug for r in posting.regions] == ["ireland"]
    lines = {p.line for p in problems if p.line}
    assert lines <= {1, 2, 3}  # the file's own line numbers


@pytest.mark.parametrize(
    ("title", "expected", "location"),
    [
        ("SRE - Heroku", "SRE", ""),
        ("Platform Engineer (Remote, US time zones)", "Platform Engineer", "Remote, US time zones"),
        ("Site Reliability Engineer (Remote, Americas)", "Site Reliability Engineer", ""),
        ("Staff SRE - Observability", "Staff SRE - Observability", ""),  # a speciality stays
    ],
)
def test_a_title_is_kept_to_the_title_alone(title, expected, location):
    posting, _ = read(f"---\ntitle: {title}\ncompany: Heroku\n---\nWe run Go.\n")
    assert posting.title == expected
    if location:
        assert posting.location == location and posting.regions[0].slug == "united-states"


# --- 2. company --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "company"),
    [
        ("## About Tidewater Cloud\n\nWe host things.", "Tidewater Cloud"),
        ("At Lanternfish we build sensors.", "Lanternfish"),
        ("Sedgemoor Health is hiring an SRE.", "Sedgemoor Health"),
        ("Join Skerry and run our clusters.", "Skerry"),
        ("Apply: https://jobs.lever.co/north-star-labs/1f2e", "North Star Labs"),
        (
            "Apply: https://boards.greenhouse.io/fernwoodlabs/jobs/1 (Fernwood Labs)",
            "Fernwood Labs",
        ),
        ("Send your CV to jobs@pinecrest.io to apply.", "Pinecrest"),
    ],
)
def test_the_company_is_read_from_the_body_or_its_links(body, company):
    posting, _ = read(f"---\ntitle: SRE\n---\nWe run Go.\n\n{body}\n")
    assert posting.company == company


def test_a_title_dash_company_line_before_a_place_names_the_company():
    ad = "Senior Platform Engineer - Quarrystone (Remote, Europe)\n\nQuarrystone runs Go.\n"
    posting, _ = read(ad)
    assert (posting.title, posting.company) == ("Senior Platform Engineer", "Quarrystone")
    assert [r.slug for r in posting.regions] == ["europe"]


def test_a_company_in_a_latin_1_line_is_read():
    ad = "DevOps Engineer\n\nAt Zürcher Rechenwerk AG we run Linux.\n".encode("latin-1")
    assert read(ad)[0].company == "Zürcher Rechenwerk AG"


def test_a_none_heading_is_no_company_and_an_error():
    posting, problems = read("# SRE\n\n### None\n\nWe run our own servers.\n")
    assert posting.company == ""
    [error] = [p for p in problems if p.is_error]
    assert error.message.startswith("no company found") and "company:" in error.fix


# --- 3. dates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key", ["created", "posted", "published", "post-date", "date_posted", "datePosted"]
)
def test_the_date_keys_sources_use_are_read(key):
    posting, _ = read(f"---\ntitle: SRE\ncompany: A\n{key}: 2015-06-01 10:20:00\n---\nHi\n")
    assert posting.date_posted.isoformat() == "2015-06-01T10:20:00+00:00"


@pytest.mark.parametrize(
    ("line", "day"), [("Posted: 12-Feb-2014", "2014-02-12"), ("created : 2015-06-01", "2015-06-01")]
)
def test_a_posted_line_in_the_text_dates_the_posting(line, day):
    posting, _ = read(f"SRE at Acme\n{line}\n\nAt Acme we run Go.\n")
    assert posting.date_posted.date().isoformat() == day


# --- 4. salary in prose ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "shown"),
    [
        ("The salary is £34,500 p.a. plus pension.", "GBP 34,500 a year"),
        ("Salary: £30,000 - £60,000", "GBP 30,000–60,000 a year"),
        ("Salary is £35,000 - £45,000 depending on experience.", "GBP 35,000–45,000 a year"),
        ("Pay: $150k-$165k base.", "USD 150,000–165,000 a year"),
        ("CTC: 20 to 45 lakhs INR per annum.", "INR 2,000,000–4,500,000 a year"),
        ("We pay $6,000/month.", "USD 6,000 a month"),
        ("The rate is $85/hr.", "USD 85 an hour"),
        ("Gehalt: 3.950,00 € brutto/Monat", "EUR 3,950 a month"),
        ("Salary CHF 120'000 - 140'000", "CHF 120,000–140,000 a year"),
    ],
)
def test_pay_stated_in_a_sentence_is_read(sentence, shown):
    posting, _ = read(f"---\ntitle: SRE\ncompany: A\n---\nWe run Go.\n\n{sentence}\n")
    assert posting.salary.display() == shown


def test_money_that_is_not_pay_is_never_a_salary():
    ad = (
        "We raised a $40M Series B and process $2B a year for 10,000 customers. "
        "Benefits: 401k, a $1,000 home office stipend and a $500/year learning budget.\n"
    )
    assert read(f"---\ntitle: SRE\ncompany: A\n---\n{ad}")[0].salary is None


# --- 5. regions --------------------------------------------------------------------------


def jsonld(**fields) -> str:
    job = {"@type": "JobPosting", "title": "SRE", "hiringOrganization": "A",
           "datePosted": "2026-11-01", "description": "<p>Go.</p>", **fields}  # fmt: skip
    return json.dumps(job)


@pytest.mark.parametrize(
    ("requirements", "expected"),
    [
        ({"@type": "Country", "name": ["US", "Canada", "Mexico"]},
         ["united-states", "canada", "mexico"]),
        (["US", "CA"], ["united-states", "canada"]),
        ({"@type": "Country", "name": "USA"}, ["united-states"]),
        ([{"@type": "Country", "name": "Germany"}, {"@type": "Country", "name": "PL"}],
         ["germany", "poland"]),
    ],
)  # fmt: skip
def test_json_ld_applicant_locations_in_every_shape(requirements, expected):
    ad = jsonld(
        jobLocationType="TELECOMMUTE",
        applicantLocationRequirements=requirements,
        jobLocation={"@type": "Place", "address": {"addressLocality": "Denver"}},
    )
    assert regions(ad) == expected


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ("Remote (EMEA)", ["europe", "middle-east", "africa"]),
        ("Remote - APAC", ["asia-pacific"]),
        ("LATAM", ["latin-america"]),
        ("Remote (Americas)", ["north-america", "latin-america"]),
        ("REMOTE (US Only)", ["united-states"]),
        ("Remote (North, Central or South America)", ["north-america", "latin-america"]),
        ("Located in North America", ["north-america"]),
        ("Remote, anywhere in US timezones", ["united-states"]),
        ("Chile, Remote", ["chile"]),
        ("Ukraine/Europe", ["ukraine", "europe"]),
        ("Remote (DACH)", ["germany", "austria", "switzerland"]),
    ],
)
def test_the_regions_a_location_names(location, expected):
    assert regions(f"---\ntitle: SRE\ncompany: A\nlocation: {location}\n---\nHi\n") == expected


def test_the_countries_the_body_allows_win_over_a_city_badge():
    ad = (
        "# SRE\n\n### Vistula\n\n#### `Warsaw, Poland`\n\n"
        "You can work remotely from Poland, Romania or Ukraine.\n"
    )
    assert regions(ad) == ["poland", "romania", "ukraine"]


def test_a_french_ad_working_from_france():
    ad = "---\ntitle: Ingénieur SRE\ncompany: Brumaire\n---\nPoste en télétravail depuis la France."
    assert regions(ad) == ["france"]


def test_a_region_that_is_no_region_is_a_warning_never_a_page():
    posting, problems = read("---\ntitle: SRE\ncompany: A\nregions: [Germny, '']\n---\nHi\n")
    assert posting.regions == ()
    warned = [p for p in problems if "is not a country or region" in p.message]
    assert len(warned) == 2 and all(p.line == 4 for p in warned)


# --- 6. apply links ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "url"),
    [
        ("Send your CV to <a href=\"mailto:jobs@acme.io\">us</a>.", "mailto:jobs@acme.io"),
        ("Email jobs@acme.io to apply.", "mailto:jobs@acme.io"),
        ("APPLY HERE:\n\nhttps://acme.io/jobs/7\n", "https://acme.io/jobs/7"),
        ("More at https://apply.workable.com/acme/j/1A2B/", "https://apply.workable.com/acme/j/1A2B/"),
        ("https://acme.teamtailor.com/jobs/12-sre", "https://acme.teamtailor.com/jobs/12-sre"),
    ],
)  # fmt: skip
def test_apply_links_of_every_shape(body, url):
    assert read(f"SRE at Acme\n\nAt Acme we run Go.\n{body}\n")[0].apply_url == url


def test_a_hacker_news_href_with_character_references_is_decoded_and_kept():
    ad = (
        "<p>Larchmont | SRE | Remote (US) | Full-time</p><p>We run Go. "
        'Apply here: <a href="https:&#x2F;&#x2F;grnh.se&#x2F;7f3a" rel="nofollow">grnh.se</a></p>'
    )
    posting, _ = read(ad)
    assert posting.apply_url == "https://grnh.se/7f3a"
    assert "Apply here:" in posting.description_html  # the sentence is never cut


# --- 7. employment type ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ad", "kind"),
    [
        ("---\ntitle: SRE\ncompany: A\ncontract: contract\n---\nHi\n", "CONTRACTOR"),
        ("---\ntitle: SRE\ncompany: A\ncontract: 6 month\n---\nHi\n", "CONTRACTOR"),
        ("SRE at Acme\nJob Duration: Freelance\n\nAt Acme we run Go.\n", "CONTRACTOR"),
        ("---\ntitle: SRE (Part-time)\ncompany: A\n---\nHi\n", "PART_TIME"),
        ("---\ntitle: SRE\ncompany: A\n---\nA 20 hours working week.\n", "PART_TIME"),
    ],
)
def test_employment_type_in_every_shape(ad, kind):
    posting, _ = read(ad)
    assert posting.employment_type == kind
    assert "Part-time" not in posting.title


# --- 8. lenient JSON ---------------------------------------------------------------------


def test_json_ld_with_raw_line_breaks_is_read_leniently_and_says_so():
    ad = jsonld(description="<p>Line one.\nLine two.</p>").replace("\\n", "\n")
    with pytest.raises(json.JSONDecodeError):
        json.loads(ad)
    posting, problems = read(ad)
    assert posting.title == "SRE" and not [p for p in problems if p.is_error]
    assert "read leniently" in dict(posting.provenance)["read"]


# --- 9. skills ---------------------------------------------------------------------------


def tags(text: str) -> set[str]:
    return {tag.name for tag in read(f"---\ntitle: SRE\ncompany: A\n---\n{text}\n")[0].tags}


def test_skills_listed_in_lower_case_count():
    found = tags("you know linux, ruby, and rails. experience with go, ruby and python.")
    assert {"Linux", "Ruby", "Ruby on Rails", "Go", "Python"} <= found


def test_a_negated_skill_is_not_tagged():
    found = tags("We use Terraform. No Java needed; you don't need Puppet or Chef experience.")
    assert "Terraform" in found and not found & {"Java", "Puppet", "Chef"}


def test_glued_skills_are_found():
    assert {"C#", ".NET", "PowerShell"} <= tags("Tech we use: languagesC#.NET, PowerShell")


# --- 10. hiring systems' JSON ------------------------------------------------------------

GREENHOUSE = {
    "id": 4012345, "internal_job_id": 99, "title": "Site Reliability Engineer",
    "updated_at": "2025-03-04T21:15:00-05:00", "location": {"name": "Remote - Canada"},
    "absolute_url": "https://boards.greenhouse.io/lampwick/jobs/4012345",
    "content": "&lt;p&gt;At Lampwick we run &lt;strong&gt;Kubernetes&lt;/strong&gt;.&lt;/p&gt;",
}  # fmt: skip
LEVER = {
    "id": "8c1d", "text": "Platform Engineer", "createdAt": 1735689600000,
    "categories": {"location": "Remote - US", "commitment": "Full-time", "team": "Infra"},
    "workplaceType": "remote", "country": "US", "description": "<p>We run Go.</p>",
    "lists": [{"text": "You have", "content": "<li>Terraform</li>"}],
    "hostedUrl": "https://jobs.lever.co/ospreyworks/8c1d",
    "applyUrl": "https://jobs.lever.co/ospreyworks/8c1d/apply",
    "salaryRange": {"min": 140000, "max": 170000, "currency": "USD",
                    "interval": "per-year-salary"},
}  # fmt: skip
ASHBY = {
    "id": "a1", "title": "SRE", "employmentType": "FullTime", "location": "Remote (UK)",
    "isRemote": True, "descriptionHtml": "<p>Join Quokka and run Nomad.</p>",
    "publishedAt": "2026-10-01T09:00:00.000+00:00",
    "jobUrl": "https://jobs.ashbyhq.com/quokka/a1",
    "applyUrl": "https://jobs.ashbyhq.com/quokka/a1/application",
    "compensation": {"compensationTierSummary": "£70K – £85K", "summaryComponents": [
        {"compensationType": "EquityPercentage", "minValue": 0.1, "maxValue": 0.2},
        {"compensationType": "Salary", "interval": "1 YEAR", "currencyCode": "GBP",
         "minValue": 70000, "maxValue": 85000}]},
}  # fmt: skip


def test_greenhouse_job_json_is_read():
    posting, _ = read(json.dumps(GREENHOUSE).replace("&", "\\u0026"))
    assert (posting.title, posting.company) == ("Site Reliability Engineer", "Lampwick")
    assert posting.date_posted.isoformat() == "2025-03-04T21:15:00-05:00"
    assert [r.slug for r in posting.regions] == ["canada"]
    assert posting.apply_url == GREENHOUSE["absolute_url"]
    assert "<strong>Kubernetes</strong>" in posting.description_html
    assert dict(posting.provenance)["title"] == "Greenhouse job JSON"


def test_lever_job_json_is_read():
    posting, _ = read(json.dumps([LEVER]))
    assert (posting.title, posting.company) == ("Platform Engineer", "Ospreyworks")
    assert posting.date_posted.isoformat() == "2025-01-01T00:00:00+00:00"
    assert posting.employment_type == "FULL_TIME"
    assert posting.salary.display() == "USD 140,000–170,000 a year"
    assert posting.apply_url == LEVER["applyUrl"]
    assert "Terraform" in posting.description_html and posting.remote


def test_ashby_job_json_is_read():
    posting, _ = read(json.dumps({"apiVersion": "1", "jobs": [ASHBY]}))
    assert (posting.title, posting.company) == ("SRE", "Quokka")
    assert posting.employment_type == "FULL_TIME"
    assert posting.salary.display() == "GBP 70,000–85,000 a year"
    assert [r.slug for r in posting.regions] == ["united-kingdom"]


def test_other_json_is_still_an_error():
    raws, problems = read_posting("content/ad.txt", b'{"name": "Acme", "jobs": 3}')
    assert raws == [] and "not a JobPosting" in problems[0].message


# --- publishing only what is true ----------------------------------------------------------


def test_a_description_not_in_english_says_its_language():
    ad = (
        "---\ntitle: Ingénieur SRE\ncompany: Brumaire\n---\nNous recherchons une ingénieure ou "
        "un ingénieur pour faire tourner notre plateforme de paie, utilisée par quatre mille "
        "entreprises françaises, et pour améliorer nos astreintes.\n"
    )
    assert read(ad)[0].language == "fr"
    english = "We are looking for an SRE to join the team and run our Go services on AWS."
    assert read(f"---\ntitle: SRE\ncompany: A\n---\n{english}\n")[0].language == "en"
    assert read("---\ntitle: SRE\ncompany: A\n---\nWe run Go.\n")[0].language == ""


def test_a_remote_job_without_a_region_carries_no_markup_and_says_which_field():
    posting, problems = read("---\ntitle: SRE\ncompany: A\nlocation: Remote\n---\nHi\n")
    assert posting.markup_gaps == ("regions",)
    [warned] = [p for p in problems if "Google Jobs markup" in p.message]
    assert "`regions:`" in warned.fix


# --- shapes found while labelling the corpus ----------------------------------------------


def test_a_graph_names_its_organization_by_reference():
    org = {"@type": "Organization", "@id": "#org", "name": "Harrowgate Logistics"}
    job = json.loads(jsonld(hiringOrganization={"@id": "#org"}))
    assert read(json.dumps({"@graph": [org, job]}))[0].company == "Harrowgate Logistics"


def test_every_location_of_a_lever_or_ashby_job_counts():
    lever = {**LEVER, "categories": {**LEVER["categories"],
             "allLocations": ["Remote - US", "Remote - Canada"]}}  # fmt: skip
    assert [r.slug for r in read(json.dumps(lever))[0].regions] == ["united-states", "canada"]
    ashby = {**ASHBY, "secondaryLocations": [{"location": "Remote (Ireland)"}]}
    assert [r.slug for r in read(json.dumps(ashby))[0].regions] == ["united-kingdom", "ireland"]


def test_a_lever_office_city_takes_the_jobs_country_code():
    office = {**LEVER, "workplaceType": "hybrid", "country": "GB",
              "categories": {**LEVER["categories"], "location": "London"}}  # fmt: skip
    posting, _ = read(json.dumps(office))
    assert posting.location == "London, GB" and posting.regions[0].slug == "united-kingdom"


@pytest.mark.parametrize(
    ("line", "day"),
    [("Publiée le 6 février 2024", "2024-02-06"), ("Veröffentlicht am 3. März 2025", "2025-03-03")],
)
def test_a_posted_line_in_another_language(line, day):
    posting, _ = read(f"---\ntitle: SRE\ncompany: A\n---\n{line}\n\nNous utilisons Go.\n")
    assert posting.date_posted.date().isoformat() == day


def test_a_closing_date_line_closes_the_posting():
    posting, _ = read("SRE at Acme\nLast date to apply: 31-Mar-2022\n\nAt Acme we run Go.\n")
    assert posting.valid_through.isoformat() == "2022-03-31T23:59:59+00:00"
    assert not posting.is_open(NOW)


def test_layout_blocks_part_lines_of_text():
    posting, _ = read(json.dumps({**LEVER, "description": "<div><b>About Fenwick Data</b></div>"
                                  "<div>Fenwick Data sells feeds.</div>"}))  # fmt: skip
    assert "About Fenwick Data" in posting.description_html
    assert posting.company == "Fenwick Data"


def test_a_company_and_place_line_below_the_title():
    ad = "Senior DevOps Engineer\nZürcher Rechenwerk AG · Zürich / Remote (Switzerland)\n\nHi\n"
    posting, _ = read(ad.encode("latin-1"))
    assert (posting.company, [r.slug for r in posting.regions]) == (
        "Zürcher Rechenwerk AG", ["switzerland"]
    )  # fmt: skip


def test_a_possessive_is_not_part_of_the_company():
    ad = "---\ntitle: SRE\n---\nWe run Azure.\n\nJoin Halvard Insurance's cloud team.\n"
    assert read(ad)[0].company == "Halvard Insurance"


def test_a_hiring_systems_account_is_spelt_as_the_ad_spells_the_whole_name():
    ad = (
        "---\ntitle: SRE\n---\nBrumaire Logiciels édite un logiciel de paie.\n\n"
        "Chez Brumaire Logiciels, on aime Go.\n\nhttps://jobs.lever.co/brumaire/1f2e\n"
    )
    assert read(ad)[0].company == "Brumaire Logiciels"


def test_no_placeholder_reaches_any_page_feed_or_json_ld(content, tmp_path):
    (content / "none.txt").write_text("# SRE\n\n### None\n\nWe run our own servers in Go.\n")
    (content / "fr.txt").write_text(
        "---\ntitle: Ingénieur SRE\ncompany: Brumaire\nregions: [France]\n---\nNous recherchons "
        "une ingénieure ou un ingénieur pour faire tourner notre plateforme de paie, utilisée "
        "par quatre mille entreprises françaises, et pour améliorer nos astreintes.\n"
    )
    refused = build_site(content, tmp_path / "refused")
    assert not refused.written  # no company is an error…
    result = build_site(content, tmp_path / "site", keep_going=True)  # …built all the same
    assert result.written and result.statuses["marked"] == 1
    for path in (tmp_path / "site").rglob("*"):
        if path.suffix in {".html", ".xml", ".json"}:
            text = path.read_text(encoding="utf-8")
            assert "Unknown company" not in text and ">None<" not in text, path
            assert '"name": "None"' not in text and "<author><name>None" not in text, path
    [unnamed] = [p for p in result.postings if not p.company]
    page = (tmp_path / "site" / unnamed.path / "index.html").read_text()
    assert "application/ld+json" not in page and "Apply at" not in page
    french = next(p for p in result.postings if p.company == "Brumaire")
    page = (tmp_path / "site" / french.path / "index.html").read_text()
    assert '<div class="description" lang="fr">' in page and "application/ld+json" in page
