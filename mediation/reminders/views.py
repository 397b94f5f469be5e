"""Each person's reminders: their digests (the newest unread one is also on the worklist), and their
calendar feed — its address made, reset or stopped here, and the feed itself, which a calendar fetches
without signing in (the secret in its address is the key: :mod:`.feed`).

Thin views: load or 404, check the permission, call one service, redirect; the edge commits.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from mediation.auth.permissions import require
from mediation.core.edge import on_refusal
from mediation.extensions import db
from mediation.reminders import digests, feed, ical
from mediation.reminders.mail import mail_configured
from mediation.reminders.models import Digest

bp = Blueprint("reminders", __name__)


@bp.app_context_processor
def _newest_digest():
    """``unread_digest()`` for the worklist, which shows the newest digest its reader has not marked read
    (the worklist's own area knows nothing of reminders)."""
    def unread_digest():
        return digests.newest_unread(current_user) if current_user.is_authenticated else None
    return {"unread_digest": unread_digest}

# Where "mark as read" returns to: the page it was pressed on.
RETURN_TO = {"worklist": "clocks.home", "reminders": "reminders.index"}
FEED_CACHE = "private, max-age=300"  # a calendar may keep it five minutes; a shared cache never


def _page(new_address: str | None = None):
    user = current_user._get_current_object()
    return render_template("reminders/index.html", digests=digests.recent(user), new_address=new_address,
                           has_feed=user.calendar_token_hash is not None, mail=mail_configured())


@bp.route("/reminders")
@require("reminders.own")
def index():
    return _page()


@bp.route("/reminders/<int:digest_id>/read", methods=["POST"])
@require("reminders.own")
def mark_read(digest_id: int):
    digest = db.session.get(Digest, digest_id)
    if digest is None or digest.user_id != current_user.id:
        abort(404)
    digests.mark_read(digest, current_user)
    return redirect(url_for(RETURN_TO.get(request.form.get("next"), "reminders.index")))


@bp.route("/reminders/feed", methods=["POST"])
@require("reminders.own")
def make_feed():
    """A new feed address (replacing any before it), shown on the page this once: only its hash is kept."""
    on_refusal(lambda: redirect(url_for(".index", _anchor="feed")))
    raw = feed.make_feed_address(current_user._get_current_object(), current_user)
    return _page(new_address=url_for(".calendar_feed", token=raw, _external=True))


@bp.route("/reminders/feed/stop", methods=["POST"])
@require("reminders.own")
def stop_feed():
    if feed.stop_feed(current_user._get_current_object(), current_user):
        flash(_("Your calendar feed is stopped: its address no longer works."), "success")
    return redirect(url_for(".index", _anchor="feed"))


@bp.route("/calendar/<token>.ics")
def calendar_feed(token: str):
    """The feed (no sign-in: see ``PUBLIC_ENDPOINTS``); 404 for an address that opens nobody's."""
    user = feed.feed_owner(token)
    if user is None:
        abort(404)
    response = make_response(ical.calendar(user))
    response.mimetype = "text/calendar"
    response.headers["Content-Disposition"] = 'inline; filename="mediation.ics"'
    response.headers["Cache-Control"] = FEED_CACHE
    return response
