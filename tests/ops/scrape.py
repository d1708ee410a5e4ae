"""Reading `/metrics` the way Prometheus does."""

from prometheus_client.parser import text_string_to_metric_families


def samples(client) -> dict[tuple[str, tuple], float]:
    """{(sample name, sorted labels): value} of one scrape."""
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    found = {}
    for family in text_string_to_metric_families(response.get_data(as_text=True)):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def value(found: dict, name: str, **labels: str) -> float:
    """One sample's value, 0 when it is not there yet."""
    return found.get((name, tuple(sorted(labels.items()))), 0.0)
