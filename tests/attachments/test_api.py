"""``GET /api/v1/cases/CASE_NO/attachments``: the case's files, hidden ones only for supervisors and admins."""
from __future__ import annotations

import io

import jsonschema

from mediation.api.openapi import openapi_document
from mediation.attachments import services
from mediation.attachments.models import AttachmentKind
from mediation.auth import services as auth_services
from mediation.extensions import db
from tests.api.conftest import bearer
from tests.attachments import samples
from tests.factories import make_case


def test_the_api_lists_a_case_s_attachments(client, users):
    case = make_case(users["mediator"])
    pdf = samples.pdf()
    services.add_attachment(case, users["mediator"], file=io.BytesIO(pdf), name="劳动合同.pdf",
                            kind=AttachmentKind.CONTRACT, description="原件已核对")
    wrong = services.add_attachment(case, users["mediator"], file=io.BytesIO(samples.png()), name="别人的.png",
                                    kind=AttachmentKind.ID_COPY)
    db.session.flush()
    services.hide_attachment(case, users["mediator"], wrong, reason="不是本案材料")
    tokens = {role: auth_services.issue_token(users[role], None) for role in ("mediator", "supervisor", "lawyer")}
    db.session.commit()

    mine = client.get(f"/api/v1/cases/{case.case_no}/attachments", headers=bearer(tokens["mediator"]))
    assert mine.status_code == 200
    [item] = mine.json["items"]
    assert item["name"] == "劳动合同.pdf" and item["kind"] == "contract" and item["type"] == "pdf"
    assert item["size"] == len(pdf) and item["description"] == "原件已核对" and not item["hidden"]
    assert item["uploaded_by"] == users["mediator"].name

    everything = client.get(f"/api/v1/cases/{case.case_no}/attachments", headers=bearer(tokens["supervisor"]))
    jsonschema.validate(everything.json, openapi_document()["components"]["schemas"]["Attachments"])
    assert [(i["name"], i["hidden"], i["hidden_reason"]) for i in everything.json["items"]] == [
        ("劳动合同.pdf", False, None), ("别人的.png", True, "不是本案材料")]

    lawyer = client.get(f"/api/v1/cases/{case.case_no}/attachments", headers=bearer(tokens["lawyer"]))
    assert lawyer.status_code == 404  # not referred to them
