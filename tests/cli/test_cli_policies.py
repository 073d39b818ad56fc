"""test_cli_policies.py: the example notices in policies/ publish with the verdicts policies/README.md documents (needs git)."""
import os
import shutil
import subprocess
import unittest

from gatetest import GateTestCase, SOURCE_DIR, WITH_GIT, main

POLICIES = os.path.join(SOURCE_DIR, "policies")
NOW = "2026-11-22T12:00:00Z"  # the demo's clock: after privacy v4 was published, before it takes effect


# The revisions whose changes must all be editorial (version 1 to 2).
EDITORIAL = [("privacy", "en-GB"), ("privacy", "cy-GB"), ("terms", "en-GB")]

# For each material revision: every section holding a material change, with
# the categories and hints that policies/README.md says it shows (at least).
MATERIAL = {
    ("privacy", 2, 3, "en-GB"): {
        "Pellowen privacy notice": (["changes"], ["number"]),
        "Who we are": (["contact"], ["link"]),
        "The information we collect": (["data"], []),
        "How and why we use your information": (["purposes"], []),
        "Your health information": (["data"], []),
        "Who we share your information with": (["sharing"], []),
        "Transfers outside the UK": (["transfers"], []),
        "How long we keep your information": (["retention"], ["number"]),
        "Your rights": (["rights"], ["possible-typo"]),
        "How to complain": (["rights", "contact"], ["number"]),
        "Contact us": (["contact"], ["link"]),
    },
    ("privacy", 2, 3, "cy-GB"): {
        "Hysbysiad preifatrwydd Pellowen": (["changes"], ["number"]),
        "Pwy ydym ni": (["contact"], ["link"]),
        "Y wybodaeth rydym yn ei chasglu": (["data"], []),
        "Sut a pham rydym yn defnyddio eich gwybodaeth": (["purposes"], []),
        "Eich gwybodaeth iechyd": (["data"], []),
        "Gyda phwy rydym yn rhannu eich gwybodaeth": (["sharing"], []),
        "Trosglwyddiadau y tu allan i’r DU": (["transfers"], []),
        "Am ba hyd rydym yn cadw eich gwybodaeth": (["retention"], ["number"]),
        "Eich hawliau": (["rights"], ["possible-typo"]),
        "Sut i gwyno": (["rights", "contact"], ["number"]),
        "Cysylltu â ni": (["contact"], ["link"]),
    },
    ("privacy", 3, 4, "en-GB"): {
        "Pellowen privacy notice": (["changes"], ["number"]),
        "The information we collect": (["data", "cookies"], []),
        "How and why we use your information": (["purposes"], []),
        "Health research": (["purposes", "sharing", "rights"], ["link"]),
        "Who we share your information with": (["sharing", "cookies"], []),
        "How long we keep your information": (["retention"], ["number"]),
        "Cookies and similar technologies": (["cookies"], ["number"]),
    },
    ("privacy", 3, 4, "cy-GB"): {
        "Hysbysiad preifatrwydd Pellowen": (["changes"], ["number"]),
        "Y wybodaeth rydym yn ei chasglu": (["data", "cookies"], []),
        "Sut a pham rydym yn defnyddio eich gwybodaeth": (["purposes"], []),
        "Ymchwil iechyd": (["purposes", "sharing", "rights"], ["link"]),
        "Gyda phwy rydym yn rhannu eich gwybodaeth": (["sharing", "cookies"], []),
        "Am ba hyd rydym yn cadw eich gwybodaeth": (["retention"], ["number"]),
        "Cwcis a thechnolegau tebyg": (["cookies"], ["number"]),
    },
    ("terms", 2, 3, "en-GB"): {
        "Pellowen terms of use": ([], ["number"]),
        "Pellowen is not medical advice": ([], []),
        "Appointments and video consultations with your clinic": ([], []),
        "Pellowen Plus subscriptions": ([], ["number"]),
        "Our app": ([], ["possible-typo"]),
        "Our responsibility to you": ([], ["number"]),
    },
}


def readme_versions():
    """The rows of the drafts table in policies/README.md, in publishing order."""
    rows = []
    with open(os.path.join(POLICIES, "README.md"), encoding="utf-8") as f:
        for line in f:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) == 6 and cells[0] in ("privacy", "terms") and cells[1].isdigit():
                rows.append({"doc": cells[0], "n": int(cells[1]),
                             "files": [p.strip() for p in cells[2].split(",")],
                             "detected": cells[3], "published": cells[4], "effective": cells[5]})
    return rows


def draft(doc, locale, n):
    """The path of draft n of doc in locale (policies/privacy/en-GB/03-material.md)."""
    folder = os.path.join(POLICIES, doc, locale)
    names = [x for x in os.listdir(folder) if x.startswith("%02d-" % n)]
    if len(names) != 1:
        raise AssertionError("%s: expected one draft %02d-*.md, found %r" % (folder, n, names))
    return os.path.join(folder, names[0])


@unittest.skipUnless(WITH_GIT, "client build without git")
class PolicyExamples(GateTestCase):
    def setUp(self):
        super().setUp()
        self.rows = readme_versions()
        self.repo = self.path("pellowen")

    def git(self, *args):
        return subprocess.run(["git", "-c", "user.name=Test Publisher", "-c", "user.email=publisher@example.org",
                               "-C", self.repo] + list(args), capture_output=True, text=True, check=True).stdout

    def publish_all(self):
        """gate init, the example gate.conf, then every version of the table in order."""
        self.assertOk(self.gate("init", self.repo))
        self.env["GATE_REPO"] = self.repo
        shutil.copyfile(os.path.join(POLICIES, "gate.conf"), os.path.join(self.repo, "gate.conf"))
        self.git("commit", "-q", "-am", "Pellowen settings")
        results = []
        for row in self.rows:
            folder = self.path("drafts", "%s-v%d" % (row["doc"], row["n"]))
            os.makedirs(folder)
            files = []
            for rel in row["files"]:
                locale = rel.split("/")[1]  # privacy/cy-GB/01-initial.md
                files.append(os.path.join(folder, locale + ".md"))
                shutil.copyfile(os.path.join(POLICIES, rel), files[-1])
            args = ["publish", row["doc"]] + files + ["-m", "draft %d" % row["n"], "--json"]
            if row["effective"] != row["published"]:
                args += ["--effective", row["effective"]]
            r = self.assertOk(self.gate(*args, env={"GATE_NOW": row["published"] + "T09:00:00Z"}))
            results.append(r.json())
        return results

    def test_readme_table_covers_every_draft(self):
        listed = [rel for row in self.rows for rel in row["files"]]
        on_disk = []
        for doc in ("privacy", "terms"):
            for locale in sorted(os.listdir(os.path.join(POLICIES, doc))):
                on_disk += ["%s/%s/%s" % (doc, locale, x)
                            for x in sorted(os.listdir(os.path.join(POLICIES, doc, locale)))]
        self.assertEqual(sorted(listed), sorted(on_disk))
        for doc in ("privacy", "terms"):
            ns = [row["n"] for row in self.rows if row["doc"] == doc]
            self.assertEqual(ns, list(range(1, len(ns) + 1)), doc)
            self.assertGreaterEqual(len(ns), 3, doc)
        # each series has an editorial and a material revision, and privacy an upcoming one
        verdicts = {(row["doc"], row["n"]): row["detected"] for row in self.rows}
        self.assertEqual(verdicts[("privacy", 2)], "editorial")
        self.assertEqual(verdicts[("privacy", 3)], "material")
        self.assertEqual(verdicts[("terms", 2)], "editorial")
        self.assertEqual(verdicts[("terms", 3)], "material")
        self.assertGreater(max(row["effective"] for row in self.rows), NOW[:10])

    def test_publishing_the_series_gives_the_documented_verdicts(self):
        results = self.publish_all()
        for row, res in zip(self.rows, results):
            self.assertEqual((res["version"], res["detected"]), (row["n"], row["detected"]),
                             "%s v%d" % (row["doc"], row["n"]))
        for doc in ("privacy", "terms"):
            versions = self.assertOk(self.gate("versions", doc, "--json", env={"GATE_NOW": NOW})).json()
            want = [row for row in self.rows if row["doc"] == doc]
            self.assertEqual([v["version"] for v in versions], [row["n"] for row in want])
            for v, row in zip(versions, want):
                self.assertEqual(v["detected"], row["detected"], "%s v%d" % (doc, v["version"]))
                self.assertEqual(v["change"], row["detected"], "%s v%d" % (doc, v["version"]))
                self.assertEqual(v["effective"][:10], row["effective"])
                self.assertEqual(sorted(x["locale"] for x in v["locales"]),
                                 sorted(rel.split("/")[1] for rel in row["files"]))
            status = [v["status"] for v in versions]
            if doc == "privacy":
                self.assertEqual(status, ["superseded", "superseded", "in force", "upcoming"])
            else:
                self.assertEqual(status, ["superseded", "superseded", "in force"])

    def diff(self, doc, a, b, locale):
        r = self.assertOk(self.gate("diff", doc, a, b, "--locale", locale, "--json"))
        return r.json()

    def test_editorial_revisions_are_editorial_for_every_reason_the_readme_gives(self):
        self.publish_all()
        for doc, locale in EDITORIAL:
            d = self.diff(doc, 1, 2, locale)
            where = "%s v1..v2 (%s)" % (doc, locale)
            self.assertEqual(d["verdict"], "editorial", where)
            self.assertEqual([c for c in d["changes"] if c["kind"] != "editorial"], [], where)
            reasons = set(r for c in d["changes"] for r in c["editorial"])
            self.assertEqual(reasons, {"date-line", "typography", "case", "punctuation", "markup", "whitespace"},
                             where)
            # the date-stamp change is reported as such, not as a changed number
            dated = [c for c in d["changes"] if "date-line" in c["editorial"]]
            self.assertTrue(dated, where)

    def test_material_revisions_name_their_sections_and_categories(self):
        self.publish_all()
        for (doc, a, b, locale), want in MATERIAL.items():
            d = self.diff(doc, a, b, locale)
            where = "%s v%d..v%d (%s)" % (doc, a, b, locale)
            self.assertEqual(d["verdict"], "material", where)
            got = {}
            for c in d["changes"]:
                if c["kind"] == "material":
                    cats, hints = got.setdefault(c["section"], (set(), set()))
                    cats.update(c["categories"])
                    hints.update(c["hints"])
            # material changes fall in exactly the sections the README lists, nowhere else
            self.assertEqual(sorted(got), sorted(want), where)
            for section, (cats, hints) in want.items():
                self.assertLessEqual(set(cats), got[section][0], "%s: %s" % (where, section))
                self.assertLessEqual(set(hints), got[section][1], "%s: %s" % (where, section))

    def test_retention_and_typo_changes_are_the_exact_words(self):
        self.publish_all()
        changes = [c for c in self.diff("privacy", 2, 3, "en-GB")["changes"] if c["kind"] == "material"]
        pairs = [(c["removed"], c["added"]) for c in changes]
        self.assertIn(("six", "eight"), pairs)
        self.assertIn(("recieve", "receive"), pairs)
        changes = [c for c in self.diff("privacy", 2, 3, "cy-GB")["changes"] if c["kind"] == "material"]
        self.assertIn(("chwe blynedd", "wyth mlynedd"), [(c["removed"], c["added"]) for c in changes])

    def test_welsh_date_line_needs_the_example_gate_conf(self):
        """Without gate.conf's Welsh pattern, the new Welsh date is a changed number: material."""
        old = draft("privacy", "cy-GB", 1)
        new = draft("privacy", "cy-GB", 2)
        bare = self.gate("diff", "--no-index", old, new, "--json")
        self.assertOk(bare)
        self.assertEqual(bare.json()["verdict"], "material")
        self.publish_all()
        self.assertEqual(self.assertOk(self.gate("diff", "--no-index", old, new, "--json")).json()["verdict"],
                         "editorial")


if __name__ == "__main__":
    main()
