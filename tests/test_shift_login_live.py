"""shift_close_check against the live server: logins of one employee at the
same moment (tabs, the web client and the phone) open one shift, and none of
them fails. The module test (TestConcurrentLogins) forces the interleaving;
here the logins are real HTTP sessions racing each other."""

import json
import threading
import urllib.request

import pytest

LOGINS_AT_ONCE = 4
ROUNDS = 3


def web_login(url, db, login, password):
    request = urllib.request.Request(
        f"{url}/web/session/authenticate",
        data=json.dumps({"jsonrpc": "2.0", "method": "call",
                         "params": {"db": db, "login": login, "password": password}}).encode(),
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read())


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_parallel_logins_open_one_shift(round_, login, odoo_url, odoo_db):
    officer, maria = login("officer"), login("maria")
    uid = maria.uid
    # start from no open shift: the officer force-closes the one a previous login opened
    open_ids = officer("work.shift", "search", [[("user_id", "=", uid), ("state", "=", "open")]])
    if open_ids:
        officer("work.shift", "action_force_close", [open_ids, f"live test round {round_}"])
    assert officer("work.shift", "search_count", [[("user_id", "=", uid), ("state", "=", "open")]]) == 0

    barrier = threading.Barrier(LOGINS_AT_ONCE, timeout=60)
    answers, errors = [], []

    def log_in():
        try:
            barrier.wait()
            answers.append(web_login(odoo_url, odoo_db, "maria", "maria"))
        except Exception as exc:  # the assertion below shows it
            errors.append(exc)

    threads = [threading.Thread(target=log_in) for _ in range(LOGINS_AT_ONCE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(180)
    assert not errors, errors
    assert [answer.get("error") for answer in answers] == [None] * LOGINS_AT_ONCE, answers
    assert {answer["result"]["uid"] for answer in answers} == {uid}
    assert officer("work.shift", "search_count", [[("user_id", "=", uid), ("state", "=", "open")]]) == 1
