"""test_gate.py: proves gate.py binds libgate cleanly: every struct laid out as the C compiler lays it
out, and decisions, acceptances, diffs and errors read back through the binding with the values the
library computed. ctest passes the freshly built libgate (GATE_LIBRARY), the `gate` CLI that makes the
scratch policy sources (GATE_BIN) and a program printing the C layouts (GATE_LAYOUT)."""
import ctypes
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

import gate
import scratch

GATE = os.environ.get("GATE_BIN", "gate")
WITH_GIT = os.environ.get("GATE_WITH_GIT", "ON").upper() in ("ON", "1", "TRUE", "YES")
HEADER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "libgate", "include", "gate.h")


def setUpModule():
    gate.load(os.environ.get("GATE_LIBRARY"))


class LayoutTest(unittest.TestCase):
    def test_every_struct_matches_the_c_layout(self):
        out = subprocess.run([os.environ["GATE_LAYOUT"]], capture_output=True, text=True, check=True).stdout
        c = dict(line.rsplit(" ", 1) for line in out.splitlines())
        checked = 0
        for cls in gate.STRUCTS:
            name = cls.__name__
            self.assertEqual(ctypes.sizeof(cls), int(c[name]), "sizeof(%s)" % name)
            fields = [f for f, _ in cls._fields_]
            self.assertEqual(fields, [k.split(".", 1)[1] for k in c if k.startswith(name + ".")],
                             "fields of %s, in order" % name)
            for f in fields:
                self.assertEqual(getattr(cls, f).offset, int(c["%s.%s" % (name, f)]), "%s.%s" % (name, f))
                checked += 1
        self.assertGreater(checked, 80)
        for enum in ("gate_outcome", "gate_change", "gate_diff_format"):
            self.assertEqual(int(c[enum]), ctypes.sizeof(ctypes.c_int))

    def test_constants_match_the_header(self):
        with open(HEADER) as f:
            h = f.read()
        want = re.search(r'#define GATE_VERSION_STRING "([0-9.]+)"', h).group(1)
        self.assertEqual(gate.version(), want)
        for name in ("GATE_OPTIONS_VERSION", "GATE_DIFF_OPTIONS_VERSION", "GATE_RENDER_OPTIONS_VERSION",
                     "GATE_DOC_MAX", "GATE_LOCALE_MAX", "GATE_OID_HEXSIZE", "GATE_HASH_HEXSIZE",
                     "GATE_PACK_PUBLICKEYBYTES"):
            self.assertEqual(int(re.search(r"#define %s (\d+)" % name, h).group(1)), getattr(gate, name), name)


class BindingTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="gate-python-")
        self.db = os.path.join(self.tmp, "acceptances.db")
        self.policies = scratch.make(self.tmp, GATE, WITH_GIT)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def open(self, path=None, **kw):
        """A Gate on the scratch repository or pack (or on `path`, read the same way)."""
        kind = "pack" if os.path.isfile(self.policies) else "repo"
        return gate.Gate(db=self.db, **{kind: path or self.policies}, **kw)

    def test_decisions_and_an_acceptance(self):
        with self.open() as g:
            self.assertEqual(g.database_path, self.db)
            self.assertEqual([(v.n, v.change) for v in g.versions("privacy")],
                             [(1, gate.MATERIAL), (2, gate.MATERIAL)])
            d = g.check("alice", "privacy")
            self.assertEqual((d.outcome, d.outcome_name, d.doc, d.accepted, d.accepted_at, d.required, d.target,
                              d.upcoming, d.material, d.revoked),
                             (gate.BLOCK, "block", "privacy", 0, None, 2, 2, 0, True, False))
            self.assertEqual(d.effective, gate.time_parse("2026-03-02T09:00:00Z"))

            r = g.accept("alice", "privacy", method="desktop-dialog", client="acme-python 1.0")
            self.assertTrue(r.recorded)
            self.assertEqual((r.n, r.locale, r.seq, r.type), (2, "en-GB", 1, 1))
            self.assertEqual(r.blob_oid, scratch.git_blob_id(scratch.PRIVACY_2))  # the exact text shown
            self.assertRegex(r.commit_oid, "^[0-9a-f]{40}$")
            self.assertRegex(r.hash, "^[0-9a-f]{64}$")
            self.assertEqual(g.accept("alice", "privacy", 2).recorded, False)  # already so

            outcome, decisions = g.check_all("alice")
            self.assertEqual(outcome, gate.BLOCK)
            self.assertEqual([(x.doc, x.outcome, x.accepted) for x in decisions],
                             [("privacy", gate.ALLOW, 2), ("terms", gate.BLOCK, 0)])
            self.assertEqual(decisions[0].accepted_at, r.at)
            g.accept("alice", "terms")
            self.assertEqual(g.check_all("alice")[0], gate.ALLOW)
            self.assertEqual(g.verify()["events"], 2)

        # What the binding recorded, the CLI reads back.
        where = ["--pack", self.policies] if os.path.isfile(self.policies) else ["-C", self.policies]
        out = subprocess.run([GATE] + where + ["--db", self.db, "export", "alice"], capture_output=True, text=True,
                             env=scratch.gate_env(), check=True).stdout
        self.assertEqual([(e["doc"], e["method"], e["client"]) for e in json.loads(out)["events"]],
                         [("privacy", "desktop-dialog", "acme-python 1.0"), ("terms", "api", "")])

    def test_options_clock_and_read_only(self):
        now = [gate.time_parse("2026-02-01")]
        with self.open(clock=lambda: now[0]) as g:
            self.assertEqual(g.now(), now[0])
            # On 1 February only privacy v1 is in force.
            self.assertEqual(g.check("bob", "privacy").target, 1)
            g.accept("bob", "privacy")
            # v2 is published but not in force yet: let bob in, and offer it.
            d = g.check("bob", "privacy")
            self.assertEqual((d.outcome, d.accepted, d.upcoming, d.target), (gate.NOTIFY, 1, 2, 2))
            now[0] = gate.time_parse("2026-04-01")
            d = g.check("bob", "privacy")
            self.assertEqual((d.outcome, d.accepted, d.target), (gate.BLOCK, 1, 2))
        with self.open(flags=gate.OPEN_READONLY) as g:
            self.assertEqual(g.check("bob", "privacy").accepted, 1)
            with self.assertRaises(gate.GateError) as e:
                g.accept("bob", "privacy")
            self.assertEqual(e.exception.name, "EIO")
        with self.assertRaises(ValueError):
            self.open(pack_public_key=b"short")

    def test_a_diff_of_versions(self):
        with self.open() as g, g.diff("privacy", 1, 2) as diff:
            self.assertTrue(diff.is_material)
            changes = diff.changes
            self.assertEqual([(c.kind, c.removed, c.added) for c in changes],
                             [(gate.EDITORIAL, "5 January", "2 March"), (gate.MATERIAL, "six", "eight")])
            date, years = changes
            self.assertEqual(date.editorial, ("date-line",))
            self.assertEqual((years.section, years.categories, years.editorial), ("Privacy notice", ("retention",), ()))
            self.assertEqual((years.old_line, years.new_line), (5, 5))
            self.assertEqual(scratch.PRIVACY_1[years.old_offset:years.old_offset + 3], "six")
            self.assertEqual(scratch.PRIVACY_2[years.new_offset:years.new_offset + 5], "eight")
            self.assertEqual({k: diff.stats[k] for k in ("changes", "material", "editorial", "old_bytes")},
                             {"changes": 2, "material": 1, "editorial": 1, "old_bytes": len(scratch.PRIVACY_1)})
            old, new = diff.side(0), diff.side(1)
            self.assertEqual((old.label, old.doc, old.n, old.locale), ("privacy v1 (en-GB)", "privacy", 1, "en-GB"))
            self.assertEqual(new.blob_oid, scratch.git_blob_id(scratch.PRIVACY_2))
            self.assertEqual(new.effective, gate.time_parse("2026-03-02T09:00:00Z"))
            with self.assertRaises(ValueError):
                diff.side(2)

            text = diff.render("text")
            self.assertIn("-We keep your diary for six years", text)
            self.assertIn("+We keep your diary for eight years", text)
            self.assertNotIn("-Last updated", diff.render("text", material_only=True))
            self.assertEqual(json.loads(diff.render("json"))["verdict"], "material")
            html = diff.render("html", title="What changed", lang="en-GB")
            self.assertIn("<title>What changed</title>", html)
            self.assertIn('lang="en-GB"', html)
            self.assertIn("[-six-]{+eight+}", diff.render("word"))
            with self.assertRaises(ValueError):
                diff.render("pdf")

        with self.open() as g, g.diff("terms", 0, 1) as first:  # from no version: all added
            self.assertEqual([c.added for c in first.changes], [scratch.TERMS_1])

    def test_a_diff_of_texts(self):
        with gate.diff_texts("We keep it  for six years.\n", "We keep it for\nsix years\n") as d:
            self.assertFalse(d.is_material)
            self.assertEqual({e for c in d.changes for e in c.editorial}, {"whitespace", "punctuation"})
        dated = ("Text\n\nPrinted 1 May 2026\n\nsix\n", "Text\n\nPrinted 9 June 2026\n\nsix\n")
        with gate.diff_texts(*dated, date_patterns=["^printed {date}$"]) as d:
            self.assertFalse(d.is_material)
            self.assertEqual([c.editorial for c in d.changes], [("date-line",)])
        with gate.diff_texts(*dated) as d:
            self.assertTrue(d.is_material)  # not a default pattern: a changed date is material
        with gate.diff_texts("£3.99 a month\n", "£4.99 a month\n") as d:
            self.assertEqual([(c.removed, c.added, c.hints) for c in d.changes], [("3.99", "4.99", ("number",))])
            self.assertEqual(d.side(1).n, 0)
        closed = gate.diff_texts("a\n", "b\n")
        closed.close()
        closed.close()  # twice is fine
        with self.assertRaises(ValueError):
            closed.is_material

    def test_errors_carry_the_code_name_and_message(self):
        missing = os.path.join(self.tmp, "nowhere")
        with self.assertRaises(gate.GateError) as e:
            self.open(missing)
        self.assertEqual((e.exception.code, e.exception.name), (-3, "ENOTFOUND"))
        self.assertIn(missing, e.exception.message)
        self.assertIn("(ENOTFOUND)", str(e.exception))

        with self.open() as g:
            with self.assertRaises(gate.GateError) as e:
                g.diff("privacy", 1, 9)
            self.assertEqual(e.exception.message, "privacy v9 does not exist; latest is v2")
            with self.assertRaises(gate.GateError) as e:
                g.check("", "privacy")
            self.assertEqual(e.exception.name, "EINVALID")
            g.accept("carol", "privacy", 2)
            with self.assertRaises(gate.GateError) as e:
                g.accept("carol", "privacy", 1)
            self.assertEqual(e.exception.name, "ECONFLICT")
            self.assertTrue(e.exception.message)
        with self.assertRaises(gate.GateError) as e:
            gate.diff_texts(b"ok\n", b"bad \xff byte\n")
        self.assertEqual(e.exception.name, "EINVALID")
        with self.assertRaises(gate.GateError) as e:
            gate.time_parse("next Tuesday")
        self.assertEqual(e.exception.code, -2)
        self.assertEqual(gate.strerror(-3), "not found")
        g = self.open()
        g.close()
        with self.assertRaises(ValueError):
            g.check("alice", "privacy")


if __name__ == "__main__":
    unittest.main(verbosity=2)
