#!/usr/bin/env python3
"""Writes a synthetic offering of N attendees for the benchmark (bench/run).

Same structure as the SER2 example: its course.toml (four days, the same agenda and credit
tables) copied as is, a roster.csv with the same columns, and one sign-in sheet per day, each
with a differently spelt header as real exports have. Attendees get realistic professions and
the credit requests that go with them; most attend every day in full, a few arrive late, leave
early or miss a day, so `check` has real work and not everyone completes.

Deterministic: the same N always gives the same files (the random generator is seeded with N).

Usage: gen_offering.py <template offering dir> <out dir> <N>
"""

import csv
import random
import shutil
import sys
from pathlib import Path

FIRST = [
    "Aiyana", "Benoît", "Chloé", "Deepa", "Emil", "Fatima", "Gabriel", "Hana", "Ivan", "Jolene",
    "Kwame", "Léa", "Mateo", "Nadia", "Oskar", "Priya", "Quinn", "Rosa", "Sven", "Tamar",
    "Uriel", "Valérie", "Wei", "Ximena", "Yusuf", "Zoë", "Ana", "Brendan", "Camille", "Dmitri",
    "Eleanor", "Farid", "Greta", "Hiroshi", "Inés", "Jasper", "Keiko", "Liam", "Marguerite",
    "Niamh", "Olu", "Pilar", "Rajesh", "Siobhan", "Thandiwe", "Ulla", "Viktor", "Wren",
]
LAST = [
    "Redcrow", "Lavoie", "Martin", "Raman", "Johansson", "Haddad", "Okafor", "Nguyen", "Petrov",
    "MacLeod", "Mensah", "Tremblay", "García", "Kowalski", "Lindqvist", "Sharma", "O'Brien",
    "Moreno", "Bergström", "Cohen", "Abara", "Gagnon", "Zhang", "Hernández", "Yilmaz",
    "Fischer", "Müller-Øster", "Thompson", "Dubois", "Sokolov", "Whitaker", "Rahimi", "Novak",
    "Tanaka", "Ortiz", "van der Berg", "Sato", "Walsh", "Lefebvre", "Byrne", "Adeyemi",
    "Castillo", "Iyer", "Doherty", "Dlamini", "Nilsen", "Horvath", "St-Pierre",
]
CITIES = [
    ("Calgary", "AB", "T2S 1A1", "Canada"), ("Edmonton", "AB", "T5J 0N3", "Canada"),
    ("Montréal", "QC", "H2X 3K8", "Canada"), ("Vancouver", "BC", "V6B 1A1", "Canada"),
    ("Denver", "CO", "80211", "USA"), ("Austin", "TX", "78701", "USA"),
    ("Boise", "ID", "83702", "USA"), ("Missoula", "MT", "59801", "USA"),
    ("Seattle", "WA", "98101", "USA"),
]

# (weight, profession, credential choices, licence prefix, credit request, needs ASHA account)
PROFESSIONS = [
    (22, "SLP", ["CCC-SLP", "MS, CCC-SLP"], "SLP-", "ASHA", True),
    (5, "AUD", ["CCC-A", "AuD, CCC-A"], "AUD.", "ASHA", True),
    (3, "CF-SLP", ["CF"], "", "ASHA", False),
    (2, "STUDENT-SLP", [""], "", "ASHA", False),
    (16, "OT", ["OTR/L", "OT Reg. (Alta.)"], "OT-", "AOTA", False),
    (4, "OTA", ["COTA/L"], "OTA-", "AOTA", False),
    (14, "PT", ["PT", "PT, DPT"], "PT-", "PT", False),
    (3, "PTA", ["PTA"], "", "", False),
    (28, "LMT", ["LMT", "RMT", "LMT, BCTMB"], "RMT-", "NCBTMB", False),
    (3, "LMT", ["RMT"], "RMT-", "NCBTMB;ASHA", False),
]

# Each day's sheet comes from a different export, as in SER2.
HEADERS = [
    ["First Name", "Last Name", "E-mail", "Date", "Sign In", "Sign Out"],
    ["First Name", "Last Name", "E-mail", "Date", "Time In", "Time Out"],
    ["First Name", "Last Name", "E-mail", "Date", "In", "Out"],
    ["First Name", "Last Name", "E-mail", "Date", "Check In", "Check Out"],
]
DAYS = ["2025-03-06", "2025-03-07", "2025-03-08", "2025-03-09"]


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def main() -> None:
    template, out, n = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(n)
    (out / "attendance").mkdir(parents=True, exist_ok=True)
    shutil.copy(template / "course.toml", out / "course.toml")
    # Files the course record names beside it (the signatory's signature image) go along, or
    # the generated offering could not be issued.
    for name in ("signature.png",):
        if (template / name).is_file():
            shutil.copy(template / name, out / name)

    weights = [p[0] for p in PROFESSIONS]
    people = []
    for i in range(1, n + 1):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        _, prof, creds, prefix, credit, asha = rng.choices(PROFESSIONS, weights)[0]
        city, region, postal, country = rng.choice(CITIES)
        # The attendee number keeps e-mails unique however often a name repeats.
        local = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
        email = f"{local}.{i}@example.org"
        people.append({
            "attendee_id": f"A{i:06d}",
            "first_name": first,
            "last_name": last,
            "email": email,
            "phone": f"403-555-{i % 10000:04d}" if rng.random() < 0.3 else "",
            "street": f"{rng.randint(1, 9999)} {rng.choice(['Elbow Dr SW', 'Main St', '9 Ave SE', 'Rue Saint-Denis', 'Speer Blvd'])}",
            "city": city,
            "region": region,
            "postal_code": postal,
            "country": country,
            "profession": prof,
            "credential": rng.choice(creds),
            "license_number": f"{prefix}{rng.randint(1000, 99999)}" if prefix else "",
            "license_state": region,
            "asha_account": f"{rng.randint(10_000_000, 99_999_999)}" if asha else "",
            "credit": credit,
            "assessment_completed": "yes" if rng.random() < 0.9 else "no",
        })

    with open(out / "roster.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(people[0].keys()))
        w.writeheader()
        w.writerows(people)

    # Attendance: ~92 % attend every day in full; the rest are late, leave early or miss a day.
    plans = []
    for _ in people:
        r = rng.random()
        plan = [("full", 0)] * 4
        day = rng.randrange(4)
        if r < 0.03:
            plan[day] = ("absent", 0)
        elif r < 0.06:
            plan[day] = ("late", rng.randint(20, 120))
        elif r < 0.08:
            plan[day] = ("early", rng.randint(30, 150))
        plans.append(plan)

    for d, (date, header) in enumerate(zip(DAYS, HEADERS)):
        with open(out / "attendance" / f"day{d + 1}-{date}.csv", "w", newline="",
                  encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(header)
            for p, plan in zip(people, plans):
                kind, minutes = plan[d]
                if kind == "absent":
                    continue
                sign_in = 9 * 60 - rng.randint(2, 20)
                sign_out = 17 * 60 + rng.randint(0, 12)
                if kind == "late":
                    sign_in = 9 * 60 + minutes
                elif kind == "early":
                    sign_out = 17 * 60 - minutes
                w.writerow([p["first_name"], p["last_name"], p["email"], date,
                            hhmm(sign_in), hhmm(sign_out)])


if __name__ == "__main__":
    main()
