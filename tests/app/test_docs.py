"""The docs stay true: a short README, links that lead somewhere, a package map true to the tree,
the API table true to the app's OpenAPI document, and demo people who exist."""

import datetime
import importlib.util
import re
import subprocess
from pathlib import Path

from server.demo.registry import SCRIPTED_PEOPLE, write_registry_csv

ROOT = Path(__file__).resolve().parents[2]
DOCS = sorted((ROOT / "docs").glob("*.md"))
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
MAP_ROW = re.compile(r"^\| `(server/[^`]+)` \|", re.MULTILINE)


def _api_doc():
    """scripts/api_doc.py, loaded as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("api_doc", ROOT / "scripts" / "api_doc.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _anchors(markdown: str) -> set[str]:
    """The anchors GitHub makes of a file's headings (lower case, punctuation dropped)."""
    anchors = set()
    for heading in re.findall(r"^#+ (.+)$", markdown, re.MULTILINE):
        words = re.sub(r"[^\w\- ]", "", heading.lower())
        anchors.add(words.replace(" ", "-"))
    return anchors


def _links(path: Path) -> list[str]:
    """The relative links of a Markdown file (web addresses left out)."""
    text = path.read_text(encoding="utf-8")
    return [target for target in LINK.findall(text) if not re.match(r"[a-z]+:", target)]


def test_the_readme_is_short():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 200


def test_the_readme_s_security_section_states_the_invariant():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = " ".join(readme.split("## Security", 1)[1].split("\n## ", 1)[0].split())
    assert (
        "a unit is dispensed at most once; a check and its write are one decision; every read of "
        "health data by anyone but its owner is logged and shown to the owner"
    ) in section


def test_every_relative_link_leads_to_a_file_and_its_heading():
    broken = []
    for path in [ROOT / "README.md", ROOT / "bench" / "README.md", *DOCS]:
        for target in _links(path):
            file_part, _, anchor = target.partition("#")
            linked = (path.parent / file_part).resolve() if file_part else path
            if not linked.exists():
                broken.append(f"{path.name}: {target}")
            elif anchor and anchor not in _anchors(linked.read_text(encoding="utf-8")):
                broken.append(f"{path.name}: {target} (no such heading)")
    assert broken == []


def test_the_readme_links_every_docs_file():
    linked = {Path(target).name for target in _links(ROOT / "README.md")}
    assert {path.name for path in DOCS} <= linked


def test_the_package_map_is_true_to_the_tree():
    architecture = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    mapped = set(MAP_ROW.findall(architecture))
    server = ROOT / "server"
    packages = {f"server/{p.name}/" for p in server.iterdir() if (p / "__init__.py").exists()}
    modules = {f"server/{p.name}" for p in server.glob("*.py") if p.name != "__init__.py"}
    assert packages | modules == mapped


def test_the_api_table_is_the_apps_openapi_document(client):
    api_doc = _api_doc()
    document = client.get("/api/openapi.json").get_json()
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    assert api_doc.replaced(text, api_doc.render(document)) == text, (
        "docs/api.md is out of date: run .venv/bin/python scripts/api_doc.py"
    )


def test_the_readmes_demo_people_are_the_demo_registrys(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `(\w+)` \| `(\d+)` \| (?:`(09\d{9})`|—) \|", readme, re.MULTILINE)
    stats = write_registry_csv(tmp_path, SCRIPTED_PEOPLE, today=datetime.date(2026, 11, 22))
    assert len(rows) >= 10
    for case, national_code, mobile in rows:
        sample = stats.samples[case]
        assert (national_code, mobile) == (sample["national_code"], sample["mobile"] or "")


def test_make_run_serves_beside_the_push_worker_and_stops_it_with_the_app():
    recipe = subprocess.run(
        ["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    serve = recipe[recipe.index("darman worker &") :]  # the worker polls, in the background…
    assert "--once" not in serve.splitlines()[0]
    assert "trap 'kill $worker" in serve and "gunicorn" in serve  # …and ends with the app
