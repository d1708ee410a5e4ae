"""The money tests that need the staff console borrow its fixtures (tests/staff/conftest.py):
staff made by the real CLI command, signed in through every step."""

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "staff_console_fixtures", Path(__file__).parents[1] / "staff" / "conftest.py"
)
_staff = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_staff)

make_staff, staff_browser, signed_in = _staff.make_staff, _staff.staff_browser, _staff.signed_in
