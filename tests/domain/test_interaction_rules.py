"""Interactions and duplicates among new drugs and current medicines, in the pure domain."""

from server.domain.interactions import (
    Drug,
    Finding,
    Rule,
    findings,
    ingredient_pair,
    unacknowledged,
)

TABLE = {
    ingredient_pair("warfarin", "aspirin"): Rule("major", "bleeding"),
    ingredient_pair("enalapril", "spironolactone"): Rule("moderate", "potassium"),
}
WARFARIN = Drug("D1", ("warfarin",))
ASPIRIN = Drug("D2", ("aspirin",))


def test_a_pair_is_found_in_either_order_with_the_same_id():
    one = findings([WARFARIN, ASPIRIN], [], TABLE)
    other = findings([ASPIRIN, WARFARIN], [], TABLE)
    assert [f.id for f in one] == [f.id for f in other] == ["D1:D2:aspirin+warfarin"]
    assert one[0].severity == "major" and one[0].blocking


def test_a_current_medicine_counts_and_is_marked():
    found = findings([ASPIRIN], [Drug("D1", ("warfarin",), current=True)], TABLE)
    assert [(f.a, f.b, f.current) for f in found] == [("D2", "D1", True)]


def test_current_medicines_do_not_meet_each_other():
    current = [Drug("D1", ("warfarin",), True), Drug("D2", ("aspirin",), True)]
    assert findings([Drug("D3", ("omeprazole",))], current, TABLE) == []


def test_the_same_ingredient_twice_is_a_blocking_duplicate():
    combined = Drug("D5", ("triamterene", "hydrochlorothiazide"))
    found = findings([Drug("D4", ("hydrochlorothiazide",)), combined], [], TABLE)
    assert [(f.id, f.severity, f.blocking) for f in found] == [
        ("D4:D5:hydrochlorothiazide", "duplicate", True)
    ]


def test_moderate_is_not_blocking_and_acknowledgements_clear_blocking_ones():
    found = findings(
        [WARFARIN, ASPIRIN, Drug("D6", ("enalapril",)), Drug("D7", ("spironolactone",))],
        [],
        TABLE,
    )
    assert [f.severity for f in found] == ["major", "moderate"]
    assert [f.id for f in unacknowledged(found, [])] == ["D1:D2:aspirin+warfarin"]
    assert unacknowledged(found, ["D1:D2:aspirin+warfarin"]) == []


def test_a_duplicate_names_both_drugs_the_ingredient_and_whether_one_is_current():
    found = findings(
        [Drug("D4", ("hydrochlorothiazide",))],
        [Drug("D5", ("triamterene", "hydrochlorothiazide"), current=True)],
        TABLE,
    )
    assert found == [
        Finding(
            "D4:D5:hydrochlorothiazide",
            "D4",
            "D5",
            "duplicate",
            None,
            ("hydrochlorothiazide", "hydrochlorothiazide"),
            True,
        )
    ]


def test_an_interaction_names_both_drugs_the_advice_and_the_ingredients():
    found = findings([Drug("D2", ("aspirin",))], [Drug("D1", ("warfarin",), True)], TABLE)
    assert found == [
        Finding(
            "D1:D2:aspirin+warfarin", "D2", "D1", "major", "bleeding", ("aspirin", "warfarin"), True
        )
    ]


def test_a_shared_ingredient_does_not_hide_the_next_ones_interaction():
    found = findings([WARFARIN, Drug("D8", ("warfarin", "aspirin"))], [], TABLE)
    assert [f.id for f in found] == ["D1:D8:warfarin", "D1:D8:aspirin+warfarin"]
