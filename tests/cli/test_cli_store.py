"""test_cli_store.py: accept, revoke, check, users, import, export, forget, verify and checkpoint from the
command line: words, JSON shapes, exit codes (0/10/20, 1 for errors, 2 for usage) and one-line errors.

The exported evidence is checked with an independent implementation of docs/acceptance-log.md."""
import datetime
import hashlib
import json
import os
import sqlite3
import struct
import subprocess
import unittest

import packformat
from gatetest import GateTestCase, WITH_GIT, main

T0 = 1767225600000           # 2026-01-01
MARCH = 1772323200000        # 2026-03-01
JULY = 1782864000000         # 2026-07-01
B = {k: c * 40 for k, c in (("p1", "1"), ("p1cy", "2"), ("p2", "3"), ("p3", "4"), ("t1", "5"))}


def policy_pack():
    """privacy v1 (material, en-GB and cy-GB), v2 (editorial, 1 March), v3 (material, 1 July); terms v1."""
    def v(n, change, effective, locales, commit):
        return {"n": n, "change": change, "detected": change, "published": T0, "effective": effective,
                "tag": "a" * 39 + str(n), "commit": commit, "summary": "", "reason": None,
                "publisher": ("Pat", "pat@example.org"), "locales": locales}
    privacy = [v(1, 2, T0, [("en-GB", B["p1"]), ("cy-GB", B["p1cy"])], "c" * 40),
               v(2, 1, MARCH, [("en-GB", B["p2"])], "d" * 40),
               v(3, 2, JULY, [("en-GB", B["p3"])], "e" * 40)]
    terms = [v(1, 2, T0, [("en-GB", B["t1"])], "f" * 40)]
    texts = {B["p1"]: b"one\n", B["p1cy"]: b"un\n", B["p2"]: b"one.\n", B["p3"]: b"three\n", B["t1"]: b"terms\n"}
    return packformat.seal(packformat.write_payload([("gate.defaultlocale", "en-GB")], texts,
                                                    {"privacy": privacy, "terms": terms}))


def ms(text):
    """RFC 3339 as written by gate_time_format() to milliseconds."""
    d = datetime.datetime.strptime(text.replace("Z", "+0000"), "%Y-%m-%dT%H:%M:%S.%f%z" if "." in text
                                   else "%Y-%m-%dT%H:%M:%S%z")
    return int(d.timestamp() * 1000)


def event_hash(ev, subject, prev):
    """docs/acceptance-log.md, written again from the document."""
    def f(b):
        return struct.pack(">I", len(b)) + b
    enc = bytes([1]) + struct.pack(">Q", ev["seq"]) + bytes([1 if ev["type"] == "accept" else 2])
    enc += f(subject) + f(ev["doc"].encode()) + struct.pack(">I", ev["version"]) + f(ev["locale"].encode())
    enc += f(bytes.fromhex(ev["commit"])) + f(bytes.fromhex(ev["blob"])) + struct.pack(">q", ms(ev["at"]))
    enc += f(ev["method"].encode()) + f(ev["client"].encode()) + prev
    return hashlib.sha256(enc).hexdigest()


class StoreCliTest(GateTestCase):
    def setUp(self):
        super().setUp()
        self.pack = self.write("policies.pack", policy_pack())
        self.env["GATE_PACK"] = self.pack
        self.env["GATE_NOW"] = "2026-06-01T00:00:00Z"
        self.db = self.pack + ".db"

    def events(self):
        return self.assertOk(self.gate("verify", "--json")).json()["events"]

    def test_check_speaks_in_words_and_exit_codes(self):
        r = self.gate("check", "alice")
        self.assertEqual(r.code, 20, repr(r))
        self.assertEqual(r.out.splitlines()[0], "alice: block (the strongest of 2 documents)")
        self.assertIn("privacy: block: alice has never accepted privacy; they must accept v2 "
                      "(in force since 2026-03-01T00:00:00Z) before going on.", r.out)
        self.assertOk(self.gate("accept", "alice", "privacy", "1"))
        r = self.gate("check", "alice", "privacy")
        self.assertEqual(r.code, 10, repr(r))
        self.assertIn("alice accepted v1; v3 changes it materially and takes effect on 2026-07-01T00:00:00Z: "
                      "let them in and offer it now.", r.out)
        self.assertOk(self.gate("accept", "alice", "privacy"))
        r = self.gate("check", "alice", "privacy")
        self.assertEqual(r.code, 0, repr(r))
        self.assertIn("privacy: allow: alice accepted v3 on 2026-06-01T00:00:00Z, the version in force or later.", r.out)
        # A document nothing was published for lets everyone in; an error does not.
        r = self.assertOk(self.gate("check", "alice", "cookies"))
        self.assertIn("no version of cookies is published", r.out)
        self.assertFails(self.gate("check", "", "privacy"), 1, "user id is empty")
        self.assertFails(self.gate("check", "alice", "Bad/Doc"), 1)
        self.assertEqual(self.gate("check").code, 2)
        self.assertEqual(self.gate("check", "a", "b", "c").code, 2)

    def test_check_json_has_the_documented_shape(self):
        self.assertOk(self.gate("accept", "bob", "terms", "1"))
        r = self.gate("check", "bob", "--json")
        self.assertEqual(r.code, 20)
        j = r.json()
        self.assertEqual(j["user"], "bob")
        self.assertEqual(j["decision"], "block")
        self.assertEqual([d["doc"] for d in j["documents"]], ["privacy", "terms"])
        p, t = j["documents"]
        for d in (p, t):
            for key in ("doc", "decision", "accepted", "required", "upcoming", "effective", "material", "target"):
                self.assertIn(key, d)
        self.assertEqual((p["decision"], p["accepted"], p["required"], p["upcoming"], p["effective"], p["material"],
                          p["target"]), ("block", None, 2, 3, "2026-03-01T00:00:00Z", True, 2))
        self.assertEqual((t["decision"], t["accepted"], t["required"], t["upcoming"], t["effective"], t["material"],
                          t["target"]), ("allow", 1, 1, None, None, False, None))
        self.assertEqual(t["accepted_at"], "2026-06-01T00:00:00Z")
        one = self.gate("check", "bob", "terms", "--json")
        self.assertEqual(one.code, 0)
        self.assertEqual(one.json()["documents"], [t])

    def test_accept_and_revoke(self):
        r = self.assertOk(self.gate("accept", "alice", "privacy", "v1", "--locale", "cy-GB", "--method", "web",
                                    "--client", "acme-web 3.1"))
        self.assertEqual(r.out, "alice accepted privacy v1 (cy-GB), event 1\n")
        r = self.assertOk(self.gate("accept", "alice", "privacy", "--json"))
        j = r.json()
        self.assertEqual((j["recorded"], j["event"], j["version"], j["locale"], j["blob"], j["commit"], j["type"]),
                         (True, 2, 3, "en-GB", B["p3"], "e" * 40, "accept"))
        self.assertRegex(j["hash"], "^[0-9a-f]{64}$")
        r = self.assertOk(self.gate("accept", "alice", "privacy", "3"))
        self.assertEqual(r.out, "alice already accepted privacy v3 (event 2); nothing recorded\n")
        self.assertFails(self.gate("accept", "alice", "privacy", "2"), 1,
                         "alice already accepted privacy v3; accepting the older v2 is refused")
        self.assertFails(self.gate("accept", "alice", "privacy", "9"), 1, "privacy v9 does not exist; latest is v3")
        self.assertFails(self.gate("accept", "alice", "privacy", "3", "--method", "Web Form"), 1, "method 'Web Form'")
        self.assertFails(self.gate("accept", "alice", "cookies"), 1, "document 'cookies' has no published version")
        self.assertEqual(self.gate("accept", "alice", "privacy", "three").code, 2)
        self.assertEqual(self.gate("accept", "alice").code, 2)
        self.assertEqual(self.events(), 2)

        r = self.assertOk(self.gate("revoke", "alice", "privacy", "--method", "settings-page"))
        self.assertEqual(r.out, "alice withdrew their acceptance of privacy v3, event 3\n")
        self.assertEqual(self.gate("check", "alice", "privacy").code, 20)
        r = self.gate("check", "alice", "privacy")
        self.assertIn("alice withdrew their acceptance; they must accept v2", r.out)
        self.assertFails(self.gate("revoke", "alice", "privacy"), 1, "alice has no acceptance of privacy to withdraw")
        self.assertEqual(self.gate("revoke", "alice").code, 2)

    def test_users_add_import_and_list(self):
        r = self.assertOk(self.gate("users", "add", "carl", "ann", "carl"))
        self.assertEqual(r.out, "added 2 users (1 already known)\n")
        ids = self.write("ids.txt", "dora\r\n\r\nann\neve\n")
        self.assertEqual(self.assertOk(self.gate("users", "import", ids, "--json")).json(),
                         {"users": 3, "added": 2, "known": 1})
        csv = self.write("ids.csv", "email,user\nx@example.org,\"lee, jo\"\n")
        self.assertOk(self.gate("users", "import", csv))
        bad = self.write("bad.txt", "fred\ngina\n\x01\n")
        self.assertFails(self.gate("users", "import", bad), 1, "bad.txt: line 3: user id contains a control character")
        t = self.assertOk(self.gate("users", "list")).out.splitlines()
        self.assertTrue(t[0].startswith("USER"))
        self.assertEqual([line.split()[0] for line in t[1:]], ["ann", "carl", "dora", "eve", "lee,"])
        j = self.assertOk(self.gate("users", "list", "--json")).json()
        self.assertEqual([u["user"] for u in j], ["ann", "carl", "dora", "eve", "lee, jo"])
        self.assertEqual(j[0]["first_seen"], "2026-06-01T00:00:00Z")
        self.assertEqual(self.gate("users").code, 2)
        self.assertEqual(self.gate("users", "remove", "x").code, 2)
        self.assertFails(self.gate("users", "import", self.path("missing.txt")), 1, "cannot open")

    def test_import_all_or_nothing(self):
        good = self.write("old.csv", "user,doc,version,accepted_at,method\r\n"
                                     "\"smith, jo\",privacy,v1,2026-01-05,\r\n"
                                     "ann,privacy,2,2026-03-02T08:00:00Z,web\r\n"
                                     "ann,terms,1,2026-01-02,email\r\n")
        r = self.assertOk(self.gate("import", good))
        self.assertEqual(r.out, "imported 3 rows: 3 acceptances recorded, 0 already recorded, 2 new users\n")
        self.assertEqual(self.assertOk(self.gate("import", good, "--json")).json(),
                         {"rows": 3, "recorded": 0, "skipped": 3, "users_added": 0})
        self.assertEqual(self.gate("check", "smith, jo", "privacy").code, 10)  # v2 editorial since v1
        bad = self.write("bad.csv", "user,doc,version,accepted_at\nbo,privacy,1,2026-01-05\nbo,terms,7,2026-01-05\n")
        self.assertFails(self.gate("import", bad), 1,
                         "bad.csv: line 3: terms v7 does not exist; latest is v1; nothing was imported")
        self.assertEqual(self.events(), 3)
        self.assertEqual(self.gate("import").code, 2)

    def test_export_is_evidence_anyone_can_check(self):
        self.assertOk(self.gate("accept", "zoë", "privacy", "1", "--locale", "cy-GB", "--client", "app \"2\""))
        self.assertOk(self.gate("accept", "yan", "terms"))
        self.assertOk(self.gate("accept", "zoë", "privacy", "3", "--method", "desktop-dialog"))
        self.assertOk(self.gate("revoke", "zoë", "privacy"))
        j = json.loads(self.assertOk(self.gate("export", "zoë")).out)
        self.assertEqual(j["user"], "zoë")
        salt, commitment = bytes.fromhex(j["salt"]), bytes.fromhex(j["commitment"])
        self.assertEqual(len(salt), 16)
        self.assertEqual(hashlib.sha256(salt + "zoë".encode()).digest(), commitment)
        self.assertEqual([e["seq"] for e in j["events"]], [1, 3, 4])
        self.assertEqual([e["type"] for e in j["events"]], ["accept", "accept", "revoke"])
        self.assertEqual(j["events"][0]["blob"], B["p1cy"])
        self.assertEqual(j["events"][0]["client"], "app \"2\"")
        for e in j["events"]:
            self.assertEqual(event_hash(e, commitment, bytes.fromhex(e["prev"])), e["hash"])
        self.assertEqual(j["decisions"][0]["doc"], "privacy")
        self.assertEqual(j["decisions"][0]["decision"], "block")
        self.assertTrue(j["decisions"][0]["revoked"])
        self.assertFails(self.gate("export", "nobody"), 1, "'nobody' is not a known user")

    def test_forget_leaves_a_log_that_verifies(self):
        self.assertOk(self.gate("accept", "erin.unique@example.org", "privacy"))
        self.assertOk(self.gate("accept", "erin.unique@example.org", "terms"))
        self.assertOk(self.gate("accept", "fay", "terms"))
        r = self.assertOk(self.gate("forget", "erin.unique@example.org"))
        self.assertIn("forgot erin.unique@example.org: erased their id, salt and commitment, and their state for 2 documents",
                      r.out)
        for path in (self.db, self.db + "-wal"):
            if os.path.exists(path):
                with open(path, "rb") as f:
                    self.assertNotIn(b"erin.unique", f.read())
        v = self.assertOk(self.gate("verify", "--json")).json()
        self.assertEqual((v["ok"], v["events"], v["users"]), (True, 3, 1))
        self.assertFails(self.gate("forget", "erin.unique@example.org"), 1, "is not a known user")
        self.assertEqual(self.gate("check", "erin.unique@example.org", "privacy").code, 20)
        self.assertEqual(self.assertOk(self.gate("forget", "fay", "--json")).json(),
                         {"user": "fay", "forgotten": True, "documents": 1})

    def test_verify_reports_and_names_the_first_bad_event(self):
        r = self.assertOk(self.gate("verify"))
        self.assertIn("events       0", r.out)
        self.assertIn("head         none (the log is empty)", r.out)
        for user in ("a", "b", "c"):
            self.assertOk(self.gate("accept", user, "privacy"))
        r = self.assertOk(self.gate("verify"))
        self.assertIn("events       3\n", r.out)
        self.assertIn("users        3\n", r.out)
        self.assertIn("checkpoints  none checked (a pack carries no checkpoints)", r.out)
        self.assertRegex(r.out, r"head         event 3, [0-9a-f]{64}\n")
        self.assertTrue(r.out.endswith("ok: the log is intact\n"))

        db = sqlite3.connect(self.db)
        db.executescript("DROP TRIGGER events_no_update; UPDATE events SET method = 'web' WHERE seq = 2;")
        db.close()
        r = self.assertFails(self.gate("verify"), 1,
                             "event 2 (accept privacy v2 at 2026-06-01T00:00:00Z) does not match its hash: the log was altered")
        self.assertIn("events       1 verified before the first bad one", r.out)
        j = self.gate("verify", "--json")
        self.assertEqual(j.code, 1)
        self.assertEqual((j.json()["ok"], j.json()["first_bad_event"]), (False, 2))
        self.assertIn("does not match its hash", j.json()["error"])

    def test_checkpoint_needs_a_repository(self):
        self.assertOk(self.gate("accept", "a", "privacy"))
        r = self.assertFails(self.gate("checkpoint"), 1)
        self.assertRegex(r.err, "pack|client build")

    def test_a_damaged_database_fails_closed(self):
        other = self.write("notes.db", "not a database, only some text that is long enough to have a header\n")
        r = self.assertFails(self.gate("--db", other, "check", "alice", "privacy"), 1, "notes.db")
        self.assertEqual(r.out, "")
        self.assertFails(self.gate("--db", other, "accept", "alice", "privacy"), 1, "not an acceptance database")
        self.assertFalse(os.path.exists(self.path("notes.db-wal")))


@unittest.skipUnless(WITH_GIT, "client build without git")
class RepositoryStoreCliTest(GateTestCase):
    def setUp(self):
        super().setUp()
        self.repo = self.path("policies")
        self.assertOk(self.gate("init", self.repo))
        self.env["GATE_REPO"] = self.repo
        self.env["GATE_NOW"] = "2026-03-01T09:00:00Z"
        self.assertOk(self.gate("publish", "privacy", self.write("en-GB.md", "We keep records for six years.\n")))

    def test_the_default_database_and_checkpoints(self):
        self.assertOk(self.gate("accept", "alice", "privacy"))
        self.assertTrue(os.path.exists(os.path.join(self.repo, ".git", "gate", "acceptances.db")))
        r = self.assertOk(self.gate("checkpoint"))
        self.assertRegex(r.out, r"^checkpoint at event 1, hash [0-9a-f]{64}\ncommit [0-9a-f]{40} on refs/gate/checkpoints\n$")
        j = self.assertOk(self.gate("checkpoint", "--json")).json()
        ref = subprocess.run(["git", "-C", self.repo, "rev-parse", "refs/gate/checkpoints"],
                             capture_output=True, text=True, check=True).stdout.strip()
        self.assertEqual(j["commit"], ref)
        self.assertEqual(j["seq"], 1)
        self.assertOk(self.gate("accept", "bob", "privacy"))
        self.assertEqual(self.assertOk(self.gate("checkpoint", "--json")).json()["seq"], 2)
        r = self.assertOk(self.gate("verify"))
        self.assertIn("checkpoints  2\n", r.out)
        # Git itself sees the checkpoints: a commit chain with the trailers.
        log = subprocess.run(["git", "-C", self.repo, "log", "--format=%(trailers:key=Gate-Checkpoint-Seq,valueonly)",
                              "refs/gate/checkpoints"], capture_output=True, text=True, check=True).stdout.split()
        self.assertEqual(log, ["2", "1"])


if __name__ == "__main__":
    main()
