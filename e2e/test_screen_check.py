"""The screen check itself (screen_check.py) finds each fault of issue 24 it was made for, in the
very form the faults took: «false» under «استعلام دوباره» (2), a record's value one letter a line
and a 12-digit code split at 320 px with 200 % text (3), an English sentence inside Persian (4),
a notice titled «خانوادهٔ شما: %(name)s» (5) — and a clean screen passes."""

from screen_check import faults

FAULTY = """<!doctype html><html lang="fa" dir="rtl"><body style="margin:0">
<section class="home"><button>استعلام دوباره</button>false</section>
<dl style="display:grid;grid-template-columns:1fr 1fr;width:80px;font-size:32px">
  <dt>پزشک</dt><dd style="overflow-wrap:anywhere;margin:0">دکتر</dd>
</dl>
<p style="width:60px;font-size:32px;overflow-wrap:anywhere">۳۹۹۳۲۴۶۹۵۶۴۸</p>
<p class="steps">The age condition is met on ۲۶ آبان ۱۴۰۶.</p>
<h3 class="notice">خانوادهٔ شما: %(name)s</h3>
</body></html>"""

CLEAN = """<!doctype html><html lang="fa" dir="rtl"><body style="margin:0">
<p>حمایت درمانی دارد — کد رهگیری: <bdi dir="ltr">۱۲۳۴ ۵۶۷۸ ۹۰۱۲</bdi></p>
<p>داروی <bdi>Warfarin 5 mg</bdi> را دکتر نوشته است؛ کد QR روی گوشی است.</p>
</body></html>"""


def test_it_finds_the_faults_of_issue_24(page):
    page.set_viewport_size({"width": 320, "height": 740})
    page.set_content(FAULTY)
    found = "\n".join(faults(page))
    assert '<section.home> shows "false"' in found  # fault 2
    assert 'breaks the word "دکتر"' in found  # fault 3: one letter a line
    assert 'breaks the word "۳۹۹۳۲۴۶۹۵۶۴۸"' in found  # fault 3: a code split
    assert "<p.steps> has Latin outside an element marked as Latin" in found  # fault 4
    assert '<h3.notice> shows "%(name)s"' in found  # fault 5


def test_english_with_persian_outside_data_and_a_page_too_wide(page):
    page.set_viewport_size({"width": 320, "height": 740})
    page.set_content(
        '<html lang="en" dir="ltr"><body style="margin:0"><p>Get the rest by ۱۱ بهمن ۱۴۰۵</p>'
        '<p>Hello, <bdi lang="fa">علی رضایی</bdi></p>'
        '<div style="width:400px">wide</div></body></html>'
    )
    found = "\n".join(faults(page))
    assert "Persian in English, not marked as data" in found
    assert "علی رضایی" not in found  # a name marked as data is fine
    assert "the page scrolls sideways (400 px in 320 px)" in found


def test_a_clean_screen_passes(page):
    page.set_viewport_size({"width": 360, "height": 740})
    page.set_content(CLEAN)
    assert faults(page) == []
