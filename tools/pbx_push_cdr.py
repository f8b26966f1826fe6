#!/usr/bin/env python3
"""Push an Asterisk CDR file (Master.csv) to Odoo's pbx.call.register_calls.

Reads the standard cdr-csv columns (accountcode, src, dst, dcontext, clid,
channel, dstchannel, lastapp, lastdata, start, answer, end, duration, billsec,
disposition, amaflags, uniqueid, userfield), sends them in batches over
XML-RPC with retries, and remembers in a state file how many lines were taken,
so that the next run starts where the last one stopped.

Example:
    python3 tools/pbx_push_cdr.py --url http://localhost:8069 --db client_guard_demo \\
        --user pbx --password pbx --csv /var/log/asterisk/cdr-csv/Master.csv --source office
"""

import argparse
import csv
import json
import os
import sys
import time
import xmlrpc.client

COLUMNS = ["accountcode", "src", "dst", "dcontext", "clid", "channel", "dstchannel", "lastapp", "lastdata",
           "start", "answer", "end", "duration", "billsec", "disposition", "amaflags", "uniqueid", "userfield"]
SENT = ["accountcode", "src", "dst", "clid", "channel", "dstchannel", "start", "answer", "end", "duration",
        "billsec", "disposition", "uniqueid", "userfield"]


def read_cdr(path, skip):
    with open(path, newline="", encoding="utf-8", errors="replace") as handle:
        for number, row in enumerate(csv.reader(handle)):
            if number < skip or not row:
                continue
            record = dict(zip(COLUMNS, row, strict=False))
            yield number, {key: record.get(key, "") for key in SENT if record.get(key, "") != ""}


def load_state(path):
    if path and os.path.exists(path):
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    return {"lines_done": 0}


def save_state(path, state):
    if not path:
        return
    tmp = f"{path}.tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(state, handle)
    os.replace(tmp, path)


def push(models, args, uid, batch, retries):
    for attempt in range(retries + 1):
        try:
            return models.execute_kw(args.db, uid, args.password, "pbx.call", "register_calls", [batch])
        except (OSError, xmlrpc.client.ProtocolError) as exc:  # network or server restart: retry
            if attempt == retries:
                raise
            wait = min(2 ** attempt, 30)
            print(f"push failed ({exc}), retrying in {wait}s", file=sys.stderr)
            time.sleep(wait)
    return []


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True, help="password or API key of the PBX user")
    parser.add_argument("--csv", required=True, help="path of Master.csv")
    parser.add_argument("--state", help="state file (default: <csv>.odoo-state.json)")
    parser.add_argument("--source", default="default", help="name of this PBX (idempotency key with uniqueid)")
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--retries", type=int, default=5)
    args = parser.parse_args(argv)
    state_path = args.state or f"{args.csv}.odoo-state.json"
    state = load_state(state_path)
    common = xmlrpc.client.ServerProxy(f"{args.url}/xmlrpc/2/common", allow_none=True)
    uid = common.authenticate(args.db, args.user, args.password, {})
    if not uid:
        print("authentication failed", file=sys.stderr)
        return 2
    models = xmlrpc.client.ServerProxy(f"{args.url}/xmlrpc/2/object", allow_none=True)
    totals = {"created": 0, "updated": 0, "duplicate": 0, "error": 0}
    batch, last_line = [], state["lines_done"] - 1
    for number, record in read_cdr(args.csv, state["lines_done"]):
        record["source"] = args.source
        batch.append(record)
        last_line = number
        if len(batch) >= args.batch:
            for result in push(models, args, uid, batch, args.retries):
                totals[result["status"]] += 1
            state["lines_done"] = last_line + 1
            save_state(state_path, state)
            batch = []
    if batch:
        for result in push(models, args, uid, batch, args.retries):
            totals[result["status"]] += 1
        state["lines_done"] = last_line + 1
        save_state(state_path, state)
    print(json.dumps(dict(totals, lines_done=state["lines_done"])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
