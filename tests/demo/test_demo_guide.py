"""What `make run` prints for the person trying the demo: who to sign in as, what they will see,
who cannot sign in, and a ready provider `curl` line with the real token and a real code."""

import json
from pathlib import Path

import pytest


@pytest.fixture
def demo(runner):
    """`flask darman demo --people 300`."""
    result = runner.invoke(args=["darman", "demo", "--people", "300"])
    assert result.exit_code == 0, result.output
    return result.output


def seen(output: str, case: str) -> str:
    """The line under a case: what that person will see."""
    lines = output.splitlines()
    for number, line in enumerate(lines):
        if line.strip().startswith(f"{case}:"):
            return lines[number + 1].strip()
    raise AssertionError(f"{case} not printed")


def test_each_case_says_what_the_person_will_see(demo):
    assert seen(demo, "covered_worker").startswith("حمایت درمانی دارد (تا ")
    assert "نفر تحت تکفل دارد" in seen(demo, "covered_worker")
    assert "یکی نوزاد" in seen(demo, "covered_worker") or "یکی نوزاد" in seen(
        demo, "mother_of_newborn"
    )
    assert seen(demo, "worker_no_recent_contributions").startswith("حمایت درمانی ندارد")


def test_people_with_no_mobile_are_marked(demo):
    lines = demo.splitlines()
    marked = [n for n, line in enumerate(lines) if "(no mobile: cannot sign in)" in line]
    assert marked, "some demo people have no mobile"
    assert all(lines[n - 1].rstrip().endswith("  -") for n in marked)  # the case line above


def test_the_curl_line_has_the_real_token_and_a_real_code(app, demo, runner):
    instance = Path(app.instance_path)
    (instance / "demo-provider-token").write_text("tok-123\n", encoding="utf-8")
    result = runner.invoke(args=["darman", "demo-curl", "--port", "8123"])
    assert result.exit_code == 0, result.output
    samples = json.loads((instance / "demo-people.json").read_text(encoding="utf-8"))
    code = samples["covered_worker"]["national_code"]
    assert "'Authorization: Bearer tok-123'" in result.output
    assert f'{{"national_code": "{code}"}}' in result.output
    assert "http://localhost:8123/api/provider/eligibility" in result.output
