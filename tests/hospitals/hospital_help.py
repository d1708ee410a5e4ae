"""What the hospitals' tests share besides fixtures: the day, a bearer header, a centre's flags."""

from records.test_counter_money import AMOXICILLIN_RIAL, contract  # noqa: F401 (issue 25's)
from sqlalchemy import select, update

from server.extensions import db
from server.models import Provider

TODAY = "2026-11-22"  # the suite's pinned date (1 Azar 1405)
CITY = "قم"


def bearer(token: str) -> dict:
    """The Authorization header."""
    return {"Authorization": f"Bearer {token}"}


def set_centre(app, name: str, **values) -> int:
    """Set columns of the centre of this name (public, city, sso_owned); its id."""
    with app.app_context():
        db.session.execute(update(Provider).where(Provider.name == name).values(**values))
        db.session.commit()
        return db.session.scalar(select(Provider.id).where(Provider.name == name))
