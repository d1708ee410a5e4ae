"""A hospital in Chromium, at 1280×800 and 768×1024 (issue 26): its doctor admits a patient and
sees the other base insurer named with the next step, writes a prescription with an item the
hospital lacks, marked to be got outside with the reason; a contracted pharmacy serves that item
with the patient's and SSO's shares on the receipt."""

import re

import pytest
from test_prescribing import PERSIAN, choose_item, open_page, sign_in_confirmed


@pytest.fixture(params=[(1280, 800), (768, 1024)], ids=["desktop", "tablet"])
def size(request):
    """A desktop's or a tablet's screen, and its name."""
    return request.param, request.node.callspec.id


AMOXICILLIN = "آموکسی‌سیلین ۵۰۰ میلی‌گرم"
# People of this journey alone (imported here): a patient insured by SSO and by «بیمه سلامت»,
# the hospital's doctor and the pharmacist, one set per screen size.
PEOPLE = {
    "desktop": ("0091111110", "0092222226", "09121230001", "0093333331", "09121230002"),
    "tablet": ("0094444447", "0095555552", "09121230003", "0096666668", "09121230004"),
}


def registry(server, tmp_path, name: str) -> tuple[str, ...]:
    """Import this size's people, the patient's SSO pension and other insurer; the codes."""
    patient, doctor, doctor_mobile, pharmacist, pharmacist_mobile = PEOPLE[name]
    folder = tmp_path / f"hospital-{name}"
    folder.mkdir()
    files = {
        "persons.csv": [
            "national_code,first_name,last_name,birth_date,sex,mobile,death_date",
            f"{patient},پرویز,صادقی,1970-01-01,M,,",
            f"{doctor},نسرین,موسوی,1980-01-01,F,{doctor_mobile},",
            f"{pharmacist},کاوه,رحیمی,1985-01-01,M,{pharmacist_mobile},",
        ],
        "insured.csv": [
            "national_code,insurance_number,kind,start_date,end_date",
            f"{patient},3000000{len(name)},pensioner,2020-01-01,",
        ],
        "other_insurance.csv": [
            "national_code,insurer,start_date,end_date",
            f"{patient},بیمه سلامت,2026-03-21,",
        ],
    }
    for file_name, lines in files.items():
        (folder / file_name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    server.flask("darman", "import", str(folder))
    return PEOPLE[name]


def test_a_hospital_admits_sends_an_item_outside_and_a_pharmacy_serves_it_with_cover(
    browser, server, size, shoot, tmp_path
):
    (_, _), name = size
    patient, doctor, doctor_mobile, pharmacist, pharmacist_mobile = registry(server, tmp_path, name)
    server.flask("darman", "catalogue", "import")
    server.flask("darman", "tariffs", "import")
    hospital, pharmacy = f"بیمارستان امام {name}", f"داروخانه شفا {name}"
    for centre, kind, who, mobile, role, *more in (
        (hospital, "hospital", doctor, doctor_mobile, "doctor"),
        (pharmacy, "pharmacy", pharmacist, pharmacist_mobile, "pharmacist", "--contracted"),
    ):
        admin = ["--admin", f"{who}:{mobile}", "--admin-role", role]
        server.flask("darman", "centre", "create", centre, "--kind", kind, *admin, *more)

    page = open_page(browser, server, size)
    sign_in_confirmed(page, server, doctor, doctor_mobile, hospital)
    page.get_by_role("link", name="پذیرش بیماران").click()
    page.get_by_label("کد ملی بیمار").fill(patient.translate(PERSIAN))
    page.get_by_label("بخش", exact=True).fill("داخلی ۲")
    page.get_by_label("بخش", exact=True).press("Enter")
    answer = page.locator("#answer")
    answer.wait_for()
    assert "حمایت درمانی دارد" in answer.inner_text()
    assert "بیمه سلامت" in answer.inner_text()  # the other insurer, named
    assert "قواعد رفع هم‌پوشانی" in answer.inner_text()  # and the next step
    assert "داخلی ۲" in page.locator("table").inner_text()
    shoot(page, f"admitted-{name}")

    page.goto("/centre/eligibility")
    page.get_by_label("کد ملی بیمار").fill(patient.translate(PERSIAN))
    page.get_by_label("کد ملی بیمار").press("Enter")
    page.get_by_role("link", name="نسخهٔ جدید").first.click()
    page.get_by_role("heading", name="نسخهٔ جدید").wait_for()
    choose_item(page, 0, "آموکسی", AMOXICILLIN)
    page.get_by_label("تعداد").nth(0).fill("۱۰")
    page.locator("#items-0-obtain_outside").check()
    page.locator("#items-0-outside_reason").fill("در داروخانهٔ بیمارستان موجود نیست")
    shoot(page, f"outside-item-{name}")
    page.locator("#items-0-outside_reason").press("Enter")
    page.get_by_text("نسخه ثبت شد.").wait_for()
    code = page.locator("#prescription-code").inner_text()
    page.context.close()

    counter = open_page(browser, server, size)
    sign_in_confirmed(counter, server, pharmacist, pharmacist_mobile, pharmacy)
    counter.get_by_role("link", name="تحویل نسخه").click()
    counter.get_by_label("کد ملی بیمار یا کد نسخه").fill(code.replace(" ", ""))
    counter.get_by_label("کد ملی بیمار یا کد نسخه").press("Enter")
    article = counter.locator("article", has_text=code)
    amount = article.get_by_label(f"تعداد تحویلی {AMOXICILLIN}")
    amount.fill("۱۰")
    amount.press("Enter")
    counter.get_by_role("heading", name="رسید تحویل").wait_for()
    receipt = counter.locator(".receipt").inner_text()
    totals = counter.locator("dl.totals").inner_text()
    assert "ریال" in receipt and "سهم بیمار" in receipt
    paid = re.findall(r"[۰-۹][۰-۹٬]*", totals)
    assert len(paid) == 3 and paid[0] != "۰" and paid[1] != "۰" and paid[2] != "۰", totals
    shoot(counter, f"outside-receipt-{name}")
    counter.context.close()
