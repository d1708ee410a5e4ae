"""The Rezaei family: a small registry that the API tests import through the real command.

On 1 Azar 1405 (2026-11-22, the tests' pinned date): Ali is a worker paid for Mehr and Aban
1405 (60 days: cover to 30 Azar 1405 = 2026-12-21); Zahra, his wife, is covered with him; Mohammad,
21, has no student certificate; Sara, 10, is covered; Ali's father Hossein, 62, is covered; a son
was born to Zahra on 2026-11-12.
"""

INSURED = "0012345679"
WIFE = "0023456787"
SON = "0034567895"
DAUGHTER = "0045678911"
FATHER = "0056789122"
UNKNOWN = "0067891233"  # valid, not in the registry
INSURED_MOBILE = "09121234567"
WIFE_MOBILE = "09127654321"

FILES = {
    "persons.csv": (
        "national_code,first_name,last_name,birth_date,sex,mobile,death_date",
        f"{INSURED},علی,رضایی,1980-05-10,M,{INSURED_MOBILE},",
        f"{WIFE},زهرا,رضایی,1985-03-03,F,{WIFE_MOBILE},",
        f"{SON},محمد,رضایی,2005-01-15,M,09131111111,",
        f"{DAUGHTER},سارا,رضایی,2016-06-01,F,,",
        f"{FATHER},حسین,رضایی,1964-02-01,M,09141111111,",
    ),
    "insured.csv": (
        "national_code,insurance_number,kind,start_date,end_date",
        f"{INSURED},1234567890,worker,2025-01-01,",
    ),
    "dependants.csv": (
        "insured_national_code,national_code,relation,start_date,end_date",
        f"{INSURED},{WIFE},spouse,2010-01-01,",
        f"{INSURED},{SON},child,2005-01-15,",
        f"{INSURED},{DAUGHTER},child,2016-06-01,",
        f"{INSURED},{FATHER},parent,2015-01-01,",
    ),
    "contributions.csv": (
        "national_code,jalali_year,jalali_month,days,workshop_code",
        f"{INSURED},1405,7,30,W1",
        f"{INSURED},1405,8,30,W1",
    ),
    "births.csv": ("mother_national_code,birth_date,sex", f"{WIFE},2026-11-12,M"),
}


def load(registry) -> None:
    """Write the files and import them."""
    for name, lines in FILES.items():
        registry.write(name, *lines)
    result = registry.load()
    assert result.exit_code == 0, result.output + result.stderr
