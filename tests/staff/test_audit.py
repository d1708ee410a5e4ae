"""The staff audit: admins read it; nobody can change it (the ORM refuses, PostgreSQL too)."""

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError

from server.extensions import db
from server.models import StaffAudit


def test_admins_read_every_action_with_who_whom_when_and_where(signed_in):
    signed_in("branch")
    admin = signed_in("admin")
    page = admin.get("/staff/audit").get_data(as_text=True)
    assert page.count("signed_in") == 2
    assert "staff_created" in page and "5.160.0.10" in page


def test_the_orm_refuses_to_change_or_remove_a_row(app, signed_in):
    signed_in("admin")
    with app.app_context():
        row = db.session.scalars(select(StaffAudit)).first()
        row.action = "nothing_happened"
        with pytest.raises(PermissionError):
            db.session.flush()
        db.session.rollback()
        row = db.session.scalars(select(StaffAudit)).first()
        db.session.delete(row)
        with pytest.raises(PermissionError):
            db.session.flush()
        db.session.rollback()


@pytest.mark.postgresql
def test_postgresql_refuses_update_and_delete_whoever_asks(app, signed_in):
    signed_in("admin")
    with app.app_context():
        for statement in (
            update(StaffAudit).values(action="nothing_happened"),
            delete(StaffAudit),
            text("UPDATE staff_audit SET address = '0.0.0.0'"),
        ):
            with pytest.raises(DBAPIError, match="append-only"):
                db.session.execute(statement)
            db.session.rollback()
        assert db.session.scalar(select(StaffAudit.action).order_by(StaffAudit.id)) == (
            "staff_created"
        )


def test_the_audit_names_the_person_concerned(signed_in, family):
    branch = signed_in("branch")
    branch.get(branch.person_url("0012345679"))
    page = signed_in("admin").get("/staff/audit").get_data(as_text=True)
    assert "جستجوی فرد" in page and "علی رضایی" in page
