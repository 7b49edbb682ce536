"use strict";
// The ceu verification page (written by `ceu publish`; see docs/verification.md).
// Trust: the provider's Ed25519 public key is pinned in this page. manifest.json is a DSSE
// envelope signed by that key; it lists every shard file with its SHA-256, so a shard is used
// only when its bytes hash to what the signed manifest says.
(function () {
  const CONFIG = JSON.parse(document.getElementById("ceu-config").textContent);
  const MANIFEST_TYPE = "application/vnd.ceu.site-manifest+json";
  const SITE = "ceu-verify/1";
  const REASONS = {
    "issued-in-error": "issued in error",
    "requirements-not-met": "the completion requirements were not met",
    "misconduct": "misconduct",
    "duplicate": "duplicate certificate",
    "replaced": "replaced by a corrected certificate",
    "withdrawn": "withdrawn by the provider",
    "key-compromise": "the provider's signing key was compromised",
    "unspecified": "no reason code given",
  };
  const $ = (id) => document.getElementById(id);
  const utf8 = (s) => new TextEncoder().encode(s);
  const hex = (buffer) =>
    Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
  const fromBase64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

  class Unsupported extends Error {}

  function show(verdict, text, facts) {
    const p = $("verdict");
    p.dataset.verdict = verdict;
    p.textContent = text;
    const dl = $("facts");
    dl.replaceChildren();
    for (const [name, value] of facts || []) {
      const dt = document.createElement("dt");
      dt.textContent = name;
      const dd = document.createElement("dd");
      dd.textContent = value;
      dl.append(dt, dd);
    }
  }

  function fail(error) {
    if (error instanceof Unsupported) {
      show("unsupported", error.message);
    } else {
      show("error", "Error: " + (error && error.message ? error.message : String(error)));
    }
  }

  async function sha256(bytes) {
    return hex(await crypto.subtle.digest("SHA-256", bytes));
  }

  // DSSE pre-authentication encoding: "DSSEv1" SP len(type) SP type SP len(body) SP body.
  function pae(type, body) {
    const head = utf8(`DSSEv1 ${utf8(type).length} ${type} ${body.length} `);
    const out = new Uint8Array(head.length + body.length);
    out.set(head);
    out.set(body, head.length);
    return out;
  }

  let manifestPromise = null;
  function manifest() {
    if (!manifestPromise) manifestPromise = loadManifest();
    return manifestPromise;
  }

  async function loadManifest() {
    if (!window.isSecureContext || !window.crypto || !crypto.subtle) {
      throw new Unsupported(
        "This page must be opened over https (it uses the browser's WebCrypto, which is only available there).",
      );
    }
    let key;
    try {
      key = await crypto.subtle.importKey("raw", fromBase64(CONFIG.public_key), { name: "Ed25519" }, false, ["verify"]);
    } catch (e) {
      throw new Unsupported(
        "This browser cannot check Ed25519 signatures, so it cannot check certificates. Use Chrome or Edge 137+, Firefox 129+ or Safari 17+.",
      );
    }
    const response = await fetch("manifest.json", { cache: "no-cache" });
    if (!response.ok) throw new Error(`manifest.json: HTTP ${response.status}`);
    const envelope = await response.json();
    if (envelope.payloadType !== MANIFEST_TYPE) throw new Error("manifest.json is not a ceu site manifest");
    const signature = (envelope.signatures || []).find((s) => s.keyid === CONFIG.key_id);
    if (!signature) throw new Error(`manifest.json is not signed by ${CONFIG.key_id}`);
    const payload = fromBase64(envelope.payload);
    let ok = false;
    try {
      ok = await crypto.subtle.verify({ name: "Ed25519" }, key, fromBase64(signature.sig), pae(MANIFEST_TYPE, payload));
    } catch (e) {
      ok = false;
    }
    if (!ok) throw new Error("the signature of manifest.json does not verify: the list was altered, do not trust it");
    const m = JSON.parse(new TextDecoder().decode(payload));
    if (m.site !== SITE || m.key_id !== CONFIG.key_id) throw new Error("manifest.json is for another site or key");
    $("about").textContent =
      `Certificates signed by key ${m.key_id}. List of ${m.certificates} certificates, updated ${m.updated}.`;
    return m;
  }

  async function shard(m, set, prefix) {
    const listed = m.shards[set][prefix];
    if (!listed) return {};
    // Shard files are named by set, prefix and the start of their own SHA-256.
    const file = `${set}/${prefix}.${listed.slice(0, 16)}.json`;
    const response = await fetch(file);
    if (!response.ok) throw new Error(`${file}: HTTP ${response.status}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    if ((await sha256(bytes)) !== listed) {
      throw new Error(`${file} is not the file the signed manifest lists: do not trust it`);
    }
    return JSON.parse(new TextDecoder().decode(bytes));
  }

  function statusVerdict(id, entry, facts, note) {
    const suffix = note ? " " + note : "";
    if (entry.status === "valid") {
      show("valid", `Valid: certificate ${id} was issued by this provider and is neither revoked nor replaced.${suffix}`, facts);
    } else if (entry.status === "revoked") {
      const reason = REASONS[entry.reason] || entry.reason;
      show("revoked", `Revoked: certificate ${id} was revoked on ${entry.revoked_on} (reason: ${reason}).${suffix}`, facts);
    } else if (entry.status === "superseded") {
      show("superseded", `Superseded: certificate ${id} was replaced by ${entry.superseded_by}; ask the holder for the current certificate.${suffix}`, facts);
    } else {
      show("error", `Error: certificate ${id} has a status this page does not know (${entry.status})`);
    }
  }

  // The one path for a PDF, whether dropped, chosen, or named by #pdf= (same origin).
  async function checkPdf(bytes) {
    show("pending", "Checking…");
    const m = await manifest();
    const digest = await sha256(bytes);
    const entries = await shard(m, "pdf", digest.slice(0, 2));
    const entry = entries[digest];
    if (!entry) {
      show(
        "unknown",
        `Unknown: this file (SHA-256 ${digest}) is not a certificate in this provider's list. It was altered, re-saved by another program, or not issued by this provider. Only the original file is recognised: check by certificate id and verification code instead.`,
      );
      return;
    }
    statusVerdict(entry.id, entry, [["Certificate", entry.id], ["SHA-256", digest]]);
  }

  // Verification codes as people type them: any case, with or without the hyphen or spaces,
  // O for 0 and I or L for 1 (Crockford base32 has no I, L, O or U).
  function normalizeCode(code) {
    return code.toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
  }

  async function openFacts(m, fullId, code, sealed) {
    const kdf = m.holder_facts;
    const base = await crypto.subtle.importKey("raw", utf8(normalizeCode(code)), "PBKDF2", false, ["deriveKey"]);
    const key = await crypto.subtle.deriveKey(
      { name: "PBKDF2", hash: "SHA-256", salt: utf8(kdf.salt_prefix + fullId), iterations: kdf.iterations },
      base,
      { name: "AES-GCM", length: 256 },
      false,
      ["decrypt"],
    );
    const blob = fromBase64(sealed);
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: blob.slice(0, 12), additionalData: utf8(fullId) },
      key,
      blob.slice(12),
    );
    return JSON.parse(new TextDecoder().decode(plain));
  }

  // The id's record in the id/ shards: the text as given, else split as <id>-r<n>.
  async function findRecord(m, text) {
    const candidates = [[text, null]];
    const suffix = /^(.+)-[rR]([0-9]+)$/.exec(text);
    if (suffix) candidates.push([suffix[1], suffix[2]]);
    for (const [base, revision] of candidates) {
      const digest = await sha256(utf8(base));
      const record = (await shard(m, "id", digest.slice(0, 2)))[digest];
      if (record) return { base, revision, record };
    }
    return null;
  }

  async function checkId(idText, code) {
    show("pending", "Checking…");
    const m = await manifest();
    const text = idText.trim();
    // Ids are printed in capitals; people type them in any case.
    let found = await findRecord(m, text);
    if (!found && text !== text.toUpperCase()) found = await findRecord(m, text.toUpperCase());
    if (!found) {
      show("unknown", `Unknown: there is no certificate ${text} in this provider's list. Check the id as printed on the certificate.`);
      return;
    }
    const { base, record } = found;
    const revision = found.revision || String(record.latest);
    const entry = record.revisions[revision];
    const fullId = `${base}-r${revision}`;
    if (!entry) {
      show("unknown", `Unknown: certificate ${base} has no revision ${revision} in this provider's list.`);
      return;
    }
    const facts = [["Certificate", fullId]];
    let note = "";
    if (code && code.trim() && entry.sealed && m.holder_facts) {
      let opened;
      try {
        opened = await openFacts(m, fullId, code.trim(), entry.sealed);
      } catch (e) {
        show("invalid", `The verification code does not match certificate ${fullId}. Check the code as printed on the certificate.`);
        return;
      }
      facts.push(["Holder", opened.holder], ["Course", opened.title], ["Offering", opened.offering], ["Dates", opened.dates], ["Time attended", opened.hours + " instructional hours"]);
      for (const line of opened.credit || []) facts.push(["Credit", line]);
      note = "The verification code matches.";
    } else if (code && code.trim()) {
      note = "The verification code was not checked: this provider's list holds no holder details.";
    }
    statusVerdict(fullId, entry, facts, note);
  }

  function fromFragment() {
    const params = new URLSearchParams(location.hash.slice(1));
    const pdf = params.get("pdf");
    const id = params.get("id");
    if (pdf) {
      const url = new URL(pdf, location.href);
      if (url.origin !== location.origin) {
        show("error", "Error: #pdf= must name a file on this site");
        return;
      }
      fetch(url)
        .then((r) => {
          if (!r.ok) throw new Error(`${url.pathname}: HTTP ${r.status}`);
          return r.arrayBuffer();
        })
        .then((buffer) => checkPdf(buffer))
        .catch(fail);
    } else if (id) {
      $("cert-id").value = id;
      $("code").value = params.get("code") || "";
      checkId(id, params.get("code") || "").catch(fail);
    } else {
      manifest()
        .then(() => show("ready", "Ready: drop a certificate's PDF, or enter its id and verification code."))
        .catch(fail);
    }
  }

  function checkFile(file) {
    if (file) file.arrayBuffer().then(checkPdf).catch(fail);
  }

  $("pdf").addEventListener("change", (e) => checkFile(e.target.files[0]));
  const drop = $("drop");
  drop.addEventListener("dragover", (e) => {
    e.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    checkFile(e.dataTransfer.files[0]);
  });
  $("lookup").addEventListener("submit", (e) => {
    e.preventDefault();
    checkId($("cert-id").value, $("code").value).catch(fail);
  });
  window.addEventListener("hashchange", fromFragment);
  fromFragment();
})();
