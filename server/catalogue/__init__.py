"""The catalogue of drugs and services, the interaction table, and doctors' favourites.

- `importer`, `cli`: `darman catalogue import [FILE]` and `darman interactions import FILE`;
  `data/`: the shipped demo catalogue and interaction table (each row with its public source);
- `search`: finding items as a doctor types; `presets`: common instructions;
- `checks`: a new prescription's items against the catalogue and the patient's medicines;
- `favourites`: favourite prescriptions; `notices`: the patient's SMS for a new prescription;
- `api`: the blueprint (`/api/provider/catalogue`, `/instruction-presets`, `/favourites`).

Decisions the issue leaves open:
- A prescription's items name catalogue codes; the name written is the catalogue's (an item's
  `name` in the request is ignored), and each item must be of the prescription's type.
- An interaction's `id` is `<code>:<code>:<cause>` (codes sorted; the cause is the two
  ingredients, `aspirin+warfarin`, or the one a duplicate shares): stable for that pair.
  A duplicate comes with `severity: duplicate`.
- Current medicines are drugs only: items of drug prescriptions written in the last 60 days that
  are not fully delivered and not expired, and items delivered in the last 90 days. A newborn's
  (written under the mother's code) are only those written for that newborn.
- Instruction presets are a list of their own (`GET /api/provider/instruction-presets`).
- Favourites belong to the provider (the token's centre); `member_id` waits for centre members.
"""
