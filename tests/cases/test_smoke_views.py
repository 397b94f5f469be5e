"""A first walk through the main screens with the test client."""
from tests.factories import csrf_from, make_case, valid_id_number


def test_mediator_registers_a_migrant_wage_case_and_it_leads_the_queue(client, login, users):
    make_case(users["mediator"], worker_name="李四")  # an ordinary case, registered first
    login("mediator")
    page = client.get("/cases/new")
    assert page.status_code == 200
    token = csrf_from(page.get_data(as_text=True))
    response = client.post("/cases/new", data={
        "csrf_token": token, "received_on": "2026-11-20", "channel": "walk_in",
        "application_form": "oral", "dispute_type": "13", "employer_name": "宏达建筑劳务有限公司",
        "workers-0-name": "王燊", "workers-0-id_number": valid_id_number(), "workers-0-phone": "13800138000",
        "workers-0-migrant_worker": "y", "workers-0-claimed": "8,600.50元",
        "matters": "支付拖欠工资8600.50元", "reasons": "工程完工后未结清工资",
    })
    assert response.status_code == 302, response.get_data(as_text=True)
    queue = client.get("/").get_data(as_text=True)
    assert queue.index("王燊") < queue.index("李四")
    assert "绿色通道" in queue
    assert valid_id_number() not in queue  # masked in the list


def test_a_bad_id_number_redisplays_the_form_and_saves_nothing(client, login, users, db):
    from mediation.cases.models import Case

    login("mediator")
    token = csrf_from(client.get("/cases/new").get_data(as_text=True))
    response = client.post("/cases/new", data={
        "csrf_token": token, "received_on": "2026-11-20", "channel": "walk_in",
        "application_form": "written", "dispute_type": "13", "employer_name": "某公司",
        "workers-0-name": "王五", "workers-0-id_number": "110101199003071235",
        "matters": "工资",
    })
    assert response.status_code == 422
    assert "校验" in response.get_data(as_text=True) or "check character" in response.get_data(as_text=True)
    assert db.session.query(Case).count() == 0
