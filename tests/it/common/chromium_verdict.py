#!/usr/bin/env python3
"""Open a URL in headless Chromium and print the verification page's verdict as JSON.

Usage: chromium_verdict.py CHROMIUM PROFILE-DIR URL

Drives Chromium over the DevTools protocol on a pipe (--remote-debugging-pipe: commands on
fd 3, replies on fd 4, NUL-separated JSON), so it needs nothing beyond Python's standard
library and Debian's chromium package. `--dump-dom` is not enough: it does not wait for the
page's WebCrypto work (PBKDF2, AES-GCM) to finish. Prints
{"verdict": ..., "text": ..., "body": ...} once `data-verdict` on <p id="verdict"> is no
longer "pending", or after 60 seconds.
"""
import json
import os
import subprocess
import sys
import time


def main():
    chromium, profile, url = sys.argv[1:4]
    to_browser_r, to_browser_w = os.pipe()
    from_browser_r, from_browser_w = os.pipe()

    def wire():
        os.dup2(to_browser_r, 3)
        os.dup2(from_browser_w, 4)

    browser = subprocess.Popen(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--remote-debugging-pipe",
            "--user-data-dir=" + profile,
            "about:blank",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=wire,
        pass_fds=(3, 4),
    )
    os.close(to_browser_r)
    os.close(from_browser_w)
    out = os.fdopen(to_browser_w, "wb", buffering=0)
    incoming = os.fdopen(from_browser_r, "rb", buffering=0)
    buffered = b""
    next_id = [0]

    def read_message():
        nonlocal buffered
        while b"\0" not in buffered:
            chunk = incoming.read(65536)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            buffered += chunk
        message, buffered = buffered.split(b"\0", 1)
        return json.loads(message)

    def call(method, params=None, session=None):
        next_id[0] += 1
        message = {"id": next_id[0], "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        out.write(json.dumps(message).encode() + b"\0")
        while True:
            reply = read_message()
            if reply.get("id") == next_id[0]:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]

    result = {"verdict": "", "text": "", "body": ""}
    try:
        target = call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        call("Page.navigate", {"url": url}, session)
        probe = (
            "(() => { const p = document.getElementById('verdict');"
            " return p ? JSON.stringify({verdict: p.dataset.verdict, text: p.textContent,"
            " body: document.body.innerText}) : null; })()"
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            value = call("Runtime.evaluate", {"expression": probe, "returnByValue": True}, session)
            raw = value.get("result", {}).get("value")
            if raw:
                result = json.loads(raw)
                if result["verdict"] != "pending":
                    break
            time.sleep(0.1)
        try:
            call("Browser.close")
        except RuntimeError:
            pass
    finally:
        try:
            browser.wait(timeout=10)
        except subprocess.TimeoutExpired:
            browser.kill()
            browser.wait()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
