"""Talking to the stack: curl over https (HTTP/2), one node as nginx would, the page API."""

import json
import subprocess
import urllib.request
from dataclasses import dataclass

from prometheus_client.parser import text_string_to_metric_families


@dataclass
class Answer:
    """What curl saw."""

    version: str
    status: int
    headers: dict[str, str]
    body: bytes


def curl(stack, path: str, *args: str) -> Answer:
    """GET through nginx with curl (HTTP/2 when offered), checking the certificate."""
    done = subprocess.run(
        ["curl", "-sS", "--http2", "--cacert", str(stack.certificate), "-D", "-",
         "-w", "\n%{http_version}", *args, f"{stack.url}{path}"],
        capture_output=True, check=True,
    )  # fmt: skip
    raw, _, version = done.stdout.rpartition(b"\n")
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return Answer(version.decode(), int(lines[0].split()[1]), headers, body)


def node(stack, name: str, path: str, cookie: str | None = None) -> tuple[int, bytes]:
    """GET on one node's own port, with the headers nginx adds."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{stack.node_ports[name]}{path}",
        headers={
            "Host": f"localhost:{stack.https_port}",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "127.0.0.1",
            **({"Cookie": cookie} if cookie else {}),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def scrape(url: str) -> dict[tuple[str, tuple], float]:
    """{(sample, sorted labels): value} of a Prometheus endpoint."""
    with urllib.request.urlopen(url, timeout=10) as answer:
        text = answer.read().decode()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


API = """async ([method, url, body]) => {
  const { csrf_token } = await (await fetch('/api/auth/csrf')).json();
  const response = await fetch(url, { method, headers: {'Content-Type': 'application/json',
    'X-CSRFToken': csrf_token}, body: body === null ? undefined : JSON.stringify(body) });
  return { status: response.status, body: await response.json().catch(() => null) };
}"""


def call(page, method: str, url: str, body=None) -> dict:
    """The API from inside the signed-in page (through nginx, with the page's cookie)."""
    return page.evaluate(API, [method, url, json.loads(json.dumps(body))])
