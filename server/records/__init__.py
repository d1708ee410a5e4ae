"""The electronic health record: doctors write prescriptions and paraclinic orders, centres
deliver them in parts, the insured (and the parents of minors) read them, and every read is logged.

- `provider_api`, `citizen_api`: the blueprints (`/api/provider/…`, `/api/records…`);
- `writing`: a prescription (with its eligibility inquiry and misuse alert) and a delivery;
- `reading`: records loaded in a fixed number of queries and described for people;
- `access`: who may read whose record, the access log, and the provider-read alert;
- `idempotency`: providers' `Idempotency-Key`; `requests`: arguments and localized 400s;
- `rules`: the pure rules (expiry, which centre delivers what, statuses, minors);
- `texts`: what the record says in Persian; `schemas`: the JSON shapes;
- `refusal_texts`: what the operations' refusals say (`server/web/refusals.py` answers them).
The operations flush; each request commits once (`server/web/unit_of_work.py`).
(The demo history is `server.demo.records`, not part of the product; it writes through
`writing`.)

Decisions the issue leaves open:
- A prescription is written even when the patient is not covered (the doctor must still be able
  to record); the answer and the record say `covered: false`. A code not in the registry is 404.
- `expires_on` is the last day of delivery: 60 days after writing (written 1 Azar → until
  1 Bahman). A prescription cannot be written dated after today or more than 60 days back.
- Centres deliver their own field: pharmacy → drug, lab → lab, imaging → imaging, physio →
  physio; a hospital delivers every type (a `visit` referral only at a hospital); doctors none.
- Centres name a prescription by its own 12-digit code (not guessable like a row id) in
  `/api/provider/prescriptions/<code>[/dispense]`; citizens by its id in `/api/records/<id>`.
- `Idempotency-Key` is optional, per provider, kept with the first answer; it also makes a
  delivery's retry safe. The same key with another request is 409 `idempotency_key_reused`.
- A parent is the main insured whose family has the child (an in-force `child` link) or that
  insured's in-force spouse; the child must be under 18 (Jalali full years). A newborn's
  prescriptions are on the mother's record (written under her code).
- Every read is logged: a list page, a record, a doctor's 12-month read, a centre's look-up.
  Provider reads (not citizens') also write a `record_read` outbox event.
"""
