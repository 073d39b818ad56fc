"""make_diff_corpus.py: writes the seed corpus of fuzz_diff (old text, 0xFF, new text), our own small texts."""
import os
import sys

PAIRS = [
    ("We keep data.", "We keep data."),
    ("We do not sell your data.", "We do now sell your data."),
    ("# Privacy\n\nLast updated: 1 March 2026\n\nWe keep data for 6 years.\n",
     "Privacy\n=======\n\nLast updated: 2 May 2026\n\nWe keep data for **8** years.\n"),
    ("We keep your personal data\nfor as long as your account\nis open.\n",
     "We keep your\npersonal data for as long as\nyour account is open.\n"),
    ("We don't sell \"data\" -- ever...", "We don\u2019t sell \u201cdata\u201d \u2014 ever\u2026"),
    ("Write to privacy@acme.example.", "Write to <dpo@acme.example>."),
    ("See [the notice](https://acme.example/a?x=1).", "See https://acme.example/b (the notice)."),
    ("Up to 1,000 users; 10.5% fee; from 2026-03-01 at 09:30.", "Up to 1.000 users; 10.6\u2030 fee; from 2026-03-02 at 09:45."),
    ("Intro:\n\n- names\n- emails\n\n1. one\n2. two\n", "Intro:\n* names\n+ emails\n1) one\n> two\n"),
    ("| Data | Years |\n|---|:---:|\n| Logs | 2 |\n", "Data Years\n\n---\n\nLogs 2\n***\n"),
    ("Effective date: May 2026.\nUpdated: we sell data\n", "Effective date: June 2026. We sell data.\nUpdated 1 May 2026\n"),
    ("STRASSE \ufb01le \uff21cme caf\u00e9 infor\u00admation", "stra\u00dfe file Acme cafe\u0301 information"),
    ("\u4f60\u597d\u4e16\u754c\u3002\u6211\u4eec\u4fdd\u7559\u6570\u636e\u3002", "\u4f60\u597d\u4e16\u754c\u3002\u6211\u4eec\u51fa\u552e\u6570\u636e\u3002"),
    ("data " * 40, "data " * 20 + "more " + "data " * 20),
    ("We keep your data safe.\n\n" * 12, "We keep your data safe.\n\n" * 6 + "We sell your data.\n\n" + "We keep your data safe.\n\n" * 6),
    ("A  ", "  A"),
    ("a b\na\n", "a\nb a\n"),
    ("Users aged\n> 16 may join.\nThe price is 5\n+ VAT.\nin\n2026. We\n", "Users aged\n16 may join.\nThe price is 5\nVAT.\nin\n2027. We\n"),
    ("We ~~sell~~ share `code` *em* _em_ **b** __b__ \\* 5 * 3", "We sell share code em em b b * 5 3"),
    ("PRIVACY NOTICE\n\nWho we are\nWe are Acme.\n**Your rights**\nAsk us.\n", "PRIVACY NOTICE\n\nWho we are\nWe are Acme Ltd.\n**Your rights**\nAsk us, or the ICO.\n"),
    ("\r\n\r\n\t \u00a0\u2003x\u200b\ufeff", "\n\nx"),
    ("-5 points, 'quoted' and \u2018single\u2019, www.acme.com/path), mailto:a@b.co", "5 points, quoted and single, acme.org/path, tel:+4412345"),
    ("", "# New\n\nEverything is added.\n"),
    ("Everything is removed.\n", ""),
]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "corpus", "diff")
    os.makedirs(out, exist_ok=True)
    for i, (a, b) in enumerate(PAIRS):
        with open(os.path.join(out, "seed-%02d" % i), "wb") as f:
            f.write(a.encode() + b"\xff" + b.encode())


if __name__ == "__main__":
    main()
