"""pbx_call_capture against the live server: the PBX user pushes calls,
two PBX workers push the same batch at once, and the CDR client feeds a
realistic Master.csv."""

import csv
import json
import os
import subprocess
import sys
import threading
import xmlrpc.client

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def cdr(uniqueid, src="+7 495 100-00-00", dst="101", **values):
    return dict({"uniqueid": uniqueid, "src": src, "dst": dst, "start": "2026-11-23 10:00:00",
                 "duration": 30, "billsec": 25, "disposition": "ANSWERED", "source": "live-tests"}, **values)


def test_pbx_user_pushes_calls_and_nothing_else(login, admin):
    pbx = login("pbx")
    results = pbx("pbx.call", "register_calls", [[cdr("live.1"), cdr("live.2", start="garbage")]])
    assert [r["status"] for r in results] == ["created", "error"]
    with pytest.raises(xmlrpc.client.Fault):
        pbx("res.partner", "search_read", [[]], fields=["name"], limit=1)
    with pytest.raises(xmlrpc.client.Fault):
        pbx("pbx.call", "read", [[results[0]["id"]]], fields=["src"])
    assert admin("pbx.ingest.log", "search_count", [[("uniqueid", "=", "live.2")]]) == 1


def test_concurrent_pushes_store_each_call_once(login, admin, odoo_url, odoo_db):
    batch = [cdr(f"conc.{i}", src=f"+7 495 200-00-{i:02d}") for i in range(40)]
    statuses, errors = [], []

    def worker():
        try:
            proxy = xmlrpc.client.ServerProxy(f"{odoo_url}/xmlrpc/2/object", allow_none=True)
            uid = xmlrpc.client.ServerProxy(f"{odoo_url}/xmlrpc/2/common").authenticate(odoo_db, "pbx", "pbx", {})
            statuses.append(proxy.execute_kw(odoo_db, uid, "pbx", "pbx.call", "register_calls", [batch]))
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    ids = admin("pbx.call", "search", [[("uniqueid", "like", "conc.%"), ("source", "=", "live-tests")]])
    assert len(ids) == 40
    assert all(len({r["id"] for r in (statuses[0][i], statuses[1][i])}) == 1 for i in range(40))


def test_cdr_client_feeds_master_csv(tmp_path, odoo_url, odoo_db, admin):
    path = tmp_path / "Master.csv"
    rows = [
        ["", "+74951112233", "101", "from-trunk", '"Acme" <+74951112233>', "SIP/trunk-0001", "SIP/101-0002",
         "Dial", "SIP/101", "2026-11-23 09:00:00", "2026-11-23 09:00:05", "2026-11-23 09:03:05", "185", "180",
         "ANSWERED", "DOCUMENTATION", "1700000000.1", ""],
        ["", "+74951112244", "102", "from-trunk", "", "SIP/trunk-0003", "SIP/102-0004", "Dial", "SIP/102",
         "2026-11-23 09:10:00", "", "2026-11-23 09:10:30", "30", "0", "NO ANSWER", "DOCUMENTATION",
         "1700000000.2", ""],
        ["", "101", "+74951112233", "from-internal", '"Ivan" <101>', "SIP/101-0005", "SIP/trunk-0006", "Dial",
         "SIP/trunk/+74951112233", "2026-11-23 09:20:00", "2026-11-23 09:20:10", "2026-11-23 09:25:10", "310",
         "300", "ANSWERED", "DOCUMENTATION", "1700000000.3", "callback"],
        ["", "+74951112255", "101", "from-trunk", "", "SIP/trunk-0007", "", "Dial", "", "bad date", "", "",
         "5", "0", "FAILED", "DOCUMENTATION", "1700000000.4", ""],
    ]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, quoting=csv.QUOTE_ALL).writerows(rows)
    command = [sys.executable, os.path.join(ROOT, "tools", "pbx_push_cdr.py"), "--url", odoo_url, "--db", odoo_db,
               "--user", "pbx", "--password", "pbx", "--csv", str(path), "--source", "csv-test", "--batch", "2"]
    first = subprocess.run(command, capture_output=True, text=True, check=True)
    totals = json.loads(first.stdout.strip().splitlines()[-1])
    assert totals == {"created": 3, "updated": 0, "duplicate": 0, "error": 1, "lines_done": 4}
    # the state file makes the next run start where this one stopped
    second = subprocess.run(command, capture_output=True, text=True, check=True)
    assert json.loads(second.stdout.strip().splitlines()[-1])["lines_done"] == 4
    calls = admin("pbx.call", "search_read", [[("source", "=", "csv-test")]],
                  fields=["uniqueid", "direction", "partner_id", "is_missed", "called_back"], order="uniqueid")
    assert [c["direction"] for c in calls] == ["inbound", "inbound", "outbound"]
    assert calls[0]["partner_id"] and calls[0]["partner_id"] == calls[2]["partner_id"]
    assert calls[1]["is_missed"]
