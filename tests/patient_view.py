"""What a patient sees of who read their record: «چه کسی پروندهٔ من را دید» and the notices
that told them, after the outbox worker has run."""


def readers_seen(citizen, runner) -> tuple[list[str], int]:
    """Who the signed-in citizen's access log names, newest first, and how many «your record was
    read» notices they have."""
    assert runner.invoke(args=["darman", "worker", "--once"]).exit_code == 0
    entries = citizen.get("/api/records/access-log").get_json()["entries"]
    notices = citizen.get("/api/notifications").get_json()["notifications"]
    return [entry["who"] for entry in entries], sum(n["kind"] == "record_read" for n in notices)
