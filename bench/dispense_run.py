"""One side of bench/dispense.py: in the source tree given, on a fresh SQLite file, a doctor
writes prescriptions and a contracted pharmacy delivers them through the provider API; each
delivery's time is printed as JSON. Run by bench/dispense.py, once for the baseline's tree and once
for this one, so that both sides share this driver and differ only in `server`.

Only what both trees have is used: `server`, tests/families.py and the commands `provider create`,
`import`, `catalogue import` and `interactions import` (and, where the tree has them,
`tariffs import` and `centre contract`: the side with money prices its deliveries).
"""

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
TODAY = "2026-11-22"
WRITTEN = {
    "national_code": "0012345679",  # Ali, the Rezaei family's main insured (tests/families.py)
    "written_on": TODAY,
    "type": "drug",
    "diagnosis": "عفونت حاد گلو",
    "items": [
        {"code": "D1001", "name": "آموکسی‌سیلین ۵۰۰ میلی‌گرم", "quantity": 3},
        {"code": "D1002", "name": "متفورمین ۵۰۰ میلی‌گرم", "quantity": 60},
    ],
    # Each round writes Ali's usual drugs again: the duplicate findings, acknowledged.
    "acknowledged_interactions": [
        {"id": "D1001:D1001:amoxicillin", "reason": "تمدید نسخه"},
        {"id": "D1002:D1002:metformin", "reason": "تمدید نسخه"},
    ],
}
DELIVERED = {"items": [{"code": "D1001", "quantity": 3}, {"code": "D1002", "quantity": 60}]}


class Registry:
    """The registry files of tests/families.py, imported with the real command."""

    def __init__(self, runner, folder: Path) -> None:
        self.runner, self.folder = runner, folder

    def write(self, name: str, header: str, *rows: str) -> Path:
        """One CSV file."""
        path = self.folder / name
        path.write_text("\n".join((header, *rows)) + "\n", encoding="utf-8")
        return path

    def load(self):
        """`darman import` of the folder."""
        return self.runner.invoke(args=["darman", "import", str(self.folder)])


def command(runner, *args: str) -> str:
    """A `darman` command; its output, or exit when it failed."""
    result = runner.invoke(args=["darman", *args])
    if result.exit_code != 0:
        sys.exit(f"darman {' '.join(args)} failed: {result.output}")
    return result.output.strip()


def prepare(app, folder: Path) -> tuple[str, str]:
    """The family, the shipped catalogue (priced where the tree has prices), a doctor and a
    contracted pharmacy; their tokens."""
    import families

    from server.catalogue.importer import SHIPPED_CATALOGUE

    runner = app.test_cli_runner()
    (folder / "registry").mkdir()
    families.load(Registry(runner, folder / "registry"))
    command(runner, "catalogue", "import", str(SHIPPED_CATALOGUE))
    command(runner, "interactions", "import", str(SHIPPED_CATALOGUE.parent / "interactions.csv"))
    names = set(app.cli.commands["darman"].commands)
    if "tariffs" in names:
        command(runner, "tariffs", "import")
    doctor = command(runner, "provider", "create", "مطب دکتر احمدی", "--kind", "doctor")
    pharmacy = command(runner, "provider", "create", "داروخانه رازی", "--kind", "pharmacy")
    if "contract" in app.cli.commands["darman"].commands["centre"].commands:
        command(runner, "centre", "contract", pharmacy_id(app), "--from", "2024-03-20")
    return doctor, pharmacy


def pharmacy_id(app) -> str:
    """The pharmacy's id (the last centre made)."""
    from sqlalchemy import text

    from server.extensions import db

    with app.app_context():
        return str(db.session.execute(text("SELECT max(id) FROM provider")).scalar_one())


def deliveries(app, doctor: str, pharmacy: str, rounds: int) -> tuple[list[float], bool]:
    """ROUNDS prescriptions written and delivered whole; each delivery's milliseconds, and
    whether every delivery was priced with a share for SSO."""
    client = app.test_client()
    asked = {"national_code": WRITTEN["national_code"]}
    timings, priced = [], True
    for _ in range(rounds):
        for token, url, body in (
            (doctor, "/api/provider/eligibility", asked),
            (doctor, "/api/provider/prescriptions", WRITTEN),
        ):
            response = client.post(url, json=body, headers={"Authorization": f"Bearer {token}"})
            if response.status_code not in (200, 201):
                sys.exit(f"{url}: {response.status_code} {response.get_data(as_text=True)}")
        url = f"/api/provider/prescriptions/{response.get_json()['code']}/dispense"
        started = time.perf_counter()
        answer = client.post(url, json=DELIVERED, headers={"Authorization": f"Bearer {pharmacy}"})
        timings.append((time.perf_counter() - started) * 1000)
        if answer.status_code != 200:
            sys.exit(f"dispense: {answer.status_code} {answer.get_data(as_text=True)}")
        priced = priced and bool((answer.get_json().get("totals") or {}).get("sso_share"))
    return timings, priced


def main() -> None:
    """Prepare, deliver, print the timings and whether the deliveries were priced."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tree", required=True, help="the source tree whose `server` to run")
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    tree = Path(args.tree).resolve()
    sys.path[:0] = [str(tree), str(tree / "tests"), str(BENCH)]
    from common import fresh_app, sqlite_url

    app = fresh_app(sqlite_url(f"dispense-{tree.name}.sqlite3"), TODAY)
    app.config.update(TESTING=True, DARMAN_SMS_BACKEND="file:/dev/null")
    with tempfile.TemporaryDirectory() as folder:
        doctor, pharmacy = prepare(app, Path(folder))
    timings, priced = deliveries(app, doctor, pharmacy, args.rounds)
    print(json.dumps({"milliseconds": timings, "priced": priced}))


if __name__ == "__main__":
    main()
