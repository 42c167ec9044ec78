#!/usr/bin/env python3
"""Writes a deterministic CRM-like CSV for Flowline's benchmarks.

Usage: generate_crm_csv.py ROWS PATH

Fields carry what real exports carry: quotes, commas and newlines inside quoted text,
non-ASCII names, empty strings ("") and nulls (empty, unquoted), decimals and ISO timestamps.
Same ROWS, same bytes, every time.
"""
import random
import sys

FIRST = ["Ana", "Björn", "Chloé", "Dmitri", "Eşref", "Fatima", "Grace", "Hiro", "Ines", "José", "Kofi", "Łucja"]
LAST = ["O'Neil", "Müller", "Núñez", "Smith", "Østergaard", "Kowalski", "Lee", "Zhang", "García", "Dubois"]
INDUSTRY = ["Banking", "Retail", "Energy", "Biotech", "Media, Film & TV", "Éducation", "Manufacturing"]
STAGES = ["Prospecting", "Qualification", "Needs Analysis", "Closed Won", "Closed Lost"]


def quote(text):
    return '"' + text.replace('"', '""') + '"'


def main():
    rows, path = int(sys.argv[1]), sys.argv[2]
    rnd = random.Random(20261128)
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("Id,AccountName,FirstName,LastName,Email,Phone,Industry,Stage,Amount,Probability,CloseDate,LastModifiedDate,Description\n")
        buf = []
        for i in range(rows):
            first, last = rnd.choice(FIRST), rnd.choice(LAST)
            name = f'{last} & {first} "Holdings", Ltd' if i % 17 == 0 else f"{last} {i % 9973}"
            email = "" if i % 23 == 0 else (quote("") if i % 29 == 0 else f"{first.lower()}.{i}@example.com")
            phone = f"+1-555-{i % 10000000:07d}"
            industry = rnd.choice(INDUSTRY)
            amount = "" if i % 31 == 0 else f"{rnd.randint(1000, 2_000_000)}.{rnd.randint(0, 99):02d}"
            prob = f"{rnd.random():.4f}"
            close = f"2026-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
            modified = f"2026-{rnd.randint(1, 11):02d}-{rnd.randint(1, 28):02d}T{rnd.randint(0, 23):02d}:{rnd.randint(0, 59):02d}:{rnd.randint(0, 59):02d}Z"
            if i % 7 == 0:
                desc = quote(f"Renewal for {first}, needs review.\nSecond line — ünïcödé, \"quoted\" note #{i}")
            elif i % 11 == 0:
                desc = ""
            else:
                desc = f"Standard account {i}"
            buf.append(",".join([str(i + 1), quote(name) if ("," in name or '"' in name) else name, first, last,
                                 email, phone, quote(industry) if "," in industry else industry, rnd.choice(STAGES), amount, prob,
                                 close, modified, desc]))
            if len(buf) >= 10000:
                out.write("\n".join(buf) + "\n")
                buf.clear()
        if buf:
            out.write("\n".join(buf) + "\n")


if __name__ == "__main__":
    main()
