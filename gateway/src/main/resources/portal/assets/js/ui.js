// DOM helpers. Text goes in with textContent only: nothing from the network or the user is ever
// parsed as HTML (the pages also enforce Trusted Types, so innerHTML with a string would throw).

/** Creates an element: el("td", {class: "x", dataset: {id: "1"}}, "text", child, ...). */
export function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name === "class") {
      node.className = value;
    } else if (name === "dataset") {
      Object.assign(node.dataset, value);
    } else if (name === "onclick") {
      node.addEventListener("click", value);
    } else {
      node.setAttribute(name, value === true ? "" : String(value));
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) {
      continue;
    }
    if (Array.isArray(child)) {
      append(node, child);
    } else if (child instanceof Node) {
      node.appendChild(child);
    } else {
      node.appendChild(document.createTextNode(String(child)));
    }
  }
}

export function $(selector) {
  return document.querySelector(selector);
}

/** Replaces an element's children. */
export function replace(node, ...children) {
  node.replaceChildren();
  append(node, children);
}

/** Shows a status message: kind is "", "ok" or "error". */
export function status(node, message, kind = "") {
  node.textContent = message;
  node.className = "status-line" + (kind ? " " + kind : "");
}

/** A status pill for a resource status (ENABLED, SUCCEEDED, ACTIVE, FAILED, PENDING …). */
export function pill(value) {
  const text = value === undefined || value === null ? "" : String(value);
  let kind = "";
  if (/^(ENABLED|ACTIVE|SUCCEEDED|DELIVERED|UP)$/.test(text)) {
    kind = " ok";
  } else if (/^(PENDING|RETRYING|SCHEDULED)$/.test(text)) {
    kind = " pending";
  } else if (/^(FAILED|DISABLED|REVOKED|EXPIRED|DOWN)$/.test(text)) {
    kind = " bad";
  }
  return el("span", { class: "pill" + kind }, text);
}

/** Fills a table body with rows, or one "empty" row. */
export function fillTable(tbody, rows, columns, emptyText) {
  tbody.replaceChildren();
  if (rows.length === 0) {
    tbody.appendChild(el("tr", {}, el("td", { colspan: columns, class: "empty" }, emptyText)));
    return;
  }
  for (const row of rows) {
    tbody.appendChild(row);
  }
}

/** A readable message for an error (ApiError or any other). */
export function describeError(error) {
  if (!error) {
    return "Unknown error";
  }
  const parts = [error.message || String(error)];
  if (error.code && !String(error.message).includes(error.code)) {
    parts.push("code " + error.code);
  }
  if (error.problem && Array.isArray(error.problem.errors)) {
    for (const item of error.problem.errors) {
      parts.push((item.pointer || "") + " " + (item.detail || ""));
    }
  }
  if (error.requestId) {
    parts.push("request " + error.requestId);
  }
  return parts.join(" · ");
}
