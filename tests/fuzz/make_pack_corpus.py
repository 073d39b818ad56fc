"""make_pack_corpus.py: writes the seed corpus of fuzz_pack (tests/fuzz/corpus/pack/) from the
documented format. The first byte of each seed selects the fuzz target's mode: 0 = a whole
pack file, 1 = a raw payload that the target seals into a valid envelope."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "cli"))
import packformat  # noqa: E402

out = os.path.join(os.path.dirname(__file__), "corpus", "pack")
os.makedirs(out, exist_ok=True)
blob1, blob2 = "1" * 40, "2" * 40
version = {"n": 1, "change": 2, "detected": 2, "published": 1767225600000, "effective": 1767225600000,
           "tag": "a" * 40, "commit": "b" * 40, "summary": "First", "reason": None,
           "publisher": ("Pat", "pat@example.org"), "locales": [("en-GB", blob1), ("cy-GB", blob2)]}
v2 = dict(version, n=2, change=1, detected=2, reason="typo fix only", locales=[("en-GB", blob2)])
payload = packformat.write_payload([("gate.defaultlocale", "en-GB"), ("diff.datepattern", "^last updated:.*$")],
                                   {blob1: b"We keep data for 6 years.\n", blob2: "Rydym yn cadw data.\n".encode()},
                                   {"privacy": [version, v2], "terms": [dict(version, locales=[("en-GB", blob1)])]})
seeds = {
    "payload-valid": b"\x01" + payload,
    "payload-empty-docs": b"\x01" + packformat.write_payload([], {}, {}),
    "payload-truncated": b"\x01" + payload[:len(payload) // 2],
    "payload-trailing": b"\x01" + payload + b"\x00",
    "file-valid": b"\x00" + packformat.seal(payload),
    "file-truncated": b"\x00" + packformat.seal(payload)[:100],
    "file-garbage": b"\x00GATEPACK\x01\x00\x00\x00",
}
for name, data in seeds.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
print("wrote %d seeds to %s" % (len(seeds), out))
