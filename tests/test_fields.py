"""Unit tests for builder.fields: dates, salaries, employment types, regions and remoteness."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from builder import places
from builder.fields import (
    employment_type_in_text,
    is_remote_text,
    parse_date,
    parse_employment_type,
    regions_in,
)
from builder.model import Region, Salary
from builder.pay import parse_salary, salary_from_jsonld
from builder.places import region_named, regions_named

EN_DASH = "\u2013"
MINUS = "\u2212"

# --- parse_date --------------------------------------------------------------------------


def test_parse_date_keeps_an_explicit_offset():
    moment = parse_date("2024-05-01T10:00:00+02:00")
    assert moment.utcoffset() == timedelta(hours=2)
    assert moment == datetime(2024, 5, 1, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize("value", ["2024-05-01T10:00:00Z", "2024-05-01T10:00:00.000Z"])
def test_parse_date_reads_z_as_utc(value):
    moment = parse_date(value)
    assert moment.utcoffset() == timedelta(0)
    assert moment == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize("value", ["2024-05-01T10:00:00", "2024-05-01 10:00"])
def test_parse_date_treats_a_time_without_zone_as_utc(value):
    moment = parse_date(value)
    assert moment.tzinfo is not None
    assert moment == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)


def test_parse_date_reads_an_rfc_2822_date():
    moment = parse_date("Tue, 20 Feb 2019 09:34:22 -0800")
    assert moment == datetime(2019, 2, 20, 17, 34, 22, tzinfo=UTC)


@pytest.mark.parametrize("value", ["2024-05-01", "  2024-05-01  ", date(2024, 5, 1)])
def test_parse_date_reads_a_bare_date_as_the_start_of_that_day(value):
    assert parse_date(value) == datetime(2024, 5, 1, tzinfo=UTC)


@pytest.mark.parametrize("value", ["2024-05-01", "  2024-05-01  ", date(2024, 5, 1)])
def test_parse_date_end_of_day_gives_the_last_second_of_a_bare_date(value):
    assert parse_date(value, end_of_day=True) == datetime(2024, 5, 1, 23, 59, 59, tzinfo=UTC)


@pytest.mark.parametrize(
    "value", ["2024-05-01T10:00:00Z", datetime(2024, 5, 1, 10, 0), "2024-05-01T10:00:00"]
)
def test_parse_date_end_of_day_leaves_a_given_time_alone(value):
    assert parse_date(value, end_of_day=True) == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)


def test_parse_date_reads_a_naive_yaml_datetime_as_utc():
    moment = parse_date(datetime(2024, 5, 1, 9, 30))
    assert moment.utcoffset() == timedelta(0)
    assert moment == datetime(2024, 5, 1, 9, 30, tzinfo=UTC)


def test_parse_date_keeps_the_zone_of_an_aware_yaml_datetime():
    pacific = timezone(timedelta(hours=-8))
    moment = parse_date(datetime(2024, 5, 1, 9, 30, tzinfo=pacific))
    assert moment.utcoffset() == timedelta(hours=-8)
    assert moment == datetime(2024, 5, 1, 17, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    "value",
    ["not a date", "ASAP", "N/A", "open until filled", "", "   ", None, 12345, ["2024-05-01"]],
)
def test_parse_date_returns_none_for_garbage(value):
    assert parse_date(value) is None


@pytest.mark.parametrize("value", ["2024-02-30", "2024-13-45"])
def test_parse_date_returns_none_for_an_impossible_calendar_date(value):
    assert parse_date(value) is None
    assert parse_date(value, end_of_day=True) is None


@pytest.mark.parametrize("value", ["Monday", "3"])
def test_parse_date_does_not_invent_a_date_from_a_fragment(value):
    assert parse_date(value) is None


@pytest.mark.parametrize("value", ["May 3, 2024", "2024/05/03"])
def test_parse_date_end_of_day_applies_to_any_bare_date(value):
    assert parse_date(value, end_of_day=True) == datetime(2024, 5, 3, 23, 59, 59, tzinfo=UTC)


# --- parse_salary ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("€90,000 - €115,000 EUR", Salary("EUR", 90_000, 115_000, "YEAR")),
        (f"$120k{EN_DASH}150k", Salary("USD", 120_000, 150_000, "YEAR")),
        (f"$120{EN_DASH}150k", Salary("USD", 120_000, 150_000, "YEAR")),
        ("USD $103,600~$103,600", Salary("USD", 103_600, 103_600, "YEAR")),
        ("$60/hour", Salary("USD", 60, 60, "HOUR")),
        ("$45 - $60 per hour", Salary("USD", 45, 60, "HOUR")),
        ("$75.50 an hour", Salary("USD", 75.5, 75.5, "HOUR")),
        ("£50k", Salary("GBP", 50_000, 50_000, "YEAR")),
        ("90.000 € per year", Salary("EUR", 90_000, 90_000, "YEAR")),
        ("EUR 60.000 - 80.000", Salary("EUR", 60_000, 80_000, "YEAR")),
        ("100 000 - 120 000 SEK", Salary("SEK", 100_000, 120_000, "YEAR")),
        ("$95,000.00 - $120,000.00", Salary("USD", 95_000, 120_000, "YEAR")),
        ("$120,000 to $140,000 annually", Salary("USD", 120_000, 140_000, "YEAR")),
        ("Salary: 65,000-75,000 GBP", Salary("GBP", 65_000, 75_000, "YEAR")),
        ("eur 60k", Salary("EUR", 60_000, 60_000, "YEAR")),
        ("C$ 90k", Salary("CAD", 90_000, 90_000, "YEAR")),
        ("$1.5M", Salary("USD", 1_500_000, 1_500_000, "YEAR")),
        ("£400/day", Salary("GBP", 400, 400, "DAY")),
        ("$2.5k/week", Salary("USD", 2_500, 2_500, "WEEK")),
        ("$5,000/mo", Salary("USD", 5_000, 5_000, "MONTH")),
        ("5000 PLN monthly", Salary("PLN", 5_000, 5_000, "MONTH")),
    ],
)
def test_parse_salary_reads_currency_range_and_period(text, expected):
    assert parse_salary(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "90,000 - 115,000",  # no currency
        "Competitive salary",  # no amount
        "Paid in USD, depending on experience",  # currency but no amount
        "$0",
        "EUR",
        "",
        None,
    ],
)
def test_parse_salary_returns_none_without_currency_and_amount(text):
    assert parse_salary(text) is None


def test_parse_salary_passes_a_salary_through():
    salary = Salary("USD", 1, 2, "HOUR")
    assert parse_salary(salary) is salary


@pytest.mark.parametrize(
    "text",
    ["$120k-$150k + 10% bonus", "$120,000 - $150,000 + equity, 401(k)"],
)
def test_parse_salary_ignores_numbers_that_are_not_pay(text):
    assert parse_salary(text) == Salary("USD", 120_000, 150_000, "YEAR")


def test_parse_salary_reads_cents_after_thousands_separators():
    assert parse_salary("$100,000.50") == Salary("USD", 100_000.5, 100_000.5, "YEAR")


# --- salary_from_jsonld ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            {
                "@type": "MonetaryAmount",
                "currency": "USD",
                "value": {
                    "@type": "QuantitativeValue",
                    "minValue": 100000,
                    "maxValue": 140000,
                    "unitText": "YEAR",
                },
            },
            Salary("USD", 100_000, 140_000, "YEAR"),
        ),
        (
            {"currency": "eur", "value": {"value": 55, "unitText": "hour"}},
            Salary("EUR", 55, 55, "HOUR"),
        ),
        (
            {
                "currency": "GBP",
                "value": {"minValue": "4,000", "maxValue": "5,000", "unitText": "MONTH"},
            },
            Salary("GBP", 4_000, 5_000, "MONTH"),
        ),
        ({"currency": "USD", "value": 90000}, Salary("USD", 90_000, 90_000, "YEAR")),
        ({"currency": "USD", "value": "90,000"}, Salary("USD", 90_000, 90_000, "YEAR")),
        ({"currency": "USD", "value": {"minValue": 80000}}, Salary("USD", 80_000, 80_000, "YEAR")),
        ("$100k", Salary("USD", 100_000, 100_000, "YEAR")),
    ],
)
def test_salary_from_jsonld_reads_a_monetary_amount(value, expected):
    assert salary_from_jsonld(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        {"value": {"minValue": 100000, "maxValue": 140000, "unitText": "YEAR"}},
        {"currency": "", "value": 90000},
        {"currency": "USD"},
        {"currency": "USD", "value": {"minValue": "competitive"}},
        None,
    ],
)
def test_salary_from_jsonld_returns_none_without_currency_or_amount(value):
    assert salary_from_jsonld(value) is None


def test_salary_from_jsonld_reads_a_maximum_without_minimum():
    value = {"currency": "USD", "value": {"maxValue": 150000, "unitText": "YEAR"}}
    assert salary_from_jsonld(value) == Salary("USD", 150_000, 150_000, "YEAR")


def test_salary_from_jsonld_treats_zero_placeholders_as_no_salary():
    value = {"currency": "USD", "value": {"minValue": 0, "maxValue": 0, "unitText": "YEAR"}}
    assert salary_from_jsonld(value) is None


# --- employment type ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Full-time", "FULL_TIME"),
        ("full time", "FULL_TIME"),
        ("FULL_TIME", "FULL_TIME"),
        ("Permanent", "FULL_TIME"),
        ("Part Time", "PART_TIME"),
        (["PART_TIME"], "PART_TIME"),
        (["CONTRACTOR", "FULL_TIME"], "CONTRACTOR"),
        ("contract", "CONTRACTOR"),
        ("Contractor", "CONTRACTOR"),
        ("freelance", "CONTRACTOR"),
        ("Temporary", "TEMPORARY"),
        ("Internship", "INTERN"),
        ("intern", "INTERN"),
        ("Volunteer", "VOLUNTEER"),
        ("per diem", "PER_DIEM"),
        ("Seasonal", "OTHER"),
        ("International", "OTHER"),  # not an intern
        ("", None),
        (None, None),
        ([], None),
    ],
)
def test_parse_employment_type(value, expected):
    assert parse_employment_type(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("This is a full-time role.", "FULL_TIME"),
        ("Full Time position", "FULL_TIME"),
        ("Part time, 20 hours a week", "PART_TIME"),
        ("We are a full stack team", None),
        ("fulltime", None),
        ("a contract role", None),  # only an explicit full-time or part-time counts
        ("no part-timers", None),
        ("", None),
    ],
)
def test_employment_type_in_text(text, expected):
    assert employment_type_in_text(text) == expected


# --- regions -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Remote (US / Canada)", ("United States", "Canada")),
        ("Remote (UTC-5 to UTC+3)", ("North America", "Latin America", "Europe", "Africa")),
        (f"UTC{MINUS}8 to UTC{MINUS}5", ("North America", "Latin America")),
        ("UTC+05:30 to UTC+10:00", ("Asia-Pacific",)),
        ("join us remotely", ()),
        ("Trust us", ()),
        ("us-east-1", ()),
        ("EMEA", ("Europe", "Middle East", "Africa")),  # not Europe alone
        ("APAC", ("Asia-Pacific",)),
        ("Remote (North, Central or South America)", ("North America", "Latin America")),
        ("Located in North America", ("North America",)),
        ("anywhere in US timezones", ("United States",)),  # not worldwide
        ("Chile, Remote", ("Chile",)),
        ("Ukraine/Europe", ("Ukraine", "Europe")),
        ("REMOTE (US Only)", ("United States",)),
        ("télétravail depuis la France", ("France",)),
        ("DACH", ("Germany", "Austria", "Switzerland")),
        ("Remote (IT department)", ()),  # codes only with codes=True
        ("Anywhere in the world", ("Worldwide",)),
        ("U.S. only", ("United States",)),
        ("Remote - USA", ("United States",)),
        ("Remote, UK or EU", ("United Kingdom", "European Union")),  # the order named
        ("Remote: Germany, France", ("Germany", "France")),
        ("Remote - Latam", ("Latin America",)),
        ("Remote (Brasil)", ("Brazil",)),
        ("Australia / New Zealand", ("Australia", "New Zealand")),
        ("On-site in Berlin", ()),
        ("", ()),
    ],
)
def test_regions_in(text, expected):
    assert tuple(region.name for region in regions_in(text)) == expected


def test_regions_in_gives_countries_their_kind_and_the_areas_around_them():
    assert regions_in("Remote (US / Canada)") == (
        Region("United States", "united-states", "Country", ("north-america",)),
        Region("Canada", "canada", "Country", ("north-america",)),
    )
    assert regions_in("Remote (US / Canada)")[0].within == ("north-america",)
    assert places.countries()["DE"].within == ("europe", "european-union")


def test_regions_in_reads_iso_codes_only_when_asked():
    assert [r.slug for r in regions_in("Berlin, DE", codes=True)] == ["germany"]
    assert [r.slug for r in regions_in("US, CA, MEX", codes=True)] == [
        "united-states",
        "canada",
        "mexico",
    ]
    assert regions_in("Berlin, DE") == ()


def test_regions_in_reads_usa_with_dots():
    assert [region.slug for region in regions_in("Remote in the U.S.A.")] == ["united-states"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("United Kingdom", Region("United Kingdom", "united-kingdom", "Country")),
        ("UK", Region("United Kingdom", "united-kingdom", "Country")),
        ("usa", Region("United States", "united-states", "Country")),
        ("Europe", Region("Europe", "europe", "AdministrativeArea")),
        ("DE", Region("Germany", "germany", "Country")),
        ("CAN", Region("Canada", "canada", "Country")),
        ("Worldwide", Region("Worldwide", "worldwide", "AdministrativeArea")),
    ],
)
def test_region_named_maps_a_known_name_to_its_table_entry(name, expected):
    assert region_named(name) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Nordics", ["denmark", "finland", "iceland", "norway", "sweden"]),
        ("  DACH region ", ["germany", "austria", "switzerland"]),
        ("US and Canada", ["united-states", "canada"]),
        ("EMEA", ["europe", "middle-east", "africa"]),
        ("['Canada', 'United States']", ["canada", "united-states"]),
    ],
)
def test_regions_named_expands_groupings_and_lists(name, expected):
    assert [region.slug for region in regions_named(name)] == expected
    assert region_named(name) is None  # not one region


@pytest.mark.parametrize("name", ["!!!", "", "[]", "Germny", "Mars colony", "Germany office"])
def test_a_name_that_is_no_region_gives_none(name):
    assert regions_named(name) == ()
    assert region_named(name) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Remote", True),
        ("remote-first", True),
        ("Remote (US / Canada)", True),
        ("Anywhere", True),
        ("Worldwide", True),
        ("Work from home", True),
        ("Telecommuting OK", True),
        ("WFH", True),
        ("Hybrid - Berlin", False),
        ("On-site, NYC", False),
        ("remoteness", False),
        ("", False),
    ],
)
def test_is_remote_text(text, expected):
    assert is_remote_text(text) is expected
