"""Sign-in, sign-out, first-run setup, language, and the admin's user list."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from mediation.auth import services
from mediation.auth.forms import EditUserForm, LoginForm, SetupForm, UserForm
from mediation.auth.models import ApiToken, Role, User
from mediation.auth.permissions import require
from mediation.core.edge import on_refusal, validate
from mediation.extensions import db

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    # Only paths on this site: never an open redirect.  Browsers drop tabs and newlines inside a URL
    # ('/\t/evil.example' becomes '//evil.example'), so a target with any control character is refused.
    if (target and target.startswith("/") and not target.startswith("//") and "\\" not in target
            and target.isprintable()):
        return target
    return url_for("clocks.home")  # each person's home page: their worklist


@bp.route("/login", methods=["GET", "POST"])
def login():
    if not services.any_user_exists():
        return redirect(url_for("auth.setup"))
    if current_user.is_authenticated:
        return redirect(url_for("clocks.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.check_credentials(form.username.data, form.password.data)
        if user is None:
            form.password.errors.append(_("Wrong username or password, or the account is disabled."))
        else:
            session.clear()
            services.start_session(user, request.headers.get("User-Agent", ""))
            login_user(user)
            if user.locale:
                session["lang"] = user.locale
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    services.end_session(getattr(current_user, "current_session_token", None))
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
    if request.method == "GET":
        return render_template("auth/setup.html", form=form)
    validate(form, lambda: render_template("auth/setup.html", form=form))
    user = services.create_user(form.username.data, form.password.data, Role.ADMIN,
                                form.display_name.data or "", actor=None)
    services.start_session(user, request.headers.get("User-Agent", ""))
    login_user(user)
    flash(_("Welcome. Your administrator account is ready."), "success")
    return redirect(url_for("clocks.home"))


@bp.route("/language/<code>", methods=["POST"])
def set_language(code: str):
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    session["lang"] = code
    if current_user.is_authenticated:
        current_user.locale = code  # a preference of one's own, not a change to audit
    return redirect(_safe_next(request.form.get("next")))


def _users_page(form: UserForm, new_token: tuple[User, str] | None = None):
    all_users = db.session.scalars(sa.select(User).order_by(User.username)).all()
    tokens: dict[int, list[ApiToken]] = {}
    for token in db.session.scalars(sa.select(ApiToken).where(ApiToken.revoked_at.is_(None))):
        tokens.setdefault(token.user_id, []).append(token)
    return render_template("auth/users.html", form=form, users=all_users, tokens=tokens, new_token=new_token)


@bp.route("/admin/users", methods=["GET", "POST"])
@require("users.manage")
def users():
    form = UserForm()
    if request.method == "GET":
        return _users_page(form)
    validate(form, lambda: _users_page(form))
    services.create_user(form.username.data, form.password.data, Role(form.role.data),
                         form.display_name.data or "", actor=current_user, email=form.email.data or "")
    flash(_("User created."), "success")
    return redirect(url_for("auth.users"))


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@require("users.manage")
def edit_user(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = EditUserForm(obj=user, role=user.role.value) if request.method == "GET" else EditUserForm()

    def page():
        return render_template("auth/edit_user.html", form=form, user=user)

    if request.method == "GET":
        return page()
    validate(form, page)
    services.change_user(user, current_user, role=Role(form.role.data), display_name=form.display_name.data,
                         email=form.email.data or "")
    if form.password.data:
        services.set_password(user, current_user, password=form.password.data)
    flash(_("User saved."), "success")
    return redirect(url_for("auth.users"))


@bp.route("/admin/users/<int:user_id>/active", methods=["POST"])
@require("users.manage")
def toggle_active(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    on_refusal(lambda: redirect(url_for("auth.users")))
    services.set_active(user, current_user, active=not user.active)
    flash(_("Account enabled.") if user.active else _("Account disabled; its sessions have ended."), "success")
    return redirect(url_for("auth.users"))


@bp.route("/admin/users/<int:user_id>/tokens", methods=["POST"])
@require("users.manage")
def issue_token(user_id: int):
    """A new API token, shown on the page this once (only its hash is kept)."""
    user = db.session.get(User, user_id) or abort(404)
    on_refusal(lambda: redirect(url_for("auth.users")))
    raw = services.issue_token(user, current_user)
    return _users_page(UserForm(formdata=None), new_token=(user, raw))


@bp.route("/admin/tokens/<int:token_id>/revoke", methods=["POST"])
@require("users.manage")
def revoke_token(token_id: int):
    token = db.session.get(ApiToken, token_id) or abort(404)
    services.revoke_token(token, current_user)
    flash(_("Token revoked."), "success")
    return redirect(url_for("auth.users"))
