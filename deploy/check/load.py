"""Load through nginx from several centres at once, every answer kept: doctors ask about a
patient and write a prescription (with an Idempotency-Key), pharmacies deliver one unit of one,
and a clinic's software asks eligibility. What each 2xx answer gave (the prescription's id and
code, a delivery's total and tracking code, an inquiry's tracking code) is what the database
must still hold afterwards (`Load.missing`)."""

import json
import random
import ssl
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field

from families import INSURED, WIFE

CLIENT_TIMEOUT = 30  # seconds a client waits for an answer (a hang is a longer wait)
PATIENTS = (INSURED, WIFE)
TODAY = "2026-11-22"
METFORMIN = {"code": "D1002", "name": "متفورمین ۵۰۰ میلی‌گرم", "quantity": 60}
# a second metformin for the same patient is a duplicate: acknowledged with a reason
REFILL = [{"id": "D1002:D1002:metformin", "reason": "تمدید نسخه"}]
WRITES = ("prescription", "dispensing")
ELIGIBILITY = "/api/provider/eligibility"


@dataclass
class Call:
    """One request and what came back."""

    kind: str
    started: float
    ended: float
    status: int  # 0: no answer within CLIENT_TIMEOUT (or the connection failed)
    retry_after: str | None
    body: dict | None
    # the server's own second run found the commit it had cut (a fresh key is never replayed
    # otherwise): `Idempotent-Replayed`
    replayed: bool = False


@dataclass
class Load:
    """Threads that call until `stop()`; `calls` is every request, in the order answered."""

    url: str
    cafile: str
    doctors: list[str]
    pharmacies: list[str]
    clinics: list[str]
    calls: list[Call] = field(default_factory=list)
    written: list[str] = field(default_factory=list)  # prescription codes to deliver
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _threads: list[threading.Thread] = field(default_factory=list)

    def start(self) -> None:
        """One thread per centre."""
        work = [(self._doctor, t) for t in self.doctors]
        work += [(self._pharmacy, t) for t in self.pharmacies]
        work += [(self._clinic, t) for t in self.clinics]
        for target, token in work:
            thread = threading.Thread(target=self._loop, args=(target, token), daemon=True)
            self._threads.append(thread)
            thread.start()

    def stop(self) -> None:
        """Stop and wait for the last answers."""
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=CLIENT_TIMEOUT + 5)
        self._threads.clear()
        self._stop.clear()

    def wait_for(self, ready, what: str, seconds: float = 300) -> None:
        """Until `ready(calls)` holds (polling; the deadline only ends a broken run)."""
        deadline = time.monotonic() + seconds
        while not ready(self.snapshot()):
            assert time.monotonic() < deadline, f"{what}: never, in {self.summary()}"
            time.sleep(0.1)

    def snapshot(self) -> list[Call]:
        """The calls answered so far."""
        with self._lock:
            return list(self.calls)

    def summary(self) -> dict[str, int]:
        """{"kind status": count}."""
        counts: dict[str, int] = {}
        for call in self.snapshot():
            key = f"{call.kind} {call.status}"
            counts[key] = counts.get(key, 0) + 1
        return counts

    # -- the centres -----------------------------------------------------------------------

    def _loop(self, work, token: str) -> None:
        """Call until stopped."""
        while not self._stop.is_set():
            work(token)

    def _doctor(self, token: str) -> None:
        """A visit (an inquiry about the patient), then a prescription written in it."""
        patient = random.choice(PATIENTS)
        asked = self._call("inquiry", token, ELIGIBILITY, {"national_code": patient})
        if asked.status != 200:
            return
        body = {"national_code": patient, "written_on": TODAY, "type": "drug",
                "items": [METFORMIN], "acknowledged_interactions": REFILL}  # fmt: skip
        answer = self._call("prescription", token, "/api/provider/prescriptions", body)
        if answer.status == 201:
            with self._lock:
                self.written.append(answer.body["code"])

    def _pharmacy(self, token: str) -> None:
        """One unit of metformin on one of the last prescriptions (each has 60)."""
        with self._lock:
            codes = self.written[-20:]
        if not codes:
            time.sleep(0.05)
            return
        code = random.choice(codes)
        body = {"items": [{"code": "D1002", "quantity": 1}]}
        path = f"/api/provider/prescriptions/{code}/dispense"
        answer = self._call("dispensing", token, path, body)
        if answer.status == 409:  # delivered in full: no longer offered
            with self._lock:
                if code in self.written:
                    self.written.remove(code)

    def _clinic(self, token: str) -> None:
        """A general eligibility inquiry."""
        patient = random.choice(PATIENTS)
        self._call("inquiry", token, ELIGIBILITY, {"national_code": patient})

    def _call(self, kind: str, token: str, path: str, body: dict) -> Call:
        """POST JSON with the token (writes with an Idempotency-Key); keep what came back."""
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        if kind in WRITES:
            headers["Idempotency-Key"] = str(uuid.uuid4())
        request = urllib.request.Request(
            self.url + path, data=json.dumps(body).encode(), headers=headers, method="POST"
        )
        context = ssl.create_default_context(cafile=self.cafile)
        started = time.monotonic()
        status, retry_after, answer, replayed = 0, None, None, False
        try:
            with urllib.request.urlopen(request, timeout=CLIENT_TIMEOUT, context=context) as got:
                status, answer = got.status, json.loads(got.read())
                replayed = got.headers.get("Idempotent-Replayed") == "true"
        except urllib.error.HTTPError as error:
            status, retry_after = error.code, error.headers.get("Retry-After")
            answer = json.loads(error.read() or b"null")
        except OSError:
            pass  # no answer in time, or none at all: status 0
        call = Call(kind, started, time.monotonic(), status, retry_after, answer, replayed)
        with self._lock:
            self.calls.append(call)
        return call


def centres(stack) -> dict[str, list[str]]:
    """Two doctors, three pharmacies and a clinic's software: their tokens."""
    made = {"doctors": [stack.provider_token], "pharmacies": [], "clinics": []}
    for name, kind, group in (
        ("مطب دکتر احمدی", "doctor", "doctors"),
        ("داروخانه رازی", "pharmacy", "pharmacies"),
        ("داروخانه سینا", "pharmacy", "pharmacies"),
        ("داروخانه ابن سینا", "pharmacy", "pharmacies"),
        ("درمانگاه البرز", "clinic", "clinics"),
    ):
        token = stack.flask("darman", "provider", "create", name, "--kind", kind).strip()
        made[group].append(token)
    return made


def acknowledged(calls: list[Call], kind: str) -> list[dict]:
    """The bodies of the 2xx answers of one kind."""
    return [c.body for c in calls if c.kind == kind and 200 <= c.status < 300]


def missing(calls: list[Call], sql) -> dict[str, list]:
    """What a 2xx answer gave that the database (`sql(query)` on the primary) does not hold:
    prescriptions by id and code, deliveries by their tracking code and by each prescription's
    highest delivered total; the inquiries' tracking codes may lag (asynchronous commit) and are
    counted apart (`lost_inquiries`)."""
    prescriptions = acknowledged(calls, "prescription")
    stored = _rows(sql, "SELECT id || ' ' || code FROM prescription")
    lost = [p for p in prescriptions if f"{p['id']} {p['code']}" not in stored]
    codes = _rows(sql, "SELECT tracking_code FROM inquiry")
    deliveries = acknowledged(calls, "dispensing")
    untracked = [d["tracking_code"] for d in deliveries if d["tracking_code"] not in codes]
    highest: dict[str, int] = {}
    for delivery in deliveries:
        (item,) = delivery["items"]
        highest[delivery["code"]] = max(highest.get(delivery["code"], 0), item["dispensed"])
    totals = dict(
        row.split(" ")
        for row in _rows(
            sql,
            "SELECT p.code || ' ' || i.dispensed FROM prescription_item i "
            "JOIN prescription p ON p.id = i.prescription_id",
        )  # fmt: skip
    )
    short = [(c, n) for c, n in highest.items() if int(totals.get(c, -1)) < n]
    return {"prescriptions": lost, "deliveries": untracked, "delivered_totals": short}


def lost_inquiries(calls: list[Call], sql) -> int:
    """Inquiries answered 2xx whose tracking code the database does not hold."""
    codes = _rows(sql, "SELECT tracking_code FROM inquiry")
    return sum(1 for body in acknowledged(calls, "inquiry") if body["tracking_code"] not in codes)


def _rows(sql, query: str) -> set[str]:
    """The query's one column, as a set of strings."""
    return set(filter(None, sql(query).splitlines()))
