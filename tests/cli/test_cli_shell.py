"""test_cli_shell.py: the `gate` shell: help, version, unknown commands, bad options and exit codes."""
import re

from gatetest import GateTestCase, main


class ShellTest(GateTestCase):
    def test_version_prints_cli_and_library_versions(self):
        r = self.assertOk(self.gate("--version"))
        self.assertRegex(r.out, r"^gate \d+\.\d+\.\d+ \(libgate \d+\.\d+\.\d+\)\n$")
        self.assertEqual(self.gate("version").out, r.out)
        j = self.assertOk(self.gate("--json", "version")).json()
        self.assertRegex(j["libgate"], r"^\d+\.\d+\.\d+$")

    def test_help_lists_every_command(self):
        r = self.assertOk(self.gate("--help"))
        self.assertIn("usage: gate", r.out)
        commands = re.findall(r"^  ([a-z]+) ", r.out, re.M)
        self.assertIn("help", commands)
        self.assertIn("version", commands)
        for name in commands:
            h = self.assertOk(self.gate("help", name))
            self.assertTrue(h.out.startswith("usage: gate"), h.out)
            self.assertEqual(self.assertOk(self.gate(name, "--help")).out, h.out)

    def test_no_command_is_a_usage_error(self):
        r = self.gate()
        self.assertEqual(r.code, 2)
        self.assertIn("usage: gate", r.err)

    def test_unknown_command_exits_2_with_one_line(self):
        r = self.gate("frobnicate")
        self.assertEqual(r.code, 2, repr(r))
        self.assertEqual(r.err.strip(), "gate: 'frobnicate' is not a gate command; see `gate --help`")
        self.assertEqual(r.out, "")

    def test_help_for_unknown_command_exits_2(self):
        r = self.gate("help", "frobnicate")
        self.assertEqual(r.code, 2, repr(r))

    def test_bad_global_option_exits_2_with_usage_line(self):
        r = self.gate("--frobnicate")
        self.assertEqual(r.code, 2)
        self.assertIn("unknown option '--frobnicate'", r.err)
        self.assertIn("usage: gate", r.err)

    def test_bad_command_option_exits_2_with_usage_line(self):
        r = self.gate("version", "--frobnicate")
        self.assertEqual(r.code, 2)
        lines = r.err.strip().splitlines()
        self.assertEqual(lines[0], "gate version: unknown option '--frobnicate'")
        self.assertEqual(lines[1], "usage: gate version [--json]")

    def test_missing_option_value_exits_2(self):
        r = self.gate("-C")
        self.assertEqual(r.code, 2)
        self.assertIn("needs a value", r.err)

    def test_global_options_work_after_the_command(self):
        j = self.assertOk(self.gate("version", "--json")).json()
        self.assertIn("gate", j)


if __name__ == "__main__":
    main()
