"""register_calls: one bad record never sinks the batch (issue 12 §2), and
one way in for a call (issue 12 §4)."""

from unittest.mock import patch

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.tests import TransactionCase, new_test_user, tagged

# arbitrary JSON-like values (what JSON-RPC or XML-RPC may carry)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
    | st.sampled_from(["inf", "1e400", "-5", "NaN", "", "\x00", "9999-12-31 23:59:59-05:00", "ANSWERED"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=5,
)
DIGITS = st.text(alphabet="0123456789", min_size=7, max_size=7)
VALID = {
    "src": DIGITS.map(lambda d: f"+7495{d}"),
    "dst": st.sampled_from(["9201", "9202"]),
    "clid": st.one_of(st.just(""), st.text(alphabet="ABCабв ", max_size=10).map(lambda n: f'"{n}" <+74950000000>')),
    "start": st.integers(min_value=0, max_value=10_000).map(lambda m: f"2026-11-2{m // 2000} {m % 24:02d}:00:00"),
    "disposition": st.sampled_from(["ANSWERED", "answered", "NO ANSWER"]),
    "direction": st.sampled_from(["inbound", "outbound", "internal"]),
    "channel": st.just("SIP/trunk-0001"),
    "dstchannel": st.sampled_from(["SIP/9201-0002", ""]),
    "recording_url": st.sampled_from(["", "https://pbx.example/rec.wav"]),
    "userfield": st.text(alphabet="xyz", max_size=5),
}


@st.composite
def cdr_records(draw):
    """A record built from valid values, with (maybe) some fields replaced by
    arbitrary ones; returns (record, built_valid)."""
    uniqueid = draw(st.sampled_from([f"h{i}" for i in range(8)]))
    record = {"uniqueid": uniqueid, "source": "hypothesis"}
    for name, strategy in VALID.items():
        if draw(st.booleans()):
            record[name] = draw(strategy)
    record.setdefault("start", "2026-11-23 10:00:00")
    answered = record.get("disposition", "ANSWERED").upper() == "ANSWERED"
    duration = draw(st.integers(min_value=0, max_value=3600))
    record["duration"] = duration
    record["billsec"] = draw(st.integers(min_value=0, max_value=duration)) if answered else 0
    broken = draw(st.lists(st.sampled_from(
        ["uniqueid", "src", "dst", "clid", "start", "answer", "end", "duration", "billsec", "disposition",
         "channel", "dstchannel", "direction", "extension", "recording_url", "accountcode"]), max_size=3, unique=True))
    for name in broken:
        record[name] = draw(JSON_VALUES)
    return record, not broken


@tagged("post_install", "-at_install")
class TestRegisterCallsRobust(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.env["ir.config_parameter"].sudo().set_param("pbx_call_capture.timezone", "Europe/Moscow")
        cls.env.company.country_id = cls.env.ref("base.ru")
        cls.employee = new_test_user(cls.env, "pbx_rob_emp", groups="base.group_user")
        cls.employee.pbx_extension = "9201"
        cls.integration = new_test_user(cls.env, "pbx_rob_int", groups="pbx_call_capture.group_pbx_integration")
        cls.Call = cls.env["pbx.call"].with_user(cls.integration)

    def cdr(self, uniqueid, **values):
        base = {"uniqueid": uniqueid, "src": "+74991230000", "dst": "9201", "start": "2026-11-23 10:00:00",
                "duration": 65, "billsec": 60, "disposition": "ANSWERED"}
        base.update(values)
        return base

    def assert_logged(self, result, fragment):
        self.assertEqual(result["status"], "error", result)
        self.assertIn(fragment, result["error"])
        log = self.env["pbx.ingest.log"].browse(result["log_id"])
        self.assertTrue(log.exists())
        self.assertEqual(log.error, result["error"])

    def test_bad_records_do_not_sink_the_batch(self):
        bad = [
            (self.cdr("b1", disposition=["ANSWERED"]), "disposition"),
            (self.cdr("b2", direction={"in": 1}), "direction"),
            (self.cdr("b3", dstchannel=42.5), "dstchannel"),
            (self.cdr("b4", duration="inf"), "duration"),
            (self.cdr("b5", duration="1e400"), "duration"),
            (self.cdr("b6", start="9999-12-31 23:59:59-05:00"), "start"),
            (self.cdr("b7", clid={"name": "Acme"}), "clid"),
            (self.cdr("b8", recording_url={"url": "x"}), "recording_url"),
            (self.cdr("b9", clid="Acme\x00"), "NUL"),
            (self.cdr("b10\x00"), "NUL"),
            (self.cdr("b11", end="2026-11-23 09:59:00"), "Impossible"),
            (self.cdr("b12", answer="2026-11-23 09:00:00"), "Impossible"),
            (self.cdr("b13", disposition="NO ANSWER", billsec=30), "Impossible"),
            (self.cdr("b14", duration=float("nan")), "duration"),
            (self.cdr("b15", src="\ud800"), "src"),
            (self.cdr("b16", duration=10**30), "duration"),
            (self.cdr("b17", start="2126-01-01 10:00:00"), "start"),
            (self.cdr("b18", billsec=True), "billsec"),
        ]
        batch = [self.cdr("good1")] + [record for record, _fragment in bad] + [dict(self.cdr("good2"), uniqueid=2**40)]
        results = self.Call.register_calls(batch)
        self.assertEqual(results[0]["status"], "created")
        self.assertEqual(results[-1]["status"], "created")
        self.assertEqual(results[-1]["uniqueid"], str(2**40), "echoed as text: no number too large for XML-RPC")
        for result, (_record, fragment) in zip(results[1:-1], bad, strict=True):
            with self.subTest(fragment=fragment, uniqueid=result["uniqueid"]):
                self.assert_logged(result, fragment)
                self.assertNotIn("\x00", result["uniqueid"] or "")
        self.assertEqual(self.env["pbx.call"].search_count([("uniqueid", "in", ["good1", str(2**40)])]), 2)
        self.assertEqual(self.env["pbx.ingest.log"].search_count([("state", "=", "error")]), len(bad))

    def test_same_call_twice_in_a_batch_is_completed(self):
        results = self.Call.register_calls([
            self.cdr("twice", duration=40, billsec=30),
            self.cdr("twice", duration=95, billsec=90, recording_url="https://pbx.example/twice.wav"),
            self.cdr("twice", duration=95, billsec=90),
        ])
        self.assertEqual([r["status"] for r in results], ["created", "updated", "duplicate"])
        self.assertEqual(len({r["id"] for r in results}), 1)
        call = self.env["pbx.call"].browse(results[0]["id"])
        self.assertEqual((call.duration, call.billsec), (95, 90))
        self.assertEqual(call.recording_url, "https://pbx.example/twice.wav")
        # a stored call completed twice in one later batch
        results = self.Call.register_calls([
            self.cdr("twice", duration=95, billsec=90, userfield="first"),
            self.cdr("twice", duration=120, billsec=90),
        ])
        self.assertEqual([r["status"] for r in results], ["updated", "updated"])
        self.assertEqual((call.duration, call.userfield), (120, "first"))
        self.assertEqual(self.env["pbx.call"].search_count([("uniqueid", "=", "twice")]), 1)

    def test_one_way_in_for_a_call(self):
        """register_calls creates its calls through create(), the one method an
        extension overrides; create() over RPC never takes the fast insert."""
        Model = type(self.env["pbx.call"])
        seen = []
        original = Model.create

        def spy(records, vals_list):
            seen.extend(vals_list if isinstance(vals_list, list) else [vals_list])
            return original(records, vals_list)

        with patch.object(Model, "create", spy):
            results = self.Call.register_calls([self.cdr("way1"), self.cdr("way2", src="+74991239999")])
        self.assertEqual(sorted(v["uniqueid"] for v in seen), ["way1", "way2"])
        self.assertEqual({r["status"] for r in results}, {"created"})
        # the marker of prepared values is an object no RPC caller can send
        call = self.env["pbx.call"].with_context(pbx_prepared_values=True).create(
            {"uniqueid": "orm1", "start": "2026-11-23 10:00:00"})
        self.assertTrue(call.exists())
        self.assertFalse(call.has_note, "created by the ORM: computed fields computed")

    @settings(max_examples=40, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(st.lists(st.one_of(cdr_records(), JSON_VALUES.map(lambda v: (v, False))), min_size=1, max_size=6))
    def test_arbitrary_records(self, drawn):
        """Arbitrary JSON-like values in every field: never a server error,
        every valid call stored exactly once, every invalid one logged."""
        records = [record for record, _valid in drawn]
        savepoint = self.env.cr.savepoint()
        try:
            results = self.Call.register_calls(records)
            self.assertEqual(len(results), len(records))
            for (record, valid), result in zip(drawn, results, strict=True):
                self.assertIn(result["status"], ("created", "updated", "duplicate", "error"))
                if valid:
                    self.assertNotEqual(result["status"], "error", (record, result))
                if result["status"] == "error":
                    self.assertTrue(result["error"])
                    self.assertTrue(self.env["pbx.ingest.log"].browse(result["log_id"]).exists())
                else:
                    call = self.env["pbx.call"].browse(result["id"])
                    self.assertEqual(call.source, "hypothesis")
                    self.assertEqual(self.env["pbx.call"].search_count(
                        [("source", "=", "hypothesis"), ("uniqueid", "=", call.uniqueid)]), 1)
            stored = {r["id"] for r in results if r["status"] != "error"}
            self.assertEqual(len(stored), self.env["pbx.call"].search_count([("source", "=", "hypothesis")]))
            logged = sum(1 for r in results if r["status"] == "error")
            self.assertEqual(len({r["log_id"] for r in results if r["status"] == "error"}), logged)
        finally:
            savepoint.close(rollback=True)
            self.env.invalidate_all(flush=False)
