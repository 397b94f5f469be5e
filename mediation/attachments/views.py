"""Attachments on the case page: the list with previews, the upload, hiding, and serving the files.

Files are served only to users who may see the case (a lawyer: the cases referred to them; anyone else
gets 404), with ``nosniff``; images and PDFs inline (the browser shows them), Office documents as
downloads.  A hidden attachment is served only to those who still see it listed (supervisors, admins).
"""
from __future__ import annotations

from types import SimpleNamespace
from urllib.parse import quote

from flask import Blueprint, Response, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.wsgi import FileWrapper

from mediation.attachments import services
from mediation.attachments.filetypes import accepted_extensions
from mediation.attachments.forms import AttachmentForm, HideAttachmentForm
from mediation.attachments.models import Attachment, AttachmentKind
from mediation.attachments.storage import MissingFile
from mediation.auth.permissions import can, require
from mediation.cases.pages import case_page, case_panel, load_case, validate_on_case_page
from mediation.core.edge import CORRECT_FIELDS
from mediation.extensions import db

bp = Blueprint("attachments", __name__)

# Room for the form's other fields and the multipart framing around the file, above the file's own limit.
FORM_ALLOWANCE = 64 * 1024


@bp.url_value_preprocessor
def limit_upload_size(endpoint, _values):
    # Runs before every before_request hook (the CSRF check reads the form first): an upload may be as
    # large as the attachment limit, whatever MAX_CONTENT_LENGTH says for other requests; a larger one is
    # refused before it is read (too_large below).
    if endpoint == "attachments.upload":
        request.max_content_length = services.max_bytes() + FORM_ALLOWANCE


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_error):
    """An upload above the limit: the case page again, with the message at the upload form (413)."""
    db.session.rollback()
    _drain_body()
    # The request's form is not read (that is the point): the page's forms are drawn as if nothing was sent.
    request.form = request.parameter_storage_class()
    request.files = request.parameter_storage_class()
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    try:
        if request.endpoint != "attachments.upload" or not can(current_user, "attachment.add"):
            abort(403)
        case = load_case((request.view_args or {}).get("case_no", ""))
    except HTTPException as refused:  # raised here, it would escape the error handling (a 500)
        return current_app.handle_http_exception(refused)
    form = AttachmentForm(formdata=None)
    form.file.errors = [services.too_large_message()]
    flash(CORRECT_FIELDS, "error")
    return case_page(case, {"attachment": form}, 413)


# How much of a refused upload is read and thrown away, as a multiple of the limit (see _drain_body).
DRAIN_FACTOR = 4


def _drain_body() -> None:
    """Read the rest of a refused upload, so that the browser, still sending it, gets the page with the
    message rather than a broken connection; one more than a few times the limit is cut off all the same."""
    length = request.content_length or 0
    stream = request.environ.get("wsgi.input")
    if stream is None or length > DRAIN_FACTOR * services.max_bytes():
        return
    while length > 0:
        chunk = stream.read(min(length, 1024 * 1024))
        if not chunk:
            break
        length -= len(chunk)


def _attachment(case, attachment_id: int) -> Attachment:
    """The case's attachment, if this user may see it (a hidden one: supervisors and admins); else 404."""
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.case_id != case.id:
        abort(404)
    if attachment.hidden and not can(current_user, "attachment.view_hidden"):
        abort(404)
    return attachment


@bp.route("/cases/<path:case_no>/attachments", methods=["POST"])
@require("attachment.add")
def upload(case_no: str):
    case = load_case(case_no)  # a lawyer: only a case referred to them
    form = AttachmentForm()
    validate_on_case_page(case, "attachment", form)
    upload = form.file.data
    attachment = services.add_attachment(
        case, current_user, file=upload.stream, name=upload.filename or "",
        kind=AttachmentKind(form.kind.data), description=form.description.data or "")
    flash(_("“%(name)s” attached.", name=attachment.original_name), "success")
    return redirect(url_for("cases.detail", case_no=case.case_no, _anchor="attachments"))


@bp.route("/cases/<path:case_no>/attachments/<int:attachment_id>/hide", methods=["POST"])
@require("attachment.hide")
def hide(case_no: str, attachment_id: int):
    case = load_case(case_no)
    attachment = _attachment(case, attachment_id)
    form = HideAttachmentForm(prefix=f"hide{attachment.id}")
    validate_on_case_page(case, f"hide_{attachment.id}", form)
    services.hide_attachment(case, current_user, attachment, reason=form.reason.data or "")
    flash(_("“%(name)s” taken off the case; it is kept for the record.", name=attachment.original_name),
          "success")
    return redirect(url_for("cases.detail", case_no=case.case_no, _anchor="attachments"))


def content_disposition(attachment: Attachment, inline: bool) -> str:
    """``inline`` or ``attachment`` with an ASCII ``filename`` and the real name as RFC 5987 ``filename*``."""
    name = attachment.download_name
    fallback = f"attachment-{attachment.id}.{attachment.file_type.extension}"
    try:
        name.encode("ascii")
        plain = name.replace("\\", "_").replace('"', "_")
    except UnicodeEncodeError:
        plain = fallback
    return (f"{'inline' if inline else 'attachment'}; filename=\"{plain}\"; "
            f"filename*=UTF-8''{quote(name, safe='')}")


def _send(data_stream, *, mimetype: str, size: int, disposition: str) -> Response:
    response = Response(FileWrapper(data_stream), mimetype=mimetype, direct_passthrough=True)
    response.content_length = size
    response.headers["Content-Disposition"] = disposition
    response.headers["X-Content-Type-Options"] = "nosniff"
    if mimetype.startswith("image/"):
        # An image opened on its own: nothing in its page may load or run (PDFs keep the browser's viewer).
        response.headers["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    return response


@bp.route("/cases/<path:case_no>/attachments/<int:attachment_id>/file")
@require("case.view")
def download(case_no: str, attachment_id: int):
    case = load_case(case_no)
    attachment = _attachment(case, attachment_id)
    inline = attachment.file_type.shown_inline and not request.args.get("download")
    try:
        stream = services.open_file(attachment)
    except MissingFile:
        current_app.logger.error("attachment %s of case %s: file %s missing from the store",
                                 attachment.id, case.case_no, attachment.storage_key)
        abort(404)
    return _send(stream, mimetype=attachment.file_type.mimetype, size=attachment.size_bytes,
                 disposition=content_disposition(attachment, inline))


@bp.route("/cases/<path:case_no>/attachments/<int:attachment_id>/preview.png")
@require("case.view")
def preview(case_no: str, attachment_id: int):
    case = load_case(case_no)
    attachment = _attachment(case, attachment_id)
    try:
        png = services.preview_png(attachment)
    except MissingFile:
        abort(404)
    if png is None:
        abort(404)
    response = Response(png, mimetype="image/png")
    response.headers["Content-Disposition"] = f"inline; filename=\"preview-{attachment.id}.png\""
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@case_panel(bp, "attachments", "attachments/_panel.html", order=50)
def attachments_panel(case, panel_forms: dict) -> SimpleNamespace:
    include_hidden = can(current_user, "attachment.view_hidden")
    items = services.case_attachments(case, include_hidden=include_hidden)
    upload_form = None
    if can(current_user, "attachment.add") and services.may_add(case, current_user):
        upload_form = panel_forms.get("attachment") or AttachmentForm(formdata=None)
    may_hide = can(current_user, "attachment.hide")
    hide_forms = {}
    if may_hide:
        hide_forms = {a.id: panel_forms.get(f"hide_{a.id}")
                      or HideAttachmentForm(formdata=None, prefix=f"hide{a.id}") for a in items if not a.hidden}
    return SimpleNamespace(
        items=items, upload_form=upload_form, hide_forms=hide_forms,
        limit=services.format_size(services.max_bytes()), accept=",".join(accepted_extensions()),
        max_bytes=services.max_bytes(), format_size=services.format_size,
        shown=sum(1 for a in items if not a.hidden),
    )
