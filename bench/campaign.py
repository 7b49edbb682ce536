"""Shared by the reliability campaigns (bench/kill-trials, bench/concurrent-issue,
bench/pdf-mutations): build or find the release binary, copy the SER2 example's inputs into a
temporary records/ folder, run ceu there, and check the invariant of docs/reliability.md.

The invariant, checked after every trial:
  - `ceu ledger verify` passes (the chain, every signature, the checkpoint beside it);
  - every PDF in certificates/ is either recorded in the ledger (its SHA-256 is an entry's
    `pdf_sha256`) and `ceu verify --ledger` says valid, or is not recorded and `verify` says
    so (status "unknown": "in no ledger entry", or "invalid": "not the issued bytes"), never
    valid;
  - after a completing run: one ledger line per certificate id, one PDF per line, no `.ceu-*`
    temporaries.

Standard library only.
"""

import argparse
import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SER2 = REPO / "records" / "SER2-2025-03-CAL"
# What a provider writes into an offering folder (tests/common OFFERING_INPUTS).
INPUTS = ["course.toml", "roster.csv", "attendance", "aliases.csv", "not-attendees.csv"]
TIMES = ["--issued-at", "2025-03-10T12:00:00Z", "--as-of", "2025-03-20"]


def arguments(description, defaults):
    """The options every campaign takes, plus its own `defaults` (name -> (value, help))."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--bin", help="a ceu binary to use instead of building the release one")
    parser.add_argument("--seed", type=int, default=17, help="random seed (default 17)")
    for name, (value, text) in defaults.items():
        parser.add_argument(f"--{name}", type=type(value), default=value, help=text)
    parser.add_argument("--keep", action="store_true", help="keep the work folder (printed)")
    return parser.parse_args()


def binary(args):
    """The ceu to run: --bin, or a fresh `cargo build --release --locked`."""
    if args.bin:
        return str(Path(args.bin).resolve())
    subprocess.run(
        ["cargo", "build", "--release", "--locked", "--manifest-path", str(REPO / "Cargo.toml")],
        check=True,
        stdout=sys.stderr,
    )
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    return str((target / "release" / "ceu").resolve())


class Workspace:
    """A temporary folder with a throwaway key (its private half never leaves the folder) and
    the environment ceu runs in (no configuration folder of the user's)."""

    def __init__(self, ceu, name, keep=False):
        self.ceu = ceu
        self.keep = keep
        self.root = Path(tempfile.mkdtemp(prefix=f"ceu-{name}."))
        self.env = dict(os.environ)
        self.env.pop("CEU_SIGNING_KEY", None)
        self.env.pop("CEU_FAULT", None)
        self.env["HOME"] = str(self.root / "home")
        self.env["XDG_CONFIG_HOME"] = str(self.root / "config")
        self.key = self.root / "secret" / "key.pem"
        self.run(["keygen", "--key", str(self.key), "--public-dir", str(self.root / "trusted")])
        self.public = str(next((self.root / "trusted").glob("*.pub.pem")))

    def close(self):
        if self.keep:
            print(f"work folder kept: {self.root}")
        else:
            shutil.rmtree(self.root, ignore_errors=True)

    def run(self, args, check=True, **kwargs):
        result = subprocess.run(
            [self.ceu, *args], env=self.env, capture_output=True, text=True, **kwargs
        )
        if check and result.returncode != 0:
            raise RuntimeError(f"ceu {' '.join(args)}: exit {result.returncode}\n{result.stderr}")
        return result

    def popen(self, args):
        return subprocess.Popen(
            [self.ceu, *args],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def trial_records(self, offering_ids=("SER2-2025-03-CAL",)):
        """A fresh records/ folder holding a copy of SER2's inputs per offering id (the course
        record's id rewritten for every copy after the first)."""
        records = self.root / "trial" / "records"
        shutil.rmtree(records.parent, ignore_errors=True)
        for offering_id in offering_ids:
            copy_inputs(SER2, records / offering_id)
            if offering_id != "SER2-2025-03-CAL":
                course = records / offering_id / "course.toml"
                text = course.read_text(encoding="utf-8")
                course.write_text(
                    text.replace('id = "SER2-2025-03-CAL"', f'id = "{offering_id}"', 1),
                    encoding="utf-8",
                )
        return records

    def issue_args(self, offering):
        return [
            "issue",
            str(offering),
            "--key",
            str(self.key),
            "--ledger",
            str(offering.parent / "ledger.jsonl"),
            *TIMES,
        ]


def copy_inputs(source, target):
    """Copies an offering folder's inputs, plus the signature image its course record names."""
    target.mkdir(parents=True, exist_ok=True)
    for name in INPUTS:
        path = source / name
        if path.is_dir():
            shutil.copytree(path, target / name)
        elif path.is_file():
            shutil.copy2(path, target / name)
    course = (source / "course.toml").read_text(encoding="utf-8")
    match = re.search(r'^\s*signature_image\s*=\s*"([^"]+)"', course, re.MULTILINE)
    if match:
        image = target / match.group(1)
        image.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / match.group(1), image)


def ledger_entries(ledger):
    """The decoded payload of every complete line (`None` for a line that does not decode)."""
    if not ledger.exists():
        return []
    entries = []
    for line in ledger.read_bytes().split(b"\n")[:-1]:
        try:
            envelope = json.loads(line)
            entries.append(json.loads(base64.b64decode(envelope["payload"])))
        except (ValueError, KeyError, TypeError):
            entries.append(None)
    return entries


def torn_tail(ledger):
    """Whether the ledger ends in an incomplete line (a run killed mid-append)."""
    data = ledger.read_bytes() if ledger.exists() else b""
    return bool(data) and not data.endswith(b"\n")


def verdicts(ws, paths, ledger=None, offline=False):
    """`ceu verify --format json` of `paths` (files or folders): item path -> verdict."""
    args = ["verify", *map(str, paths), "--trust", ws.public, "--format", "json"]
    if offline:
        args.append("--offline")
    else:
        args += ["--ledger", str(ledger)]
    result = ws.run(args, check=False)
    if result.returncode not in (0, 1):
        raise RuntimeError(f"verify: exit {result.returncode}\n{result.stderr}")
    return {item["item"]: item for item in json.loads(result.stdout)["items"]}


def check_invariant(ws, records, complete=None):
    """The violations of the invariant in `records/` (empty when it holds). `complete`: the
    number of ledger lines a finished batch has, to check after a completing run."""
    problems = []
    ledger = records / "ledger.jsonl"
    if not ledger.exists():
        entries = []
    else:
        chain = ws.run(["ledger", "verify", "--ledger", str(ledger), "--trust", ws.public], check=False)
        if chain.returncode != 0:
            problems.append(f"ledger verify exit {chain.returncode}: {chain.stdout.strip()[:300]} {chain.stderr.strip()[:300]}")
        entries = ledger_entries(ledger)
    if any(e is None for e in entries):
        problems.append("a complete ledger line does not decode")
    entries = [e for e in entries if e]
    recorded = {e["pdf_sha256"]: e for e in entries if "pdf_sha256" in e}
    pdfs = sorted(records.glob("*/certificates/*.pdf"))
    if pdfs and ledger.exists():
        found = verdicts(ws, pdfs, ledger)
        for pdf in pdfs:
            verdict = found.get(str(pdf))
            digest = hashlib.sha256(pdf.read_bytes()).hexdigest()
            if verdict is None:
                problems.append(f"{pdf.name}: verify gave no verdict")
            elif digest in recorded:
                if verdict["status"] != "valid":
                    problems.append(f"{pdf.name}: recorded but verify says {verdict['status']}: {first_failure(verdict)}")
            elif verdict["status"] == "valid" or verdict["status"] not in ("unknown", "invalid"):
                problems.append(f"{pdf.name}: not recorded, yet verify says {verdict['status']}")
            elif not any(c["check"] == "pdf-hash" and not c["ok"] for c in verdict["checks"]):
                problems.append(f"{pdf.name}: not recorded, and verify does not say so: {first_failure(verdict)}")
    elif pdfs:
        problems.append(f"{len(pdfs)} PDFs and no ledger")
    if complete is not None:
        if len(entries) != complete:
            problems.append(f"the ledger has {len(entries)} lines, expected {complete}")
        ids = [(e.get("cert_id"), e.get("revision")) for e in entries]
        if len(set(ids)) != len(ids):
            problems.append("a certificate is recorded twice")
        missing = [e["pdf_file"] for e in entries if "pdf_file" in e and not any(p.name == e["pdf_file"] for p in pdfs)]
        if missing:
            problems.append(f"recorded PDFs missing: {missing[:3]}")
        if len(pdfs) != complete:
            problems.append(f"{len(pdfs)} PDFs, expected {complete}")
        temporaries = [p.name for p in records.rglob(".ceu-*")]
        if temporaries:
            problems.append(f"temporary files left: {temporaries[:3]}")
    return problems


def first_failure(verdict):
    for check in verdict["checks"]:
        if not check["ok"]:
            return f"{check['check']}: {check['detail'][:200]}"
    return "-"
