"""Sign-in, sign-out, first-run setup, language, and the admin's user list."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from mediation.auth import services
from mediation.auth.forms import LoginForm, SetupForm, UserForm
from mediation.auth.models import ApiToken, Role, User
from mediation.core.permissions import require
from mediation.extensions import db

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    # Only paths on this site: never an open redirect.  Browsers drop tabs and newlines inside a URL
    # ('/\t/evil.example' becomes '//evil.example'), so a target with any control character is refused.
    if (target and target.startswith("/") and not target.startswith("//") and "\\" not in target
            and target.isprintable()):
        return target
    return url_for("cases.queue")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if not services.any_user_exists():
        return redirect(url_for("auth.setup"))
    if current_user.is_authenticated:
        return redirect(url_for("cases.queue"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.check_credentials(form.username.data, form.password.data)
        if user is None:
            form.password.errors.append(_("Wrong username or password, or the account is disabled."))
        else:
            session.clear()
            services.start_session(user, request.headers.get("User-Agent", ""))
            db.session.commit()
            login_user(user)
            if user.locale:
                session["lang"] = user.locale
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    services.end_session(getattr(current_user, "current_session_token", None))
    db.session.commit()
    lang = session.get("lang")
    logout_user()
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/setup", methods=["GET", "POST"])
def setup():
    """First run only: create the first administrator.  Gone once any user exists."""
    if services.any_user_exists():
        abort(404)
    form = SetupForm()
    if form.validate_on_submit():
        try:
            user = services.create_user(form.username.data, form.password.data, Role.ADMIN,
                                        form.display_name.data or "")
        except services.AccountError as exc:
            form.username.errors.append(exc.message)
        else:
            services.start_session(user, request.headers.get("User-Agent", ""))
            db.session.commit()
            login_user(user)
            flash(_("Welcome. Your administrator account is ready."), "success")
            return redirect(url_for("cases.queue"))
    return render_template("auth/setup.html", form=form)


@bp.route("/language/<code>", methods=["POST"])
def set_language(code: str):
    from flask import current_app

    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    session["lang"] = code
    if current_user.is_authenticated:
        current_user.locale = code
        db.session.commit()
    return redirect(_safe_next(request.form.get("next")))


@bp.route("/admin/users", methods=["GET", "POST"])
@require("users.manage")
def users():
    form = UserForm()
    if form.validate_on_submit():
        try:
            services.create_user(form.username.data, form.password.data, Role(form.role.data),
                                 form.display_name.data or "")
        except services.AccountError as exc:
            form.username.errors.append(exc.message)
        else:
            db.session.commit()
            flash(_("User created."), "success")
            return redirect(url_for("auth.users"))
    all_users = db.session.scalars(sa.select(User).order_by(User.username)).all()
    tokens: dict[int, list[ApiToken]] = {}
    for token in db.session.scalars(sa.select(ApiToken).where(ApiToken.revoked_at.is_(None))):
        tokens.setdefault(token.user_id, []).append(token)
    return render_template("auth/users.html", form=form, users=all_users, tokens=tokens)


@bp.route("/admin/users/<int:user_id>/active", methods=["POST"])
@require("users.manage")
def toggle_active(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    if user.id == current_user.id:
        flash(_("You cannot disable your own account."), "error")
    else:
        services.set_active(user, not user.active)
        db.session.commit()
        flash(_("Account enabled.") if user.active else _("Account disabled; its sessions have ended."), "success")
    return redirect(url_for("auth.users"))


@bp.route("/admin/tokens/<int:token_id>/revoke", methods=["POST"])
@require("users.manage")
def revoke_token(token_id: int):
    token = db.session.get(ApiToken, token_id) or abort(404)
    services.revoke_token(token)
    db.session.commit()
    flash(_("Token revoked."), "success")
    return redirect(url_for("auth.users"))
