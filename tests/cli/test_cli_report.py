"""test_cli_report.py: `gate pending` and `gate stats` from the command line: every format read back with
Python's own csv, json and html parsers, --as-of, -o written whole or not at all, errors and exit codes."""
import csv
import html.parser
import io
import json
import os
import re
import sqlite3
import subprocess
import unicodedata

import packformat
from gatetest import GATE, GateTestCase, main

T0 = 1767225600000           # 2026-01-01
FEB = 1769904000000          # 2026-02-01
MARCH = 1772323200000        # 2026-03-01
B = {k: c * 40 for k, c in (("p1", "1"), ("p2", "2"), ("t1", "3"))}
NASTY = ["comma,user", 'quote"user', "<b>bold</b> & co", "zoë 😀", " padded "]


def policy_pack():
    """privacy v1 (1 January), v2 material published 1 February, in force 1 March; terms v1."""
    def v(n, change, published, effective, blob, commit):
        return {"n": n, "change": change, "detected": change, "published": published, "effective": effective,
                "tag": "a" * 39 + str(n), "commit": commit, "summary": "", "reason": None,
                "publisher": ("Pat", "pat@example.org"), "locales": [("en-GB", blob)]}
    privacy = [v(1, 2, T0, T0, B["p1"], "c" * 40), v(2, 2, FEB, MARCH, B["p2"], "d" * 40)]
    terms = [v(1, 2, T0, T0, B["t1"], "e" * 40)]
    texts = {B["p1"]: b"one\n", B["p2"]: b"two\n", B["t1"]: b"terms\n"}
    return packformat.seal(packformat.write_payload([("gate.defaultlocale", "en-GB")], texts,
                                                    {"privacy": privacy, "terms": terms}))


class TagText(html.parser.HTMLParser):
    """Collects the tags and the text of a page, and whether it is well nested."""
    VOID = {"meta", "br", "rect", "line", "polyline", "link", "img", "input", "hr"}

    def __init__(self):
        super().__init__()
        self.tags, self.text, self.stack, self.errors = [], [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append("</%s> closes %s" % (tag, self.stack[-1:] or "nothing"))
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


class ReportCliTest(GateTestCase):
    def setUp(self):
        super().setUp()
        self.env["GATE_PACK"] = self.write("policies.pack", policy_pack())
        self.at("2026-01-05T09:00:00Z", "accept", "alice", "privacy", "1")
        self.at("2026-01-05T09:00:00Z", "accept", "alice", "terms", "1")
        self.at("2026-01-06T09:00:00Z", "accept", "carol", "privacy", "1")
        self.at("2026-01-10T09:00:00Z", "users", "add", *NASTY)
        self.at("2026-01-20T09:00:00Z", "revoke", "carol", "privacy")
        self.at("2026-02-10T09:00:00Z", "accept", "bob", "privacy", "2")
        self.env["GATE_NOW"] = "2026-03-15T00:00:00Z"

    def at(self, when, *args):
        return self.assertOk(self.gate(*args, env={"GATE_NOW": when}))

    def raw(self, *args):
        """The exact bytes written (gate() reads text, which folds CR LF)."""
        proc = subprocess.run([GATE] + list(args), capture_output=True, env=self.env, cwd=self.tmp, timeout=600)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return proc.stdout.decode("utf-8")

    def csv_rows(self, *args):
        return list(csv.DictReader(io.StringIO(self.raw("pending", "--format", "csv", *args), newline="")))

    def test_table_lists_rows_then_totals(self):
        r = self.assertOk(self.gate("pending"))
        lines = r.out.splitlines()
        cells = [re.split(r"\s{2,}", line.strip()) for line in lines[:lines.index("")]]
        self.assertEqual(cells[0], ["USER", "DOC", "DECISION", "ACCEPTED", "TO ACCEPT", "CHANGE", "EFFECTIVE", "DAYS"])
        self.assertIn(["alice", "privacy", "block", "v1", "v2", "material", "2026-03-01", "42"], cells)
        self.assertIn(["carol", "privacy", "block", "withdrawn", "v2", "material", "2026-03-01", "53"], cells)
        self.assertEqual(len(cells), 1 + 14)
        # Aligned on a terminal: every row's document starts in the heading's column.
        def columns(text):
            return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
                       for c in text)
        column = columns(lines[0][:lines[0].index("DOC")])
        for line in lines[1:15]:
            doc = re.search(r"  (privacy|terms)  ", line).start(1)
            self.assertEqual(columns(line[:doc]), column, line)
        self.assertIn("8 users known at 2026-03-15T00:00:00Z: 8 must accept before going on (14 rows: 14 block, "
                      "0 notify).", r.out)
        self.assertIn("privacy   v2 since 2026-03-01  1 (12.5%)", r.out)
        self.assertIn("privacy:  never or withdrawn 6, v1 1, v2 (in force) 1", r.out)
        self.assertEqual(r.err, "")

    def test_csv_is_rfc4180_and_ids_read_back_exactly(self):
        out = self.raw("pending", "--format", "csv")
        self.assertTrue(out.startswith("user,doc,decision,accepted,accepted_at,revoked,required,target,"
                                       "effective,material,first_seen,pending_since,days_pending\r\n"))
        self.assertTrue(out.endswith("\r\n"))
        self.assertNotIn("\n", out.replace("\r\n", ""))
        self.assertIn('\r\n"comma,user",privacy,block,', out)
        self.assertIn('\r\n"quote""user",terms,block,', out)
        self.assertIn('\r\n" padded ",terms,block,', out)
        rows = list(csv.DictReader(io.StringIO(out, newline="")))
        users = {row["user"] for row in rows}
        self.assertTrue(set(NASTY) <= users, users)
        alice = [row for row in rows if row["user"] == "alice"]
        self.assertEqual(len(alice), 1)
        self.assertEqual(alice[0]["doc"], "privacy")
        self.assertEqual(alice[0]["decision"], "block")
        self.assertEqual(alice[0]["accepted"], "1")
        self.assertEqual(alice[0]["target"], "2")
        self.assertEqual(alice[0]["material"], "true")
        self.assertEqual(alice[0]["pending_since"], "2026-02-01T00:00:00Z")
        self.assertEqual(alice[0]["days_pending"], "42")
        carol = [row for row in rows if row["user"] == "carol" and row["doc"] == "privacy"][0]
        self.assertEqual((carol["accepted"], carol["revoked"]), ("", "true"))
        self.assertEqual(carol["pending_since"], "2026-01-20T09:00:00Z")
        # Users in id order, each user's documents in order.
        keys = [(row["user"], row["doc"]) for row in rows]
        self.assertEqual(keys, sorted(keys, key=lambda k: (k[0].encode(), k[1])))

    def test_rows_agree_with_gate_check(self):
        rows = self.csv_rows()
        for row in rows:
            r = self.gate("check", row["user"], row["doc"], "--json")
            self.assertEqual(r.code, 20 if row["decision"] == "block" else 10, repr(r))
            d = r.json()["documents"][0]
            self.assertEqual(d["decision"], row["decision"])
            self.assertEqual(str(d["target"]), row["target"])
            self.assertEqual(str(d["required"]), row["required"])
        checked = {(row["user"], row["doc"]) for row in rows}
        for user in ["alice", "bob"]:
            for doc in ["privacy", "terms"]:
                if (user, doc) not in checked:
                    self.assertEqual(self.gate("check", user, doc).code, 0)

    def test_json_streams_rows_then_totals(self):
        for args in (["--format", "json"], ["--json"]):
            out = self.assertOk(self.gate("pending", *args)).json()
            self.assertEqual(out["report"], "pending")
            self.assertIsNone(out["doc"])
            self.assertEqual(out["as_of"], "2026-03-15T00:00:00Z")
            self.assertEqual(len(out["rows"]), 14)
            t = out["totals"]
            self.assertEqual((t["users"], t["users_block"], t["users_notify"], t["rows"], t["block"]), (8, 8, 0, 14, 14))
            privacy = [d for d in t["documents"] if d["doc"] == "privacy"][0]
            self.assertEqual(privacy["in_force"], 2)
            self.assertEqual(privacy["by_version"], [{"version": None, "users": 6}, {"version": 1, "users": 1},
                                                     {"version": 2, "users": 1}])
            self.assertEqual(privacy["allow"] + privacy["notify"] + privacy["block"], t["users"])
        out = self.assertOk(self.gate("pending", "terms", "--json")).json()
        self.assertEqual(out["doc"], "terms")
        self.assertEqual({r["doc"] for r in out["rows"]}, {"terms"})

    def test_html_page_is_self_contained_and_escaped(self):
        out = self.path("report.html")
        r = self.assertOk(self.gate("pending", "--format", "html", "-o", out, "--title", "Acme & Co"))
        self.assertEqual(r.out, "")
        with open(out, encoding="utf-8") as f:
            page = f.read()
        self.assertEqual([f for f in os.listdir(self.tmp) if ".tmp-" in f], [])
        p = TagText()
        p.feed(page)
        p.close()
        self.assertEqual(p.errors, [])
        self.assertEqual(p.stack, [])
        tags = {t for t, _ in p.tags}
        self.assertFalse(tags & {"script", "link", "img", "iframe", "object"}, tags)
        for _, attrs in p.tags:
            for name, value in attrs.items():
                self.assertFalse(name.startswith("on"), name)
                self.assertNotIn("http", value or "")
        self.assertNotIn("url(", page)
        text = "".join(p.text)
        self.assertIn("Acme & Co", text)
        self.assertIn("<b>bold</b> & co", text)       # shown as text, not markup
        self.assertNotIn(("b", {}), p.tags)
        self.assertIn("svg", tags)
        self.assertIn("title", tags)
        self.assertIn("desc", tags)
        self.assertIn("8 must accept before they can go on.", text)
        rows = self.assertOk(self.gate("pending", "--format", "html", "--html-rows", "3")).out
        self.assertIn("And 11 more rows not shown here.", rows)

    def test_as_of_decides_at_another_time(self):
        # Before v2 was announced only alice and carol were known, and both were on v1.
        rows = self.csv_rows("--as-of", "2026-01-08")
        self.assertEqual([(r["user"], r["doc"]) for r in rows], [("carol", "terms")])
        # Between announcement and effect: a notice about v2.
        rows = self.csv_rows("privacy", "--as-of", "2026-02-15T12:00:00Z")
        alice = [r for r in rows if r["user"] == "alice"][0]
        self.assertEqual((alice["decision"], alice["target"], alice["days_pending"]), ("notify", "2", "14"))
        self.assertEqual([r for r in rows if r["user"] == "bob"], [])
        out = self.assertOk(self.gate("pending", "--json", "--as-of", "2026-01-08")).json()
        self.assertEqual(out["totals"]["users"], 2)
        r = self.gate("pending", "--as-of", "last tuesday")
        self.assertFails(r, code=2, message="--as-of wants a date (2026-03-01) or an RFC 3339 time")

    def test_usage_errors_and_unpublished_documents(self):
        self.assertFails(self.gate("pending", "--format", "xml"), code=2, message="unknown format 'xml'")
        self.assertFails(self.gate("pending", "--json", "--format", "csv"), code=2,
                         message="--json and --format csv ask for different formats")
        self.assertFails(self.gate("pending", "privacy", "terms"), code=2, message="too many arguments")
        self.assertFails(self.gate("pending", "--html-rows", "0"), code=2, message="--html-rows wants a number")
        self.assertFails(self.gate("pending", "Privacy!"), message="is not a valid document id")
        self.assertFails(self.gate("stats"), code=2, message="which document?")
        r = self.assertOk(self.gate("pending", "privcy", "--json"))
        self.assertEqual(r.err, "gate: note: no version of 'privcy' is published; the published documents "
                                "are privacy, terms\n")
        self.assertEqual(r.json()["rows"], [])
        self.assertEqual(r.json()["totals"]["documents"][0]["allow"], 8)
        self.assertIn("usage: gate pending [DOC]", self.assertOk(self.gate("pending", "--help")).out)
        self.assertIn("gate stats DOC", self.assertOk(self.gate("help", "stats")).out)

    def test_output_file_is_replaced_only_when_complete(self):
        out = self.write("old.csv", "keep me\n")
        self.assertFails(self.gate("pending", "-o", self.path("missing", "x.csv")), message="cannot write")
        # Damage one user's state so that the walk fails halfway: the old file stays.
        db = sqlite3.connect(self.env["GATE_PACK"] + ".db")
        db.execute("INSERT INTO states (user, doc, n, revoked, at, seq) VALUES ('zz-last', ?, 1, 0, 0, 1)",
                   ("x" * 80,))
        db.execute("INSERT INTO subjects (user, salt, commitment, first_seen) VALUES ('zz-last', ?, ?, 0)",
                   (b"\0" * 16, b"\1" * 32))
        db.commit()
        db.close()
        r = self.gate("pending", "--format", "csv", "-o", out)
        self.assertFails(r, message="the state table was altered")
        with open(out) as f:
            self.assertEqual(f.read(), "keep me\n")
        self.assertEqual([f for f in os.listdir(self.tmp) if ".tmp-" in f], [])

    def test_stats_day_by_day(self):
        out = self.assertOk(self.gate("stats", "privacy", "--json")).json()
        self.assertEqual((out["report"], out["doc"], out["users"]), ("uptake", "privacy", 8))
        self.assertIn("forgotten users", out["known_users"])
        v1, v2 = out["versions"]
        self.assertEqual(len(v1["days"]), 74)      # 1 January to 15 March
        self.assertEqual(len(v2["days"]), 43)      # 1 February to 15 March
        day = {d["date"]: d for d in v1["days"]}
        self.assertEqual((day["2026-01-04"]["known"], day["2026-01-04"]["accepted"]), (0, 0))
        self.assertIsNone(day["2026-01-04"]["share"])
        self.assertEqual((day["2026-01-06"]["known"], day["2026-01-06"]["accepted"]), (2, 2))
        self.assertEqual((day["2026-01-10"]["known"], day["2026-01-10"]["accepted"]), (7, 2))
        self.assertEqual((day["2026-01-20"]["known"], day["2026-01-20"]["accepted"]), (7, 1))
        self.assertEqual((day["2026-02-10"]["known"], day["2026-02-10"]["accepted"]), (8, 2))
        self.assertEqual(v2["days"][-1], {"date": "2026-03-15", "known": 8, "accepted": 1, "share": 0.125})

        table = self.assertOk(self.gate("stats", "privacy")).out
        self.assertIn("Known users on a day:", table)
        self.assertIn("\n2026-02-10      8  2 (25.0%)      1 (12.5%)\n", table)
        rows = list(csv.reader(io.StringIO(self.raw("stats", "privacy", "--format", "csv"), newline="")))
        self.assertEqual(rows[0], ["date", "known", "v1_accepted", "v1_share", "v2_accepted", "v2_share"])
        self.assertEqual(rows[41], ["2026-02-10", "8", "2", "0.2500", "1", "0.1250"])
        self.assertEqual(rows[1], ["2026-01-01", "0", "0", "", "", ""])

        page = self.assertOk(self.gate("stats", "privacy", "--format", "html")).out
        p = TagText()
        p.feed(page)
        self.assertEqual(p.errors, [])
        self.assertEqual(sum(1 for t, _ in p.tags if t == "polyline"), 2)
        self.assertNotIn("script", {t for t, _ in p.tags})

        # A forgotten user no longer counts, nor do their acceptances.
        self.assertOk(self.gate("forget", "bob"))
        out = self.assertOk(self.gate("stats", "privacy", "--json")).json()
        self.assertEqual(out["users"], 7)
        self.assertEqual(out["versions"][1]["days"][-1]["accepted"], 0)
        # Ending earlier.
        out = self.assertOk(self.gate("stats", "privacy", "--json", "--as-of", "2026-01-15")).json()
        self.assertEqual(len(out["versions"][0]["days"]), 15)
        self.assertEqual(out["versions"][1]["days"], [])
        # Nothing published.
        r = self.assertOk(self.gate("stats", "cookies"))
        self.assertIn("No version of cookies is published.", r.out)
        self.assertIn("no version of 'cookies' is published", r.err)


if __name__ == "__main__":
    main()
