// The developer console: signs in with client id + key id + private key (kept in this page as a
// non-extractable WebCrypto key), then makes signed /v1 calls like the SDK and shows the answers.

import { Session, discover, maskToken } from "./client.js";
import { loadPrivateKey } from "./httpsig.js";
import { $, describeError, el, fillTable, pill, status } from "./ui.js";

const HANDOFF_KEY = "scenebank.portal.handoff";
const CLIENT_ID = /^app_[A-Za-z0-9]{1,64}$/;
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const LOG_LIMIT = 50;

let issuer = null;
let session = null;
let selectedEvent = null;
let deliveryPoll = null;

// ------------------------------------------------------------------ request log

function logExchange(exchange) {
  const log = $("#request-log");
  const verified = exchange.verification;
  const ok = exchange.ok !== undefined ? exchange.ok : exchange.status < 300;
  const entry = el(
    "div",
    { class: "entry", dataset: { status: String(exchange.status) } },
    el("span", { class: ok ? "ok" : "bad" }, exchange.status === undefined ? "—" : String(exchange.status)),
    " ",
    exchange.method,
    " ",
    exchange.path,
    exchange.requestId ? " · " + exchange.requestId : "",
    exchange.note ? " · " + exchange.note : "",
    verified
      ? el("span", { class: verified.ok ? "ok verified" : "bad" }, " · response " + (verified.ok ? "✓ " : "✗ ") + verified.detail)
      : null,
  );
  if (exchange.signatureBase) {
    entry.appendChild(
      el(
        "details",
        {},
        el("summary", {}, "signature base and headers"),
        el("pre", {}, maskToken(exchange.signatureBase)),
        el(
          "pre",
          {},
          "Signature-Input: " +
            exchange.signatureInput +
            (exchange.idempotencyKey ? "\nIdempotency-Key: " + exchange.idempotencyKey : ""),
        ),
      ),
    );
  }
  const problem = exchange.problem;
  if (problem && typeof problem.signature_base === "string") {
    // the sandbox answers a signature that does not verify with the base it verified: beside ours
    entry.appendChild(
      el(
        "details",
        { open: true, class: "gateway-base" },
        el("summary", {}, "signature base the gateway verified (@target-uri " + (problem.target_uri || "?") + ")"),
        el("pre", {}, problem.signature_base),
      ),
    );
  }
  log.prepend(entry);
  while (log.children.length > LOG_LIMIT) {
    log.lastElementChild.remove();
  }
}

// ------------------------------------------------------------------ sign in

function takeHandoff() {
  let handoff = null;
  try {
    const text = sessionStorage.getItem(HANDOFF_KEY);
    sessionStorage.removeItem(HANDOFF_KEY);
    handoff = text ? JSON.parse(text) : null;
  } catch (e) {
    handoff = null;
  }
  if (!handoff || typeof handoff !== "object") {
    return;
  }
  if (typeof handoff.client_id === "string") {
    $("#signin-client-id").value = handoff.client_id;
  }
  if (typeof handoff.key_id === "string") {
    $("#signin-key-id").value = handoff.key_id;
  }
  if (typeof handoff.private_key_pem === "string") {
    $("#signin-pem").value = handoff.private_key_pem;
  }
  $("#handoff-note").hidden = false;
}

async function signIn(event) {
  event.preventDefault();
  const line = $("#signin-status");
  const clientId = $("#signin-client-id").value.trim();
  const keyId = $("#signin-key-id").value.trim();
  const pem = $("#signin-pem").value;
  if (!CLIENT_ID.test(clientId)) {
    status(line, "The client id looks like app_… (letters and digits).", "error");
    return;
  }
  if (!KEY_ID.test(keyId)) {
    status(line, "The key id is 1 to 64 letters, digits, '.', '_' or '-'.", "error");
    return;
  }
  const button = $("#signin-submit");
  button.disabled = true;
  status(line, "Reading the key and asking for a token…");
  try {
    if (!issuer) {
      issuer = (await discover()).issuer;
      $("#issuer").textContent = issuer;
    }
    const key = await loadPrivateKey(pem);
    const candidate = new Session({ issuer, clientId, keyId, key, onExchange: logExchange });
    await candidate.token();
    session = candidate;
    $("#signin-pem").value = ""; // the key now lives only as a non-extractable CryptoKey
    $("#handoff-note").hidden = true;
    status(line, "");
    showSession(key);
    await Promise.all([loadKeys(), loadEndpoints(), loadEvents()]);
  } catch (e) {
    status(line, describeError(e), "error");
  } finally {
    button.disabled = false;
  }
}

function showSession(key) {
  $("#session-client-id").textContent = session.clientId;
  $("#session-key").textContent = session.keyId + " (" + key.algorithm + ")";
  $("#session-thumbprint").textContent = key.thumbprint;
  $("#session-scopes").textContent = session.scope || "(all granted)";
  $("#signin-card").hidden = true;
  $("#session-card").hidden = false;
  $("#workspace").hidden = false;
}

function signOut() {
  stopPolling();
  if (session) {
    session.close();
  }
  session = null;
  selectedEvent = null;
  for (const body of document.querySelectorAll("#workspace tbody")) {
    body.replaceChildren();
  }
  $("#deliveries").hidden = true;
  $("#session-card").hidden = true;
  $("#workspace").hidden = true;
  $("#signin-card").hidden = false;
  status($("#signin-status"), "Signed out: the key and the token are gone from this page.", "ok");
}

// ------------------------------------------------------------------ keys

function shortTime(value) {
  return value ? String(value).replace("T", " ").replace(/\+08:00$/, "") : "";
}

async function loadKeys() {
  const line = $("#keys-status");
  try {
    const answer = await session.call("GET", "/v1/client/keys?limit=100");
    const rows = (answer.body.data || []).map((key) =>
      el(
        "tr",
        { dataset: { kid: key.kid } },
        el("td", {}, el("code", {}, key.kid), key.kid === session.keyId ? el("span", { class: "small muted" }, " (this browser)") : null),
        el("td", {}, key.algorithm),
        el("td", {}, pill(key.status)),
        el("td", {}, el("code", {}, key.thumbprint)),
        el("td", {}, shortTime(key.created_at)),
      ),
    );
    fillTable($("#keys-table tbody"), rows, 5, "No keys.");
    status(line, "");
  } catch (e) {
    status(line, describeError(e), "error");
  }
}

// ------------------------------------------------------------------ webhook endpoints

async function loadEndpoints() {
  const line = $("#endpoints-status");
  try {
    const answer = await session.call("GET", "/v1/webhook-endpoints?limit=100");
    const rows = (answer.body.data || []).map((endpoint) =>
      el(
        "tr",
        { dataset: { endpointId: endpoint.id } },
        el("td", {}, el("code", {}, endpoint.id)),
        el("td", {}, el("code", {}, endpoint.url)),
        el("td", {}, (endpoint.event_types || []).join(", ")),
        el("td", {}, pill(endpoint.status)),
        el(
          "td",
          {},
          el(
            "button",
            {
              type: "button",
              class: "small send-test",
              dataset: { endpointId: endpoint.id },
              onclick: () => sendTest(endpoint.id),
            },
            "Send test webhook 发送测试",
          ),
        ),
      ),
    );
    fillTable($("#endpoints-table tbody"), rows, 5, "No webhook endpoints yet: add one below.");
  } catch (e) {
    status(line, describeError(e), "error");
  }
}

async function addEndpoint(event) {
  event.preventDefault();
  const line = $("#endpoints-status");
  const url = $("#endpoint-url").value.trim();
  if (!/^https?:\/\/\S+$/.test(url)) {
    status(line, "Enter an http(s) URL.", "error");
    return;
  }
  const types = $("#endpoint-events")
    .value.split(",")
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
  const request = { url, event_types: types.length > 0 ? types : ["*"] };
  const description = $("#endpoint-description").value.trim();
  if (description) {
    request.description = description;
  }
  const button = $("#endpoint-add");
  button.disabled = true;
  try {
    const answer = await session.call("POST", "/v1/webhook-endpoints", request);
    status(line, "Added " + answer.body.id + ".", "ok");
    $("#endpoint-url").value = "";
    $("#endpoint-description").value = "";
    await loadEndpoints();
  } catch (e) {
    status(line, describeError(e), "error");
  } finally {
    button.disabled = false;
  }
}

async function sendTest(endpointId) {
  const line = $("#endpoints-status");
  try {
    const answer = await session.call(
      "POST",
      "/v1/sandbox/webhook-endpoints/" + encodeURIComponent(endpointId) + "/test",
      {},
    );
    status(line, "Test event " + answer.body.event_id + " scheduled for " + endpointId + ".", "ok");
    await loadEvents();
    await selectEvent(answer.body.event_id, true);
  } catch (e) {
    status(line, describeError(e), "error");
  }
}

// ------------------------------------------------------------------ events and deliveries

async function loadEvents() {
  const line = $("#events-status");
  try {
    const answer = await session.call("GET", "/v1/events?limit=20");
    const rows = (answer.body.data || []).map((item) =>
      el(
        "tr",
        {
          class: "clickable" + (item.id === selectedEvent ? " selected" : ""),
          tabindex: "0",
          dataset: { eventId: item.id, eventType: item.type },
          onclick: () => selectEvent(item.id, false),
        },
        el("td", {}, el("code", {}, item.id)),
        el("td", {}, item.type),
        el("td", {}, shortTime(item.created_at)),
      ),
    );
    fillTable($("#events-table tbody"), rows, 3, "No events in the last 30 days.");
    status(line, "");
  } catch (e) {
    status(line, describeError(e), "error");
  }
}

function stopPolling() {
  if (deliveryPoll) {
    clearTimeout(deliveryPoll);
    deliveryPoll = null;
  }
}

async function selectEvent(eventId, follow) {
  stopPolling();
  selectedEvent = eventId;
  for (const row of document.querySelectorAll("#events-table tbody tr")) {
    row.classList.toggle("selected", row.dataset.eventId === eventId);
  }
  $("#deliveries-event").textContent = eventId;
  $("#deliveries").hidden = false;
  await loadDeliveries(follow ? 20 : 0);
}

/** Loads the selected event's deliveries; while one is still PENDING, looks again (polls left). */
async function loadDeliveries(pollsLeft = 0) {
  const eventId = selectedEvent;
  if (!eventId || !session) {
    return;
  }
  const line = $("#deliveries-status");
  try {
    const answer = await session.call(
      "GET",
      "/v1/events/" + encodeURIComponent(eventId) + "/deliveries?limit=20",
    );
    if (eventId !== selectedEvent) {
      return;
    }
    const deliveries = answer.body.data || [];
    const rows = deliveries.map((d) =>
      el(
        "tr",
        { dataset: { deliveryId: d.id, status: d.status } },
        el("td", {}, el("code", {}, d.id)),
        el("td", {}, el("code", {}, d.endpoint_id)),
        el("td", {}, String(d.attempt)),
        el("td", {}, pill(d.status)),
        el("td", {}, d.response_status === undefined ? "" : String(d.response_status)),
        el("td", {}, d.duration_ms === undefined ? "" : String(d.duration_ms)),
        el("td", {}, shortTime(d.attempted_at)),
        el("td", {}, shortTime(d.next_attempt_at) || (d.error ? d.error : "")),
      ),
    );
    fillTable($("#deliveries-table tbody"), rows, 8, "No delivery attempts (no endpoint was subscribed).");
    const pending = deliveries.length === 0 || deliveries.some((d) => d.status === "PENDING");
    if (pending && pollsLeft > 0) {
      status(line, "Waiting for the delivery…");
      deliveryPoll = setTimeout(() => loadDeliveries(pollsLeft - 1), 750);
    } else {
      status(line, "");
    }
  } catch (e) {
    status(line, describeError(e), "error");
  }
}

// ------------------------------------------------------------------ start

document.addEventListener("DOMContentLoaded", () => {
  takeHandoff();
  $("#signin-form").addEventListener("submit", signIn);
  $("#signout").addEventListener("click", signOut);
  $("#keys-refresh").addEventListener("click", loadKeys);
  $("#endpoints-refresh").addEventListener("click", loadEndpoints);
  $("#endpoint-form").addEventListener("submit", addEndpoint);
  $("#events-refresh").addEventListener("click", loadEvents);
  $("#deliveries-refresh").addEventListener("click", () => loadDeliveries(0));
  discover()
    .then((metadata) => {
      issuer = metadata.issuer;
      $("#issuer").textContent = issuer;
    })
    .catch((e) => {
      $("#issuer").textContent = "unavailable: " + e.message;
    });
  // keyboard selection of events
  $("#events-table").addEventListener("keydown", (event) => {
    const row = event.target.closest("tr[data-event-id]");
    if (row && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      selectEvent(row.dataset.eventId, false);
    }
  });
});
