// A signed-in app in the browser: access tokens by private_key_jwt, and /v1 calls signed and
// verified exactly as the Java SDK's Transport does them. Nothing here is stored: the session lives
// in this page's memory and ends with it.

import {
  base64,
  checkContentDigest,
  contentDigest,
  importVerificationKey,
  latin1,
  newNonce,
  parseDictionary,
  requestComponents,
  serializeInnerList,
  serializeItem,
  sign,
  signJws,
  signatureBase,
  signatureInput,
  utf8,
} from "./httpsig.js";

const ASSERTION_LIFETIME_SECONDS = 120; // TokenSource.ASSERTION_LIFETIME
const REFRESH_BEFORE_MS = 60_000; // TokenSource.REFRESH_BEFORE
const SIGNATURE_WINDOW_SECONDS = 300; // Transport.SIGNATURE_WINDOW

const FETCH_OPTIONS = { credentials: "omit", cache: "no-store", redirect: "error" };

/** An error of a call: message, code (problem code or OAuth error), status, request id. */
export class ApiError extends Error {
  constructor(message, { code, status, requestId, problem, exchange } = {}) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.status = status;
    this.requestId = requestId;
    this.problem = problem;
    this.exchange = exchange;
  }
}

/** The gateway's OAuth metadata (RFC 8414): its issuer is the base of every @target-uri. */
export async function discover() {
  const response = await fetch("/.well-known/oauth-authorization-server", FETCH_OPTIONS);
  if (!response.ok) {
    throw new ApiError("The gateway's metadata is not available (HTTP " + response.status + ").", { status: response.status });
  }
  return response.json();
}

function newRequestId() {
  return "portal-" + newNonce().slice(0, 16);
}

/** Masks a bearer token for display: the first characters only. */
export function maskToken(text) {
  return String(text).replace(/(Bearer )([A-Za-z0-9_-]{12})[A-Za-z0-9._~+/=-]*/g, "$1$2…(hidden)");
}

export class Session {
  /**
   * @param issuer the gateway's issuer (metadata), e.g. http://localhost:8080
   * @param clientId the app's client id
   * @param keyId the registered key's kid
   * @param key a key from loadPrivateKey
   * @param onExchange called with a summary of every call (for the request log)
   */
  constructor({ issuer, clientId, keyId, key, onExchange }) {
    this.issuer = issuer.replace(/\/+$/, "");
    this.clientId = clientId;
    this.keyId = keyId;
    this.key = key;
    this.onExchange = onExchange || (() => {});
    this.accessToken = null;
    this.expiresAt = 0;
    this.scope = "";
    this.pendingToken = null;
    this.gatewayKeys = new Map();
  }

  /**
   * A valid access token, fetched when needed (a minute before expiry, like the SDK); calls made
   * at the same time share one token request.
   */
  async token() {
    if (this.accessToken && Date.now() + REFRESH_BEFORE_MS < this.expiresAt) {
      return this.accessToken;
    }
    if (!this.pendingToken) {
      this.pendingToken = this.fetchToken().finally(() => {
        this.pendingToken = null;
      });
    }
    return this.pendingToken;
  }

  async fetchToken() {
    const now = Math.floor(Date.now() / 1000);
    const assertion = await signJws(this.key, this.keyId, {
      iss: this.clientId,
      sub: this.clientId,
      aud: this.issuer,
      iat: now,
      exp: now + ASSERTION_LIFETIME_SECONDS,
      jti: newNonce(),
    });
    const form = new URLSearchParams();
    form.set("grant_type", "client_credentials");
    form.set("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    form.set("client_assertion", assertion);
    const requestId = newRequestId();
    const response = await fetch("/oauth2/token", {
      ...FETCH_OPTIONS,
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Request-Id": requestId },
      body: form.toString(),
    });
    const body = await response.json().catch(() => ({}));
    this.onExchange({
      method: "POST",
      path: "/oauth2/token",
      status: response.status,
      requestId: response.headers.get("x-request-id") || requestId,
      note: "client assertion (" + this.key.algorithm + ", kid " + this.keyId + ")",
      ok: response.status === 200,
    });
    if (response.status !== 200 || !body.access_token) {
      const error = body.error || "token_refused";
      throw new ApiError("No access token: " + error + (body.error_description ? ": " + body.error_description : ""), {
        code: error,
        status: response.status,
        requestId: response.headers.get("x-request-id") || requestId,
      });
    }
    this.accessToken = body.access_token;
    this.expiresAt = Date.now() + Number(body.expires_in || 0) * 1000;
    this.scope = body.scope || "";
    return this.accessToken;
  }

  /** Forgets the token and the key. */
  close() {
    this.accessToken = null;
    this.key = null;
  }

  /**
   * Calls the API: token → Idempotency-Key (POST) → Content-Digest and RFC 9421 signature → send →
   * verify the response's digest and signature (bound to this request). Resolves with
   * {status, body, requestId, ...} for 2xx; rejects with an ApiError otherwise.
   *
   * @param pathAndQuery e.g. /v1/client/keys?limit=20
   * @param body a JSON value, or undefined for none
   */
  async call(method, pathAndQuery, body) {
    const bytes = body === undefined ? null : utf8(JSON.stringify(body));
    const idempotencyKey = method === "POST" ? crypto.randomUUID() : null;
    const requestId = newRequestId();
    let exchange;
    for (let attempt = 0; ; attempt++) {
      exchange = await this.exchange(method, pathAndQuery, bytes, idempotencyKey, requestId);
      const code = exchange.problem && exchange.problem.code;
      if (exchange.status === 401 && attempt === 0 && typeof code === "string" && code.startsWith("token_")) {
        this.accessToken = null; // the gateway refused the token: get a new one, once
        continue;
      }
      break;
    }
    if (exchange.status >= 300) {
      const problem = exchange.problem || {};
      throw new ApiError(
        (problem.title || "HTTP " + exchange.status) + (problem.detail ? ": " + problem.detail : ""),
        {
          code: problem.code || "http_" + exchange.status,
          status: exchange.status,
          requestId: problem.request_id || exchange.requestId,
          problem,
          exchange,
        },
      );
    }
    return exchange;
  }

  async exchange(method, pathAndQuery, bytes, idempotencyKey, requestId) {
    const authorization = "Bearer " + (await this.token());
    const targetUri = this.issuer + pathAndQuery;
    const headers = {
      Accept: "application/json",
      Authorization: authorization,
      "X-Request-Id": requestId,
    };
    let digestValue = null;
    if (bytes) {
      digestValue = await contentDigest(bytes);
      headers["Content-Type"] = "application/json";
      headers["Content-Digest"] = digestValue;
    }
    if (idempotencyKey) {
      headers["Idempotency-Key"] = idempotencyKey;
    }
    const values = requestComponents({ method, targetUri, authorization, contentDigest: digestValue, idempotencyKey });
    const input = signatureInput([...values.keys()], {
      created: Math.floor(Date.now() / 1000),
      keyid: this.keyId,
      nonce: newNonce(),
      alg: this.key.algorithm,
      tag: "scenebank",
    });
    const base = signatureBase(input, (item) => values.get(item.value.value));
    const signature = await sign(this.key, latin1(base));
    const signatureMember = ":" + base64(signature) + ":";
    const signatureInputValue = "sig1=" + serializeInnerList(input);
    headers["Signature-Input"] = signatureInputValue;
    headers["Signature"] = "sig1=" + signatureMember;

    const response = await fetch(pathAndQuery, { ...FETCH_OPTIONS, method, headers, body: bytes || undefined });
    const raw = new Uint8Array(await response.arrayBuffer());
    const text = new TextDecoder().decode(raw);
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch (e) {
      json = null;
    }
    const exchange = {
      method,
      path: pathAndQuery,
      status: response.status,
      requestId: response.headers.get("x-request-id") || requestId,
      body: json,
      problem: response.status >= 300 && json && typeof json === "object" ? json : null,
      signatureBase: base,
      signatureInput: signatureInputValue,
      idempotencyKey,
      verification: null,
    };
    try {
      exchange.verification = await this.verifyResponse(response.status, response.headers, raw, signatureMember);
    } catch (e) {
      exchange.verification = { ok: false, detail: e.message };
    }
    exchange.ok = exchange.verification.ok && response.status < 300;
    this.onExchange(exchange);
    if (!exchange.verification.ok) {
      // like the SDK: a response that does not verify is not trusted, whatever it says
      throw new ApiError("The response signature does not verify: " + exchange.verification.detail, {
        code: "response_signature_invalid",
        status: response.status,
        requestId: exchange.requestId,
        exchange,
      });
    }
    return exchange;
  }

  /**
   * The response must carry a valid Content-Digest and a signature by a gateway key over "@status",
   * "content-digest" and this request's signature (Transport.verify).
   */
  async verifyResponse(status, headers, raw, requestSignatureMember) {
    const digestResult = await checkContentDigest(headers.get("content-digest"), raw);
    if (digestResult !== "OK") {
      return { ok: false, detail: "the response's Content-Digest is " + digestResult };
    }
    const inputField = headers.get("signature-input");
    const signatureField = headers.get("signature");
    if (!inputField || !signatureField) {
      return { ok: false, detail: "the response is not signed" };
    }
    const input = parseDictionary(inputField).get("sig1");
    const signatureItem = parseDictionary(signatureField).get("sig1");
    if (!input || !input.items || !signatureItem || !signatureItem.value || signatureItem.value.type !== "bytes") {
      return { ok: false, detail: "the response has no usable signature sig1" };
    }
    const created = input.params.get("created");
    const keyid = input.params.get("keyid");
    const tag = input.params.get("tag");
    const alg = input.params.get("alg");
    if (!created || created.type !== "integer" || !keyid || keyid.type !== "string") {
      return { ok: false, detail: "the response signature lacks created or keyid" };
    }
    const covered = input.items.map(serializeItem);
    if (
      !covered.includes('"@status"') ||
      !covered.includes('"content-digest"') ||
      !covered.includes('"signature";req;key="sig1"') ||
      !tag ||
      tag.value !== "scenebank"
    ) {
      return { ok: false, detail: "the response signature does not cover status, digest and this request's signature" };
    }
    const skew = Math.abs(Math.floor(Date.now() / 1000) - created.value);
    if (skew > SIGNATURE_WINDOW_SECONDS) {
      return { ok: false, detail: "the response signature is " + skew + " s old" };
    }
    const base = signatureBase(input, (item) => {
      const name = item.value.value;
      const params = item.params;
      if (name === "@status" && params.size === 0) {
        return String(status);
      }
      if (name === "content-digest" && params.size === 0) {
        return headers.get("content-digest");
      }
      const key = params.get("key");
      if (name === "signature" && params.has("req") && key && key.value === "sig1" && params.size === 2) {
        return requestSignatureMember;
      }
      throw new Error("unexpected component " + serializeItem(item));
    });
    const gatewayKey = await this.gatewayKey(keyid.value);
    if (alg && alg.value !== gatewayKey.algorithm) {
      return { ok: false, detail: "alg " + alg.value + " does not match the key's " + gatewayKey.algorithm };
    }
    const valid = await crypto.subtle.verify(gatewayKey.verifyParams, gatewayKey.key, signatureItem.value.value, latin1(base));
    return valid
      ? { ok: true, keyId: keyid.value, detail: "verified with gateway key " + keyid.value }
      : { ok: false, detail: "the signature does not verify with gateway key " + keyid.value };
  }

  /** A gateway key from /oauth2/jwks, cached; the set is fetched again for an unknown kid. */
  async gatewayKey(kid) {
    if (!this.gatewayKeys.has(kid)) {
      const response = await fetch("/oauth2/jwks", FETCH_OPTIONS);
      if (!response.ok) {
        throw new Error("the gateway's JWKS is not available (HTTP " + response.status + ")");
      }
      const set = await response.json();
      for (const jwk of set.keys || []) {
        if (jwk.kid && !this.gatewayKeys.has(jwk.kid)) {
          try {
            this.gatewayKeys.set(jwk.kid, await importVerificationKey(jwk));
          } catch (e) {
            // keys this browser cannot use (SM2) are skipped
          }
        }
      }
    }
    const key = this.gatewayKeys.get(kid);
    if (!key) {
      throw new Error("no usable gateway key " + kid + " in /oauth2/jwks");
    }
    return key;
  }
}
