"""Darman (درمان من): eligibility for treatment, family cover and health records."""

import os
import secrets

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import Config


def create_app(test_config: dict | None = None) -> Flask:
    """Make the app: config, extensions, blueprints. It never migrates, calls out or exits."""
    from .web.unit_of_work import UnitOfWorkFlask

    app = UnitOfWorkFlask(
        __name__,
        instance_relative_config=True,
        instance_path=os.environ.get("DARMAN_INSTANCE_PATH") or None,
        static_folder=None,
    )
    app.config.from_object(Config)
    if test_config:
        app.config.update(test_config)
    app.json.ensure_ascii = False  # Persian stays readable in answers
    hops = int(app.config["DARMAN_PROXY_HOPS"])
    if hops:  # behind N reverse proxies: trust their X-Forwarded-For and -Proto, no more
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0)
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        path = os.path.join(app.instance_path, "darman.sqlite3")
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret(app.instance_path, "secret_key")

    from . import errors, headers, i18n, input_guard, ops
    from .auth import sessions
    from .database import configure_sqlite
    from .extensions import csrf, db, migrate
    from .web import refusals, unit_of_work

    db.init_app(app)
    migrate.init_app(
        app, db, directory=os.path.normpath(os.path.join(app.root_path, "..", "migrations"))
    )
    with app.app_context():
        configure_sqlite(db.engine, app.config["DARMAN_SQLITE_BUSY_TIMEOUT_MS"])
    unit_of_work.init_app(app)
    i18n.init_app(app)
    csrf.init_app(app)
    sessions.init_app(app)
    errors.init_app(app)
    refusals.init_app(app)
    input_guard.init_app(app)
    headers.init_app(app)
    ops.init_app(app)

    from . import pwa
    from .api import citizen, health, openapi, provider
    from .auth import passkeys
    from .auth import views as auth_views
    from .card import views as card_views
    from .catalogue import api as catalogue_api
    from .centres import dispensing as centre_dispensing
    from .centres import passkeys as centre_passkeys
    from .centres import prescribing as centre_prescribing
    from .centres import register_views as centre_register
    from .centres import views as centre_views
    from .channels import views as channel_views
    from .clinical import citizen_api as clinical_citizen
    from .clinical import provider_api as clinical_provider
    from .clinical import staff_views as clinical_staff
    from .clinical import views as clinical_views
    from .fhir import views as fhir_views
    from .hospitals import provider_api as hospitals_provider
    from .hospitals import views as hospital_views
    from .money import provider_api as money_provider
    from .money import views as money_views
    from .notify import views as notify_views
    from .ops import views as ops_views
    from .records import citizen_api as records_citizen
    from .records import provider_api as records_provider
    from .staff import citizen_api as objections_api
    from .staff import views as staff_views
    from .web import shell

    csrf.exempt(provider.bp)  # bearer tokens, no cookies: nothing to forge
    csrf.exempt(records_provider.bp)  # the same: bearer tokens
    csrf.exempt(money_provider.bp)  # the same: bearer tokens
    csrf.exempt(hospitals_provider.bp)  # the same: bearer tokens
    csrf.exempt(catalogue_api.bp)  # the same: bearer tokens
    csrf.exempt(clinical_provider.bp)  # the same: bearer tokens
    csrf.exempt(fhir_views.bp)  # the provider API's bearer tokens too
    csrf.exempt(channel_views.bp)  # gateways sign each body (X-Signature); no cookies
    blueprints = (
        health.bp,
        provider.bp,
        auth_views.bp,
        passkeys.bp,
        citizen.bp,
        records_provider.bp,
        money_provider.bp,
        hospitals_provider.bp,
        catalogue_api.bp,
        clinical_provider.bp,
        records_citizen.bp,
        clinical_citizen.bp,
        notify_views.bp,
        card_views.bp,
        channel_views.bp,
        fhir_views.bp,
        centre_views.bp,
        centre_passkeys.bp,
        centre_register.bp,
        centre_prescribing.bp,
        centre_dispensing.bp,
        clinical_views.bp,
        money_views.bp,
        hospital_views.bp,
        hospital_views.staff_bp,
        openapi.bp,
        objections_api.bp,
        objections_api.documents_bp,
        staff_views.bp,
        clinical_staff.bp,
        ops_views.bp,
        shell.bp,
        pwa.bp,
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    _register_refusals(app)

    from .cli import darman_cli

    app.cli.add_command(darman_cli)
    return app


def _register_refusals(app: Flask) -> None:
    """Each package's texts for its refusals' codes, and the pages of the two webs."""
    from .api import refusal_texts as api
    from .auth import refusal_texts as auth
    from .catalogue import refusal_texts as catalogue
    from .centres import refusal_texts as centres
    from .clinical import refusal_texts as clinical
    from .fhir import refusal_texts as fhir
    from .hospitals import refusal_texts as hospitals
    from .money import refusal_texts as money
    from .notify import refusal_texts as notify
    from .records import refusal_texts as records
    from .staff import refusal_texts as staff
    from .web import refusals

    packages = (
        api,
        auth,
        catalogue,
        centres,
        clinical,
        fhir,
        hospitals,
        money,
        notify,
        records,
        staff,
    )
    for package in packages:
        refusals.register_texts(app, package.TEXTS)
    refusals.register_page(app, "centre", "centres/error.html")
    refusals.register_page(app, "staff", "staff/error.html")


def _instance_secret(instance_path: str, name: str) -> str:
    """A random secret kept in the instance folder, made on first start (never in the repo)."""
    path = os.path.join(instance_path, name)
    if not os.path.exists(path):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    with open(path) as f:
        return f.read().strip()
