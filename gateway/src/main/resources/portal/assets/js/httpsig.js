// Scenebank request signing in the browser, with WebCrypto only. It mirrors the Java SDK
// (io.scenebank.sdk.internal.httpsig and internal/client/TokenSource): RFC 9421 signature base and
// Signature-Input, RFC 9530 Content-Digest, RFC 8941 structured fields, RFC 7638 thumbprints and
// the private_key_jwt client assertion (RFC 7523). Private keys are imported as non-extractable
// CryptoKeys and never leave the page.

// ------------------------------------------------------------------ bytes

const encoder = new TextEncoder();

/** UTF-8 bytes of a string. */
export function utf8(text) {
  return encoder.encode(text);
}

/** The bytes of a signature base: one byte per character, as the SDK's ISO-8859-1 encoding. */
export function latin1(text) {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff) {
      throw new Error("the signature base holds a character outside ISO-8859-1 (U+" + c.toString(16) + ")");
    }
    bytes[i] = c;
  }
  return bytes;
}

export function base64(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i++) {
    binary += String.fromCharCode(bytes[i]);
  }
  return btoa(binary);
}

export function base64url(bytes) {
  return base64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function fromBase64(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) {
    bytes[i] = binary.charCodeAt(i);
  }
  return bytes;
}

export function fromBase64url(text) {
  const padded = text.replace(/-/g, "+").replace(/_/g, "/");
  return fromBase64(padded + "===".slice((padded.length + 3) % 4));
}

function equalBytes(a, b) {
  if (a.length !== b.length) {
    return false;
  }
  let diff = 0;
  for (let i = 0; i < a.length; i++) {
    diff |= a[i] ^ b[i];
  }
  return diff === 0;
}

export async function digest(algorithm, bytes) {
  return new Uint8Array(await crypto.subtle.digest(algorithm, bytes));
}

/** A fresh nonce: 16 random bytes as 22 base64url characters (HttpSignatures.newNonce). */
export function newNonce() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return base64url(bytes);
}

// ------------------------------------------------------------------ structured fields (RFC 8941)

/** A bare item: {type: "integer"|"decimal"|"string"|"token"|"bytes"|"boolean", value}. */
export const sf = {
  string: (value) => ({ type: "string", value }),
  integer: (value) => ({ type: "integer", value }),
  token: (value) => ({ type: "token", value }),
  bytes: (value) => ({ type: "bytes", value }),
  boolean: (value) => ({ type: "boolean", value }),
};

class SfParser {
  constructor(text) {
    this.s = text;
    this.i = 0;
  }

  fail(what) {
    throw new Error("malformed structured field (" + what + " at " + this.i + ")");
  }

  eof() {
    return this.i >= this.s.length;
  }

  peek() {
    return this.s[this.i];
  }

  skipSP() {
    while (this.s[this.i] === " ") {
      this.i++;
    }
  }

  skipOWS() {
    while (this.s[this.i] === " " || this.s[this.i] === "\t") {
      this.i++;
    }
  }

  key() {
    if (!/[a-z*]/.test(this.peek() || "")) {
      this.fail("key");
    }
    const start = this.i;
    while (!this.eof() && /[a-z0-9_\-.*]/.test(this.peek())) {
      this.i++;
    }
    return this.s.slice(start, this.i);
  }

  bareItem() {
    const c = this.peek();
    if (c === "-" || (c >= "0" && c <= "9")) {
      return this.number();
    }
    if (c === '"') {
      return this.string();
    }
    if (c === ":") {
      return this.byteSequence();
    }
    if (c === "?") {
      return this.booleanItem();
    }
    if (c !== undefined && /[A-Za-z*]/.test(c)) {
      return this.tokenItem();
    }
    return this.fail("item");
  }

  number() {
    const match = /^-?\d{1,15}(\.\d{1,3})?/.exec(this.s.slice(this.i));
    if (!match) {
      this.fail("number");
    }
    this.i += match[0].length;
    return match[1] ? { type: "decimal", value: Number(match[0]) } : sf.integer(Number(match[0]));
  }

  string() {
    this.i++;
    let value = "";
    while (!this.eof()) {
      const c = this.s[this.i++];
      if (c === "\\") {
        const next = this.s[this.i++];
        if (next !== '"' && next !== "\\") {
          this.fail("escape");
        }
        value += next;
      } else if (c === '"') {
        return sf.string(value);
      } else if (c < " " || c > "~") {
        this.fail("string character");
      } else {
        value += c;
      }
    }
    return this.fail("unterminated string");
  }

  byteSequence() {
    this.i++;
    const end = this.s.indexOf(":", this.i);
    if (end < 0) {
      this.fail("unterminated byte sequence");
    }
    const text = this.s.slice(this.i, end);
    if (!/^[A-Za-z0-9+/=]*$/.test(text)) {
      this.fail("byte sequence");
    }
    this.i = end + 1;
    return sf.bytes(fromBase64(text));
  }

  booleanItem() {
    this.i++;
    const c = this.s[this.i++];
    if (c !== "0" && c !== "1") {
      this.fail("boolean");
    }
    return sf.boolean(c === "1");
  }

  tokenItem() {
    const start = this.i;
    this.i++;
    while (!this.eof() && /[!#$%&'*+\-.^_`|~0-9A-Za-z:/]/.test(this.peek())) {
      this.i++;
    }
    return sf.token(this.s.slice(start, this.i));
  }

  parameters() {
    const params = new Map();
    while (this.peek() === ";") {
      this.i++;
      this.skipSP();
      const key = this.key();
      let value = sf.boolean(true);
      if (this.peek() === "=") {
        this.i++;
        value = this.bareItem();
      }
      params.set(key, value);
    }
    return params;
  }

  item() {
    const value = this.bareItem();
    return { value, params: this.parameters() };
  }

  itemOrInnerList() {
    if (this.peek() !== "(") {
      return this.item();
    }
    this.i++;
    const items = [];
    for (;;) {
      this.skipSP();
      if (this.peek() === ")") {
        this.i++;
        return { items, params: this.parameters() };
      }
      items.push(this.item());
      if (this.peek() !== " " && this.peek() !== ")") {
        this.fail("inner list");
      }
    }
  }
}

/** Parses a Dictionary field value: Map of key → item {value, params} or inner list {items, params}. */
export function parseDictionary(text) {
  const parser = new SfParser(String(text).replace(/^[ \t]+|[ \t]+$/g, ""));
  const dictionary = new Map();
  while (!parser.eof()) {
    const key = parser.key();
    if (parser.peek() === "=") {
      parser.i++;
      dictionary.set(key, parser.itemOrInnerList());
    } else {
      dictionary.set(key, { value: sf.boolean(true), params: parser.parameters() });
    }
    parser.skipOWS();
    if (parser.eof()) {
      break;
    }
    if (parser.peek() !== ",") {
      parser.fail("dictionary");
    }
    parser.i++;
    parser.skipOWS();
    if (parser.eof()) {
      parser.fail("trailing comma");
    }
  }
  return dictionary;
}

/** An sf-string: printable ASCII only, with \ and " escaped. */
export function serializeString(text) {
  if (!/^[\x20-\x7e]*$/.test(text)) {
    throw new Error("not a structured-field string (printable ASCII only): " + JSON.stringify(text));
  }
  return '"' + text.replace(/\\/g, "\\\\").replace(/"/g, '\\"') + '"';
}

export function serializeBareItem(item) {
  switch (item.type) {
    case "integer":
      return String(Math.trunc(item.value));
    case "decimal":
      return String(item.value);
    case "string":
      return serializeString(item.value);
    case "token":
      return item.value;
    case "bytes":
      return ":" + base64(item.value) + ":";
    case "boolean":
      return item.value ? "?1" : "?0";
    default:
      throw new Error("unknown structured-field type " + item.type);
  }
}

export function serializeParameters(params) {
  let out = "";
  for (const [key, value] of params) {
    out += ";" + key;
    if (!(value.type === "boolean" && value.value === true)) {
      out += "=" + serializeBareItem(value);
    }
  }
  return out;
}

export function serializeItem(item) {
  return serializeBareItem(item.value) + serializeParameters(item.params);
}

export function serializeInnerList(list) {
  return "(" + list.items.map(serializeItem).join(" ") + ")" + serializeParameters(list.params);
}

// ------------------------------------------------------------------ Content-Digest (RFC 9530)

/** Content-Digest field value for a body, e.g. sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=: */
export async function contentDigest(bytes, algorithm = "sha-256") {
  const name = algorithm === "sha-512" ? "SHA-512" : "SHA-256";
  return algorithm + "=:" + base64(await digest(name, bytes)) + ":";
}

/** Checks a Content-Digest field against a body: "OK", "MISSING", "MALFORMED", "MISMATCH" or "UNSUPPORTED_ALGORITHM". */
export async function checkContentDigest(fieldValue, bytes) {
  if (!fieldValue) {
    return "MISSING";
  }
  let digests;
  try {
    digests = parseDictionary(fieldValue);
  } catch (e) {
    return "MALFORMED";
  }
  let supported = false;
  for (const [algorithm, member] of digests) {
    if (algorithm !== "sha-256" && algorithm !== "sha-512") {
      continue;
    }
    if (!member.value || member.value.type !== "bytes") {
      return "MALFORMED";
    }
    supported = true;
    const actual = await digest(algorithm === "sha-256" ? "SHA-256" : "SHA-512", bytes);
    if (!equalBytes(actual, member.value.value)) {
      return "MISMATCH";
    }
  }
  return supported ? "OK" : "UNSUPPORTED_ALGORITHM";
}

// ------------------------------------------------------------------ signature base (RFC 9421 §2.5)

/**
 * The signature input of one signature: covered components (plain names, no parameters) and
 * parameters in the SDK's order: created, keyid, nonce, alg, tag.
 */
export function signatureInput(components, { created, keyid, nonce, alg, tag }) {
  const params = new Map();
  params.set("created", sf.integer(created));
  if (keyid !== undefined && keyid !== null && keyid !== "") {
    params.set("keyid", sf.string(keyid));
  }
  if (nonce !== undefined && nonce !== null && nonce !== "") {
    params.set("nonce", sf.string(nonce));
  }
  if (alg) {
    params.set("alg", sf.string(alg));
  }
  if (tag) {
    params.set("tag", sf.string(tag));
  }
  return {
    items: components.map((name) => ({ value: sf.string(name), params: new Map() })),
    params,
  };
}

function checkComponentValue(identifier, value) {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f || c > 0xff) {
      throw new Error("the value of " + identifier + " contains a forbidden character (U+" + c.toString(16).padStart(4, "0") + ")");
    }
  }
}

/**
 * The signature base: one line per covered component, then "@signature-params".
 *
 * @param input a signature input (items + params)
 * @param valueOf function from a covered item to its value (a string)
 */
export function signatureBase(input, valueOf) {
  const lines = [];
  for (const item of input.items) {
    const identifier = serializeItem(item);
    const value = valueOf(item);
    if (value === undefined || value === null) {
      throw new Error("the message has no component " + identifier);
    }
    const canonical = String(value).replace(/^[ \t]+|[ \t]+$/g, "");
    checkComponentValue(identifier, canonical);
    lines.push(identifier + ": " + canonical);
  }
  lines.push('"@signature-params": ' + serializeInnerList(input));
  return lines.join("\n");
}

/**
 * The components and values of a Scenebank request, as the contract and the SDK require:
 * "@method" "@target-uri" "authorization", then "content-digest" with a body, then
 * "idempotency-key" when present.
 */
export function requestComponents({ method, targetUri, authorization, contentDigest: digestValue, idempotencyKey }) {
  const values = new Map([
    ["@method", method],
    ["@target-uri", targetUri],
    ["authorization", authorization],
  ]);
  if (digestValue) {
    values.set("content-digest", digestValue);
  }
  if (idempotencyKey) {
    values.set("idempotency-key", idempotencyKey);
  }
  return values;
}

// ------------------------------------------------------------------ keys

/** The algorithms a browser can sign with (no SM2 in WebCrypto). */
export const ALGORITHMS = {
  ed25519: {
    jws: "EdDSA",
    label: "Ed25519",
    importParams: { name: "Ed25519" },
    signParams: { name: "Ed25519" },
    generateParams: { name: "Ed25519" },
  },
  "ecdsa-p256-sha256": {
    jws: "ES256",
    label: "ECDSA P-256",
    importParams: { name: "ECDSA", namedCurve: "P-256" },
    signParams: { name: "ECDSA", hash: "SHA-256" },
    generateParams: { name: "ECDSA", namedCurve: "P-256" },
  },
  "rsa-pss-sha512": {
    jws: "PS512",
    label: "RSA-PSS SHA-512",
    importParams: { name: "RSA-PSS", hash: "SHA-512" },
    signParams: { name: "RSA-PSS", saltLength: 64 },
    generateParams: {
      name: "RSA-PSS",
      hash: "SHA-512",
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
    },
  },
};

const OID = {
  ed25519: "2b6570",
  ecPublicKey: "2a8648ce3d0201",
  p256: "2a8648ce3d030107",
  sm2: "2a811ccf5501822d",
  rsaEncryption: "2a864886f70d010101",
  rsassaPss: "2a864886f70d01010a",
  ed448: "2b6571",
};

function hex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function readTlv(bytes, offset, expectedTag) {
  if (offset + 2 > bytes.length) {
    throw new Error("the key is truncated");
  }
  const tag = bytes[offset];
  if (expectedTag !== undefined && tag !== expectedTag) {
    throw new Error("the key is not PKCS#8 (unexpected DER tag)");
  }
  let length = bytes[offset + 1];
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count < 1 || count > 3) {
      throw new Error("the key is not PKCS#8 (bad DER length)");
    }
    length = 0;
    for (let i = 0; i < count; i++) {
      length = length * 256 + bytes[start++];
    }
  }
  if (start + length > bytes.length) {
    throw new Error("the key is truncated");
  }
  return { tag, start, end: start + length };
}

/** Reads one PEM block: {label, der}. */
export function parsePem(text) {
  const match = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/.exec(String(text || ""));
  if (!match) {
    throw new Error("Paste a PEM private key (-----BEGIN PRIVATE KEY----- … -----END PRIVATE KEY-----).");
  }
  const body = match[2].replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/=]+$/.test(body)) {
    throw new Error("The PEM body is not base64.");
  }
  return { label: match[1], der: fromBase64(body) };
}

/** The Scenebank algorithm of a PKCS#8 private key, from its AlgorithmIdentifier. */
export function identifyPkcs8(der) {
  const outer = readTlv(der, 0, 0x30);
  const version = readTlv(der, outer.start, 0x02);
  const algorithmId = readTlv(der, version.end, 0x30);
  const oid = readTlv(der, algorithmId.start, 0x06);
  const oidHex = hex(der.subarray(oid.start, oid.end));
  switch (oidHex) {
    case OID.ed25519:
      return "ed25519";
    case OID.ecPublicKey: {
      if (oid.end >= algorithmId.end) {
        throw new Error("The EC key names no curve.");
      }
      const curve = readTlv(der, oid.end);
      const curveHex = hex(der.subarray(curve.start, curve.end));
      if (curve.tag === 0x06 && curveHex === OID.p256) {
        return "ecdsa-p256-sha256";
      }
      if (curve.tag === 0x06 && curveHex === OID.sm2) {
        throw new Error("SM2 keys cannot sign in a browser (WebCrypto has no SM2): use the Java SDK for sm2-sm3.");
      }
      throw new Error("Only P-256 EC keys are supported.");
    }
    case OID.rsaEncryption:
      return "rsa-pss-sha512";
    case OID.rsassaPss:
      throw new Error("WebCrypto cannot import id-RSASSA-PSS keys: export the RSA key as a plain rsaEncryption PKCS#8 key.");
    case OID.ed448:
      throw new Error("Ed448 is not supported: use Ed25519.");
    default:
      throw new Error("Unsupported key type (OID " + oidHex + ").");
  }
}

/** The RFC 7638 thumbprint (base64url SHA-256 of the required members, in order). */
export async function thumbprint(jwk) {
  let canonical;
  if (jwk.kty === "OKP") {
    canonical = { crv: jwk.crv, kty: "OKP", x: jwk.x };
  } else if (jwk.kty === "EC") {
    canonical = { crv: jwk.crv, kty: "EC", x: jwk.x, y: jwk.y };
  } else if (jwk.kty === "RSA") {
    canonical = { e: jwk.e, kty: "RSA", n: jwk.n };
  } else {
    throw new Error("unknown kty " + jwk.kty);
  }
  return base64url(await digest("SHA-256", utf8(JSON.stringify(canonical))));
}

function publicPart(algorithm, jwk) {
  if (algorithm === "ed25519") {
    return { kty: "OKP", crv: "Ed25519", x: jwk.x };
  }
  if (algorithm === "ecdsa-p256-sha256") {
    return { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y };
  }
  return { kty: "RSA", n: jwk.n, e: jwk.e };
}

/**
 * Imports a PKCS#8 PEM private key for signing: {algorithm, key (non-extractable), publicJwk,
 * thumbprint}. The key is read once as extractable to learn its public half, then imported again
 * as non-extractable; only the latter is kept.
 */
export async function loadPrivateKey(pemText) {
  const { label, der } = parsePem(pemText);
  if (label === "ENCRYPTED PRIVATE KEY") {
    throw new Error("The key is encrypted: decrypt it first (openssl pkcs8 -in key.pem -nocrypt -topk8).");
  }
  if (label === "EC PRIVATE KEY" || label === "RSA PRIVATE KEY" || label === "SM2 PRIVATE KEY") {
    throw new Error("This is a " + label + " (not PKCS#8). Convert it: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pk8.pem");
  }
  if (label !== "PRIVATE KEY") {
    throw new Error("Expected a PKCS#8 private key (-----BEGIN PRIVATE KEY-----), not " + label + ".");
  }
  const algorithm = identifyPkcs8(der);
  const spec = ALGORITHMS[algorithm];
  let jwk;
  try {
    const readable = await crypto.subtle.importKey("pkcs8", der, spec.importParams, true, ["sign"]);
    jwk = await crypto.subtle.exportKey("jwk", readable);
  } catch (e) {
    throw new Error("This browser cannot read the " + spec.label + " key: " + (e && e.message ? e.message : e));
  }
  const publicJwk = publicPart(algorithm, jwk);
  if (algorithm === "rsa-pss-sha512" && fromBase64url(publicJwk.n).length * 8 < 2048) {
    throw new Error("RSA keys need at least 2048 bits.");
  }
  jwk = null;
  const key = await crypto.subtle.importKey("pkcs8", der, spec.importParams, false, ["sign"]);
  der.fill(0);
  return { algorithm, key, publicJwk, thumbprint: await thumbprint(publicJwk) };
}

/**
 * Generates a key pair in this browser: {algorithm, privateKeyPem, publicJwk, thumbprint}. The
 * private key exists only in this page until the developer saves it.
 */
export async function generateKey(algorithm) {
  const spec = ALGORITHMS[algorithm];
  if (!spec) {
    throw new Error("A browser cannot generate " + algorithm + " keys; choose Ed25519, ECDSA P-256 or RSA-PSS.");
  }
  const pair = await crypto.subtle.generateKey(spec.generateParams, true, ["sign", "verify"]);
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey));
  const publicJwk = publicPart(algorithm, await crypto.subtle.exportKey("jwk", pair.publicKey));
  const lines = base64(pkcs8).match(/.{1,64}/g).join("\n");
  pkcs8.fill(0);
  return {
    algorithm,
    privateKeyPem: "-----BEGIN PRIVATE KEY-----\n" + lines + "\n-----END PRIVATE KEY-----\n",
    publicJwk,
    thumbprint: await thumbprint(publicJwk),
  };
}

/** Signs bytes with a loaded key: the algorithm's wire encoding (Ed25519 64 bytes, ECDSA r‖s, PSS). */
export async function sign(loadedKey, bytes) {
  return new Uint8Array(await crypto.subtle.sign(ALGORITHMS[loadedKey.algorithm].signParams, loadedKey.key, bytes));
}

/** A compact JWS over JSON claims, header {alg, kid, typ} as the SDK's TokenSource writes it. */
export async function signJws(loadedKey, keyId, claims) {
  const header = { alg: ALGORITHMS[loadedKey.algorithm].jws, kid: keyId, typ: "JWT" };
  const signingInput = base64url(utf8(JSON.stringify(header))) + "." + base64url(utf8(JSON.stringify(claims)));
  const signature = await sign(loadedKey, latin1(signingInput));
  return signingInput + "." + base64url(signature);
}

/** Imports a gateway's public JWK for verifying: Ed25519 or P-256 (the browser has no SM2). */
export async function importVerificationKey(jwk) {
  if (jwk.kty === "OKP" && jwk.crv === "Ed25519") {
    const key = await crypto.subtle.importKey("jwk", { kty: "OKP", crv: "Ed25519", x: jwk.x }, { name: "Ed25519" }, false, ["verify"]);
    return { algorithm: "ed25519", key, verifyParams: { name: "Ed25519" } };
  }
  if (jwk.kty === "EC" && jwk.crv === "P-256") {
    const key = await crypto.subtle.importKey(
      "jwk",
      { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y },
      { name: "ECDSA", namedCurve: "P-256" },
      false,
      ["verify"],
    );
    return { algorithm: "ecdsa-p256-sha256", key, verifyParams: { name: "ECDSA", hash: "SHA-256" } };
  }
  throw new Error("this browser cannot verify " + jwk.kty + (jwk.crv ? " " + jwk.crv : "") + " signatures");
}
