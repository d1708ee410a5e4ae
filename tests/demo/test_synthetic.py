"""The synthetic registry: the CSV files of DESIGN §5, every case of §3, deterministic."""

import collections
import csv
import datetime
import pathlib
from dataclasses import dataclass

import jdatetime
import pytest

from server.demo.registry import HEADERS, write_registry_csv
from server.domain.national_code import normalise

TODAY = datetime.date(2025, 11, 22)
PEOPLE = 2000
REQUIRED_SAMPLES = (
    "covered_worker",
    "worker_no_recent_contributions",
    "son_19_without_certificate",
    "daughter_18_unmarried_verified",
    "pensioner_pension_ended",
    "mother_of_newborn",
    "deceased",
    "over_65",
    "husband_under_60",
)


@dataclass
class Files:
    """The rows of each generated file, read back with csv.DictReader."""

    directory: pathlib.Path
    rows: dict[str, list[dict[str, str]]]
    samples: dict[str, dict[str, str]]

    def __getitem__(self, name: str) -> list[dict[str, str]]:
        return self.rows[name]

    def persons(self) -> dict[str, dict[str, str]]:
        """Persons by national code."""
        return {row["national_code"]: row for row in self.rows["persons.csv"]}

    def documents(self, kind: str) -> set[str]:
        """National codes holding a document of this kind."""
        return {row["national_code"] for row in self.rows["documents.csv"] if row["kind"] == kind}


def _read(directory: pathlib.Path, name: str) -> list[dict[str, str]]:
    """The rows of one file."""
    with (directory / name).open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def _age(birth_date: str, on: datetime.date = TODAY) -> int:
    """Full years on a date."""
    born = datetime.date.fromisoformat(birth_date)
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Files:
    """One registry of 2000 people, generated once for the module."""
    directory = tmp_path_factory.mktemp("registry")
    stats = write_registry_csv(directory, PEOPLE, today=TODAY)
    rows = {name: _read(directory, name) for name in HEADERS}
    for name, count in (("persons.csv", stats.persons), ("contributions.csv", stats.contributions)):
        assert len(rows[name]) == count
    return Files(directory, rows, stats.samples)


def _children(files: Files, sex: str) -> list[dict[str, str]]:
    """Persons linked as a child, of one sex."""
    persons = files.persons()
    codes = {row["national_code"] for row in files["dependants.csv"] if row["relation"] == "child"}
    return [persons[code] for code in codes if persons[code]["sex"] == sex]


def test_files_have_the_design_headers(files: Files) -> None:
    for name, header in HEADERS.items():
        with (files.directory / name).open(encoding="utf-8") as stream:
            assert stream.readline().rstrip("\n").split(",") == list(header)
    assert list(HEADERS["persons.csv"]) == [
        "national_code",
        "first_name",
        "last_name",
        "birth_date",
        "sex",
        "mobile",
        "death_date",
    ]


@pytest.mark.parametrize("people", [1, 8, 99, 100, 257])
def test_writes_exactly_the_people_asked(tmp_path: pathlib.Path, people: int) -> None:
    stats = write_registry_csv(tmp_path, people, today=TODAY, seed=people)
    assert stats.persons == people
    assert len(_read(tmp_path, "persons.csv")) == people


def test_national_codes_are_valid_and_unique(files: Files) -> None:
    codes = [row["national_code"] for row in files["persons.csv"]]
    assert len(set(codes)) == len(codes) == PEOPLE
    assert all(normalise(code) == code for code in codes)
    assert all(len(set(code)) > 1 for code in codes)
    foreign = [code for code in codes if len(code) == 12]
    assert 1 <= len(foreign) <= 0.02 * PEOPLE


def test_every_row_refers_to_a_person(files: Files) -> None:
    persons = files.persons()
    references = [
        ("insured.csv", "national_code"),
        ("dependants.csv", "insured_national_code"),
        ("dependants.csv", "national_code"),
        ("contributions.csv", "national_code"),
        ("documents.csv", "national_code"),
        ("births.csv", "mother_national_code"),
    ]
    for name, column in references:
        assert {row[column] for row in files[name]} <= persons.keys(), (name, column)


def test_dependants_link_to_a_main_insured(files: Files) -> None:
    insured = {row["national_code"] for row in files["insured.csv"]}
    assert {row["insured_national_code"] for row in files["dependants.csv"]} <= insured


def test_every_kind_relation_and_sex_occurs(files: Files) -> None:
    assert {row["kind"] for row in files["insured.csv"]} == {
        "worker",
        "self_employed",
        "voluntary",
        "pensioner",
        "unemployment",
    }
    assert {row["relation"] for row in files["dependants.csv"]} == {"spouse", "child", "parent"}
    assert {row["kind"] for row in files["documents.csv"]} == {
        "student_certificate",
        "unmarried_verified",
        "disability",
    }
    assert {row["sex"] for row in files["persons.csv"]} == {"M", "F"}
    assert {row["sex"] for row in files["births.csv"]} == {"M", "F"}


def test_dates_are_iso_or_empty(files: Files) -> None:
    columns = {
        "persons.csv": ("birth_date", "death_date"),
        "insured.csv": ("start_date", "end_date"),
        "dependants.csv": ("start_date", "end_date"),
        "documents.csv": ("valid_from", "valid_until"),
        "births.csv": ("birth_date",),
    }
    for name, (required, *optional) in columns.items():
        for row in files[name]:
            datetime.date.fromisoformat(row[required])
            for column in optional:
                assert row[column] == "" or datetime.date.fromisoformat(row[column])


def test_periods_do_not_end_before_they_start(files: Files) -> None:
    periods = {
        "persons.csv": ("birth_date", "death_date"),
        "insured.csv": ("start_date", "end_date"),
        "dependants.csv": ("start_date", "end_date"),
        "documents.csv": ("valid_from", "valid_until"),
    }
    for name, (start, end) in periods.items():
        assert all(row[end] == "" or row[start] <= row[end] for row in files[name]), name


def test_adults_have_unique_mobiles_and_minors_none(files: Files) -> None:
    adults = [row for row in files["persons.csv"] if _age(row["birth_date"]) >= 18]
    minors = [row for row in files["persons.csv"] if _age(row["birth_date"]) < 18]
    mobiles = [row["mobile"] for row in adults]
    assert len(set(mobiles)) == len(mobiles)
    assert all(
        len(mobile) == 11 and mobile.startswith("09") and mobile.isdigit() for mobile in mobiles
    )
    assert minors and all(row["mobile"] == "" for row in minors)


def test_insurance_numbers_are_unique_ten_digits(files: Files) -> None:
    numbers = [row["insurance_number"] for row in files["insured.csv"]]
    assert len(set(numbers)) == len(numbers)
    assert all(len(number) == 10 and number.isdigit() for number in numbers)


def test_sons_over_19_with_and_without_student_certificate(files: Files) -> None:
    certified = files.documents("student_certificate")
    sons = [row["national_code"] for row in _children(files, "M") if _age(row["birth_date"]) >= 19]
    assert any(code in certified for code in sons)
    assert any(code not in certified for code in sons)


def test_sons_on_both_sides_of_their_19th_birthday(files: Files) -> None:
    month = datetime.timedelta(days=31)
    sons = [row["birth_date"] for row in _children(files, "M")]
    assert any(_age(born) == 18 and _age(born, TODAY + month) == 19 for born in sons)
    assert any(_age(born) == 19 and _age(born, TODAY - month) == 18 for born in sons)


def test_daughters_over_18_with_and_without_unmarried_verified(files: Files) -> None:
    verified = files.documents("unmarried_verified")
    daughters = [
        row["national_code"] for row in _children(files, "F") if _age(row["birth_date"]) >= 18
    ]
    assert any(code in verified for code in daughters)
    assert any(code not in verified for code in daughters)


def test_children_of_every_age(files: Files) -> None:
    ages = {_age(row["birth_date"]) for sex in "MF" for row in _children(files, sex)}
    assert {0, 5, 12, 17, 18, 19, 22, 25} <= ages


def test_parents_and_husbands_on_both_sides_of_the_age_limits(files: Files) -> None:
    persons = files.persons()
    ages: dict[tuple[str, str], set[int]] = collections.defaultdict(set)
    for link in files["dependants.csv"]:
        person = persons[link["national_code"]]
        ages[link["relation"], person["sex"]].add(_age(person["birth_date"]))
    assert 59 in ages["parent", "M"] and any(age >= 60 for age in ages["parent", "M"])
    assert 54 in ages["parent", "F"]
    assert any(age >= 55 for age in ages["parent", "F"])
    assert any(age < 60 for age in ages["spouse", "M"]) and any(
        age >= 60 for age in ages["spouse", "M"]
    )
    disabled = files.documents("disability")
    assert any(
        link["national_code"] in disabled
        for link in files["dependants.csv"]
        if link["relation"] == "parent"
    )


def test_births_recent_older_and_on_a_31st(files: Files) -> None:
    born = [datetime.date.fromisoformat(row["birth_date"]) for row in files["births.csv"]]
    assert all(day <= TODAY for day in born)
    assert any((TODAY - day).days < 30 for day in born)
    assert any((TODAY - day).days > 31 for day in born)
    assert any(jdatetime.date.fromgregorian(date=day).day == 31 for day in born)
    mothers = {row["mother_national_code"] for row in files["births.csv"]}
    persons = files.persons()
    assert all(persons[code]["sex"] == "F" for code in mothers)
    wives = {row["national_code"] for row in files["dependants.csv"] if row["relation"] == "spouse"}
    insured = {row["national_code"] for row in files["insured.csv"]}
    assert mothers <= wives | insured


def test_deceased_and_people_over_65(files: Files) -> None:
    persons = files["persons.csv"]
    assert any(row["death_date"] for row in persons)
    assert all(row["death_date"] <= TODAY.isoformat() for row in persons if row["death_date"])
    assert any(_age(row["birth_date"]) >= 65 for row in persons)


def test_pensions_active_and_ended(files: Files) -> None:
    pensions = [row for row in files["insured.csv"] if row["kind"] == "pensioner"]
    assert any(row["end_date"] == "" for row in pensions)
    assert any(row["end_date"] and row["end_date"] < TODAY.isoformat() for row in pensions)


def test_contribution_rows_obey_the_format(files: Files) -> None:
    rows = files["contributions.csv"]
    keys = [
        (r["national_code"], r["jalali_year"], r["jalali_month"], r["workshop_code"]) for r in rows
    ]
    assert len(set(keys)) == len(keys)
    assert all(0 <= int(row["days"]) <= 31 for row in rows)
    assert all(1 <= int(row["jalali_month"]) <= 12 for row in rows)
    assert all(len(row["workshop_code"]) == 10 and row["workshop_code"].isdigit() for row in rows)
    assert any(row["days"] == "0" for row in rows)
    contributors = {row["national_code"] for row in rows}
    assert len(rows) / len(contributors) <= 30


def _months_ago(year: int, month: int) -> int:
    """How many Jalali months before TODAY's month this month is."""
    now = jdatetime.date.fromgregorian(date=TODAY)
    return (now.year - year) * 12 + now.month - month


def test_workers_in_every_continuation_band(files: Files) -> None:
    days: collections.Counter[str] = collections.Counter()
    last_paid: dict[str, int] = {}
    for row in files["contributions.csv"]:
        code, paid = row["national_code"], int(row["days"])
        days[code] += paid
        if paid:
            ago = _months_ago(int(row["jalali_year"]), int(row["jalali_month"]))
            last_paid[code] = min(ago, last_paid.get(code, ago))
    workers = [row["national_code"] for row in files["insured.csv"] if row["kind"] == "worker"]
    bands = {
        next(i for i, limit in enumerate((1, 2, 5, 10, 999)) if days[c] / 360 < limit)
        for c in workers
    }
    assert bands == {0, 1, 2, 3, 4}
    assert any(last_paid[code] >= 24 for code in workers)
    assert any(last_paid[code] <= 1 for code in workers)


def test_samples_name_people_with_their_own_mobile(files: Files) -> None:
    persons = files.persons()
    assert set(REQUIRED_SAMPLES) <= files.samples.keys()
    for key, sample in files.samples.items():
        assert persons[sample["national_code"]]["mobile"] == sample["mobile"], key


def test_samples_are_what_their_names_say(files: Files) -> None:
    persons = files.persons()

    def person(key: str) -> dict[str, str]:
        return persons[files.samples[key]["national_code"]]

    assert _age(person("son_19_without_certificate")["birth_date"]) == 19
    assert files.samples["son_19_without_certificate"]["national_code"] not in files.documents(
        "student_certificate"
    )
    assert files.samples["daughter_18_unmarried_verified"]["national_code"] in files.documents(
        "unmarried_verified"
    )
    assert person("deceased")["death_date"]
    assert _age(person("over_65")["birth_date"]) >= 65
    assert _age(person("husband_under_60")["birth_date"]) < 60
    mothers = {row["mother_national_code"] for row in files["births.csv"]}
    assert files.samples["mother_of_newborn"]["national_code"] in mothers
    assert len(files.samples["foreign_worker"]["national_code"]) == 12


def test_same_seed_writes_the_same_bytes(tmp_path: pathlib.Path) -> None:
    for name in ("a", "b", "c"):
        write_registry_csv(tmp_path / name, 500, today=TODAY, seed=7 if name != "c" else 8)
    for file in HEADERS:
        first, again, other = ((tmp_path / name / file).read_bytes() for name in "abc")
        assert first == again
        assert first != other
