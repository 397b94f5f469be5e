"""mediation: case management for trade-union labour-dispute mediation offices."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from mediation import config as _config
from mediation.core.edge import EdgeFlask

PACKAGE = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE.parent
# Run from a checkout (the repository's own folders), or installed (the build put them in the package).
IN_CHECKOUT = (PROJECT_ROOT / "setup.cfg").is_file() and (PROJECT_ROOT / "templates").is_dir()


def _shipped(name: str) -> str:
    return str(PROJECT_ROOT / name if IN_CHECKOUT else PACKAGE / name)


def create_app(test_config: dict | None = None) -> Flask:
    # The instance folder (database, secret key): the checkout's instance/, or for an installed app
    # Flask's own place for it (<prefix>/var/mediation-instance); MEDIATION_INSTANCE_PATH overrides both.
    instance = os.environ.get("MEDIATION_INSTANCE_PATH") or (str(PROJECT_ROOT / "instance") if IN_CHECKOUT else None)
    app = EdgeFlask(
        __name__,
        instance_path=instance,
        instance_relative_config=True,
        template_folder=_shipped("templates"),
        static_folder=_shipped("static"),
    )
    configure(app, test_config)
    register_extensions(app)
    register_blueprints(app)
    register_hooks(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def configure(app: Flask, test_config: dict | None) -> None:
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_object(_config.DefaultConfig)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        _config.from_environment(app.config)
    else:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _config.load_secret_key(app.instance_path)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = _config.database_url(app.instance_path)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(Path(__file__).parent / "translations"))


def register_extensions(app: Flask) -> None:
    from mediation.core import database  # noqa: F401  (installs the SQLite connection rules)
    from mediation.core import edge
    from mediation.core.i18n import select_locale, select_timezone
    from mediation.extensions import babel, csrf, db, login_manager, migrate

    import mediation.clocks.store  # noqa: F401  (keeps each case's deadline rows current at every flush)
    import mediation.models  # noqa: F401  (every model, for metadata and migrations)

    db.init_app(app)
    # First of all hooks: the request's transaction and how its changes came in (mediation.core.edge).
    app.before_request(edge.open_request)
    app.teardown_request(edge.close_request)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"), render_as_batch=True)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "strong"

    from flask_babel import lazy_gettext as _l

    login_manager.login_message = _l("Please sign in to continue.")
    login_manager.login_message_category = "info"

    from mediation.auth import services as auth_services

    @login_manager.user_loader
    def load_user(session_token: str):
        return auth_services.session_user(session_token)

    @login_manager.request_loader
    def load_user_from_token(request):
        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer ") and request.path.startswith("/api/"):
            return auth_services.token_user(header[len("Bearer "):].strip())
        return None


def register_blueprints(app: Flask) -> None:
    from mediation.admin.calendar_views import bp as calendar_admin_bp
    from mediation.admin.settings_views import bp as settings_admin_bp
    from mediation.admin.views import bp as admin_bp
    from mediation.api.views import bp as api_bp
    from mediation.attachments.views import bp as attachments_bp
    from mediation.auth.views import bp as auth_bp
    from mediation.cases.views import bp as cases_bp
    from mediation.cases import correction_views  # noqa: F401  (its routes, on the cases blueprint)
    from mediation.clocks.views import bp as clocks_bp
    from mediation.documents.views import bp as documents_bp
    from mediation.employers.views import bp as employers_bp
    from mediation.extensions import csrf
    from mediation.ledger.views import bp as ledger_bp
    from mediation.legal_aid.views import bp as legal_aid_bp
    from mediation.recovery.views import bp as recovery_bp
    from mediation.reminders.views import bp as reminders_bp
    from mediation.reports.views import bp as reports_bp
    from mediation.sessions.views import bp as sessions_bp

    for bp in (auth_bp, cases_bp, sessions_bp, recovery_bp, legal_aid_bp, clocks_bp, documents_bp, ledger_bp,
               reports_bp, admin_bp, calendar_admin_bp, settings_admin_bp, reminders_bp, attachments_bp):
        app.register_blueprint(bp)
    app.register_blueprint(employers_bp)
    csrf.exempt(api_bp)  # token or session auth; JSON only, no cookies-only writes (see api.views)
    app.register_blueprint(api_bp)


# Reached without signing in.  The calendar feed is a secret address a phone's calendar fetches: the secret
# is the key (mediation/reminders/feed.py).
PUBLIC_ENDPOINTS = {"auth.login", "auth.setup", "auth.set_language", "static", "reminders.calendar_feed"}


def register_hooks(app: Flask) -> None:
    from flask import redirect, request, url_for
    from flask_login import current_user

    @app.before_request
    def forget_cached_user():
        # ``g`` belongs to the app context, which outlives a request when one is reused (tests, CLI);
        # the user and the CSRF token must come from this request's own cookie or token.
        from flask import g

        g.pop("_login_user", None)
        g.pop("csrf_token", None)

    @app.before_request
    def require_sign_in():
        if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
            return None
        if request.blueprint == "api":
            return None  # the API answers 401 in JSON itself
        if not current_user.is_authenticated:
            from mediation.auth.services import any_user_exists

            if not any_user_exists():
                return redirect(url_for("auth.setup"))
            return app.login_manager.unauthorized()
        return None

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if request.endpoint != "static":
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def register_errorhandlers(app: Flask) -> None:
    from flask import jsonify, render_template, request
    from flask_babel import gettext as _
    from flask_wtf.csrf import CSRFError

    from mediation.core import edge
    from mediation.extensions import db

    edge.register_errorhandlers(app)

    messages = {
        400: lambda: _("The request was not understood."),
        403: lambda: _("You do not have permission to do this."),
        404: lambda: _("Not found."),
        405: lambda: _("This method is not allowed here."),
        413: lambda: _("The upload is too large."),
        500: lambda: _("Something went wrong on our side. Nothing was saved; please try again."),
    }

    def handle(error):
        code = getattr(error, "code", 500) or 500
        db.session.rollback()  # whatever the request had begun is not kept
        message = messages.get(code, messages[400])()
        if isinstance(error, CSRFError):
            message = _("The form had expired. Please try again.")
        if request.path.startswith("/api/"):
            return jsonify({"errors": {"_": [message]}}), code
        return render_template("errors.html", code=code, message=message), code

    for code in (400, 403, 404, 405, 413, 500):
        app.register_error_handler(code, handle)
    app.register_error_handler(CSRFError, handle)


def register_template_helpers(app: Flask) -> None:
    from mediation.audit import labels
    from mediation.auth import permissions
    from mediation.core import templating
    from mediation.settings import services as settings

    templating.init_app(app)
    settings.init_app(app)
    permissions.init_app(app)
    labels.init_app(app)


def register_commands(app: Flask) -> None:
    from mediation.admin.calendar_cli import calendar_cli
    from mediation.admin.cli import reference_cli
    from mediation.auth.cli import users_cli
    from mediation.clocks.cli import deadlines_cli
    from mediation.demo.cli import demo_command
    from mediation.documents.cli import documents_cli
    from mediation.ledger.cli import cases_cli
    from mediation.reminders.cli import reminders_cli
    from mediation.reports.cli import report_cli

    for command in (users_cli, cases_cli, report_cli, documents_cli, demo_command, reference_cli, calendar_cli,
                    deadlines_cli, reminders_cli):
        app.cli.add_command(command)
