"""A backup as the README takes it (pg_dump, through the multi-host URL: from the primary),
restored into a fresh database, answers an inquiry (the provider's token and the registry came
with it)."""

import subprocess

from families import INSURED
from stack import TODAY, fresh_database

from server import create_app


def libpq(url: str) -> str:
    """The SQLAlchemy URL as libpq takes it."""
    return url.replace("postgresql+psycopg://", "postgresql://")


def test_a_restored_dump_answers_an_inquiry(stack):
    dump = stack.folder / "darman.dump"
    subprocess.run(
        ["pg_dump", "--format=custom", f"--file={dump}", f"--dbname={stack.cluster.libpq_url}"],
        check=True,
    )
    restored = fresh_database("darman_deploy_restore")
    # pg_auto_failover's nodes have pg_stat_statements, which only a superuser may create:
    # restored without the extensions, as the runbook does (docs/operations.md)
    listed = subprocess.run(
        ["pg_restore", "--list", str(dump)], capture_output=True, text=True, check=True
    ).stdout
    toc = stack.folder / "darman.toc"
    toc.write_text("".join(line for line in listed.splitlines(True) if " EXTENSION " not in line))
    subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", f"--use-list={toc}",
         f"--dbname={libpq(restored)}", str(dump)],
        check=True,
    )  # fmt: skip
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": restored, "SECRET_KEY": stack.secrets["DARMAN_SECRET_KEY"],
         "DARMAN_TODAY": TODAY}
    )  # fmt: skip
    client = app.test_client()
    assert client.get("/readyz").status_code == 200
    answer = client.post(
        "/api/provider/eligibility",
        json={"national_code": INSURED},
        headers={"Authorization": f"Bearer {stack.provider_token}"},
    )
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert body["covered"] is True and len(body["tracking_code"]) == 12
    from server.extensions import db

    with app.app_context():
        db.engine.dispose()
