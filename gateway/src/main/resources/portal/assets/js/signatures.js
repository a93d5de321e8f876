// The "try it" calculator: recomputes Content-Digest, the RFC 9421 signature base and (with a key)
// the signature from the inputs, with the same code the console signs with.

import {
  base64,
  contentDigest,
  latin1,
  loadPrivateKey,
  requestComponents,
  serializeInnerList,
  sign,
  signatureBase,
  signatureInput,
  utf8,
} from "./httpsig.js";
import { $, status } from "./ui.js";

const FIELDS = [
  "try-method",
  "try-target",
  "try-authorization",
  "try-idempotency",
  "try-created",
  "try-keyid",
  "try-nonce",
  "try-alg",
  "try-tag",
  "try-body",
  "try-pem",
];

const initial = new Map();
let generation = 0;
let pending = null;

function value(id) {
  return $("#" + id).value;
}

function mark(node, same, what) {
  node.textContent = same ? "✓ same as the documented " + what : "≠ differs from the documented " + what;
  node.className = "match " + (same ? "ok" : "bad");
}

async function compute() {
  const mine = ++generation;
  const line = $("#try-status");
  try {
    const body = value("try-body");
    const created = value("try-created").trim();
    if (!/^-?\d{1,15}$/.test(created)) {
      throw new Error("created must be an integer (UNIX seconds).");
    }
    const digest = body.length > 0 ? await contentDigest(utf8(body)) : "";
    const values = requestComponents({
      method: value("try-method").trim(),
      targetUri: value("try-target").trim(),
      authorization: value("try-authorization").trim(),
      contentDigest: digest,
      idempotencyKey: value("try-idempotency").trim(),
    });
    const input = signatureInput([...values.keys()], {
      created: Number(created),
      keyid: value("try-keyid").trim(),
      nonce: value("try-nonce").trim(),
      alg: value("try-alg").trim(),
      tag: value("try-tag").trim(),
    });
    const base = signatureBase(input, (item) => values.get(item.value.value));
    const signatureInputValue = "sig1=" + serializeInnerList(input);
    let signatureValue = "";
    const pem = value("try-pem").trim();
    if (pem) {
      const key = await loadPrivateKey(pem);
      signatureValue = "sig1=:" + base64(await sign(key, latin1(base))) + ":";
    }
    if (mine !== generation) {
      return; // a newer computation started meanwhile
    }
    $("#try-digest").textContent = digest || "(no body: no Content-Digest)";
    $("#try-base").textContent = base;
    $("#try-signature-input").textContent = signatureInputValue;
    $("#try-signature").textContent = signatureValue || "(no key: not signed)";
    mark($("#try-base-match"), base === $("#doc-base").textContent, "base");
    mark(
      $("#try-signature-match"),
      signatureInputValue === $("#doc-signature-input").textContent && signatureValue === $("#doc-signature").textContent,
      "headers",
    );
    status(line, "Computed.", "ok");
    document.body.dataset.computed = String(mine);
  } catch (e) {
    if (mine !== generation) {
      return;
    }
    $("#try-base").textContent = "";
    $("#try-signature").textContent = "";
    $("#try-base-match").textContent = "";
    $("#try-signature-match").textContent = "";
    status(line, e.message, "error");
  }
}

function schedule() {
  clearTimeout(pending);
  pending = setTimeout(compute, 150);
}

function reset() {
  for (const [id, text] of initial) {
    $("#" + id).value = text;
  }
  compute();
}

document.addEventListener("DOMContentLoaded", () => {
  for (const id of FIELDS) {
    const field = $("#" + id);
    initial.set(id, field.value);
    field.addEventListener("input", schedule);
  }
  $("#try-form").addEventListener("submit", (event) => {
    event.preventDefault();
    compute();
  });
  $("#try-reset").addEventListener("click", reset);
  compute();
});
