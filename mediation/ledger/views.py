"""The ledger on the web: the two-step upload (check, then confirm) and the download of the queue's cases."""
from __future__ import annotations

import io

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from mediation.auth.permissions import can, require
from mediation.core.edge import on_refusal
from mediation.cases.forms import QueueFilterForm
from mediation.cases.queue import filter_clauses
from mediation.ledger import ledger_export, ledger_import, sheets, uploads
from mediation.ledger.forms import ConfirmForm, UploadForm
from mediation.ledger.rows import KEYS, REQUIRED_KEYS, ZH_HEADINGS

bp = Blueprint("ledger", __name__, url_prefix="/ledger")

MIMETYPES = {
    ".csv": "text/csv; charset=utf-8",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _page(form: UploadForm, status: int = 200, **context):
    columns = [(key, ZH_HEADINGS[key], key in REQUIRED_KEYS) for key in KEYS]
    return render_template("ledger/upload.html", form=form, columns=columns, **context), status


@bp.route("/import", methods=["GET", "POST"])
@require("ledger.import")
def upload():
    """Step 1: upload and check (nothing saved); step 2 (a confirmation form) imports the checked file."""
    if request.method == "POST" and "upload" in request.form:
        return _confirm()
    form = UploadForm()
    if not form.validate_on_submit():
        return _page(form, 422 if form.errors else 200)
    file_name = form.ledger.data.filename or ""
    token = uploads.store(form.ledger.data, sheets.file_type(file_name))
    checked = ledger_import.check_file(uploads.path_for(token))
    if not checked.ok:
        uploads.discard(token)
        return _page(form, 422, checked=checked, file_name=file_name)
    return _page(UploadForm(formdata=None), checked=checked, file_name=file_name,
                 confirm=ConfirmForm(upload=token))


def _confirm():
    confirm = ConfirmForm()
    path = uploads.path_for(confirm.upload.data) if confirm.validate_on_submit() else None
    if path is None:
        flash(_("The checked file is no longer waiting to be imported; please upload it again."), "error")
        return redirect(url_for(".upload"))
    token = confirm.upload.data
    checked = ledger_import.check_file(path)  # again: reference lists or cases may have changed since
    uploads.discard(token)
    if not checked.ok:
        return _page(UploadForm(formdata=None), 422, checked=checked)  # 422: the edge keeps nothing
    # A row the services refuse while importing: the page lists it with the check's findings.
    on_refusal(lambda: _page(UploadForm(formdata=None), 422, checked=checked), page_shows_message=True)
    try:
        added = ledger_import.import_checked(checked, current_user._get_current_object())
    except ledger_import.ImportFailed as exc:
        checked.problems.append(exc.problem)
        raise
    flash(_("Ledger imported: %(new)d new cases, %(present)d already present.", new=added,
            present=len(checked.rows) - added), "success")
    return redirect(url_for("cases.queue"))


@bp.route("/export")
@require("ledger.export")
def download():
    """The cases the queue shows with the same filters, as a ledger; ID and phone numbers masked unless
    the user may export them in full."""
    filters = QueueFilterForm(request.args).filters()
    file_type = ".csv" if request.args.get("format") == "csv" else ".xlsx"
    headings = "en" if request.args.get("headings") == "en" else "zh"
    masked = not can(current_user, "ledger.export_full")
    data = ledger_export.export_to_bytes(file_type, filter_clauses(current_user, filters),
                                         mask_personal=masked, headings=headings)
    return send_file(io.BytesIO(data), mimetype=MIMETYPES[file_type], as_attachment=True,
                     download_name=ledger_export.download_name(file_type, masked=masked))
