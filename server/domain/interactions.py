"""Drug interactions and duplicates among a new prescription's drugs and the patient's current
medicines: which pairs meet, how badly, and which of them stop the prescription."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations

SEVERITIES = ("major", "moderate", "minor")
DUPLICATE = "duplicate"  # the same ingredient twice: not a severity of the table, a finding
BLOCKING = ("major", DUPLICATE)


@dataclass(frozen=True)
class Drug:
    """A drug by its catalogue code and ingredients; `current` when the patient already has it."""

    code: str
    ingredients: tuple[str, ...]
    current: bool = False


@dataclass(frozen=True)
class Rule:
    """One row of the interaction table: two ingredients, a severity, the advice."""

    severity: str
    advice: str


@dataclass(frozen=True)
class Finding:
    """Two drugs that meet: an interaction of two ingredients, or one ingredient twice.

    `id` is stable for that pair of codes and that cause, so an acknowledgement can name it.
    """

    id: str
    a: str
    b: str
    severity: str
    advice: str | None
    ingredients: tuple[str, str]
    current: bool  # `b` is one of the patient's current medicines

    @property
    def blocking(self) -> bool:
        """A major interaction or a duplicate stops the prescription unless acknowledged."""
        return self.severity in BLOCKING


def ingredient_pair(first: str, second: str) -> tuple[str, str]:
    """Two ingredients in a fixed order, as the table keys them."""
    return (first, second) if first <= second else (second, first)


def findings(
    new: Iterable[Drug], current: Iterable[Drug], table: Mapping[tuple[str, str], Rule]
) -> list[Finding]:
    """Every interaction and duplicate among the new drugs and between a new and a current one;
    blocking ones first, then by severity, each pair once per cause."""
    new = list(new)
    current = list({drug.code: drug for drug in current}.values())
    pairs = list(combinations(new, 2)) + [(a, b) for a in new for b in current]
    found: dict[str, Finding] = {}
    for a, b in pairs:
        for finding in _pair_findings(a, b, table):
            found.setdefault(finding.id, finding)
    order = {severity: rank for rank, severity in enumerate((DUPLICATE, *SEVERITIES))}
    return sorted(found.values(), key=lambda f: (order[f.severity], f.id))


def _pair_findings(a: Drug, b: Drug, table: Mapping[tuple[str, str], Rule]) -> list[Finding]:
    """What two drugs do together: shared ingredients, and each pair of theirs in the table."""
    codes = f"{min(a.code, b.code)}:{max(a.code, b.code)}"
    result = []
    for shared in sorted(set(a.ingredients) & set(b.ingredients)):
        result.append(
            Finding(
                f"{codes}:{shared}", a.code, b.code, DUPLICATE, None, (shared, shared), b.current
            )
        )
    for first in a.ingredients:
        for second in b.ingredients:
            if first == second:
                continue
            pair = ingredient_pair(first, second)
            rule = table.get(pair)
            if rule is not None:
                cause = f"{pair[0]}+{pair[1]}"
                result.append(
                    Finding(
                        f"{codes}:{cause}",
                        a.code,
                        b.code,
                        rule.severity,
                        rule.advice,
                        pair,
                        b.current,
                    )
                )
    return result


def unacknowledged(found: Iterable[Finding], acknowledged: Iterable[str]) -> list[Finding]:
    """The blocking findings that no acknowledgement names."""
    named = set(acknowledged)
    return [finding for finding in found if finding.blocking and finding.id not in named]
