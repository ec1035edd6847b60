// The personal link's token and the calls to the API made with it.
// The link is `<ROTA_PUBLIC_URL>/me#<token>`: the fragment never reaches a server, so we keep the
// token in this browser and take it out of the address bar (no one copies it from a screenshot).

const TOKEN_KEY = 'rota.token';
const TOKEN_RE = /^[A-Za-z0-9_\-.~+/=]{16,200}$/;

/** The token from the address (kept for next time) or from an earlier visit; null when none. */
export function takeToken() {
  const fragment = decodeURIComponent(location.hash.slice(1));
  if (TOKEN_RE.test(fragment)) {
    localStorage.setItem(TOKEN_KEY, fragment);
    history.replaceState(null, '', location.pathname + location.search);
  }
  return localStorage.getItem(TOKEN_KEY);
}

/** The token kept from an earlier visit to the personal link, without reading the address (other pages use the fragment for other things). */
export function storedToken() {
  return localStorage.getItem(TOKEN_KEY);
}

export function forgetToken() {
  localStorage.removeItem(TOKEN_KEY);
}

/** A refusal or failure, carrying the API's reason code (or NETWORK). */
class ApiError extends Error {
  constructor(status, code, message, details = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** The answer to a fetch under way: the response when it succeeded, else an ApiError. */
async function settle(pending) {
  let res;
  try {
    res = await pending;
  } catch {
    throw new ApiError(0, 'NETWORK', 'network');
  }
  if (res.ok) return res;
  let error = { code: 'OTHER', message: res.statusText };
  try {
    error = (await res.json()).error ?? error;
  } catch {
    // Not JSON (a proxy's error page): keep the generic reason.
  }
  const { code, message, ...details } = error;
  throw new ApiError(res.status, code, message, details);
}

function request(method, path, { body, accept } = {}) {
  const headers = { authorization: `Bearer ${localStorage.getItem(TOKEN_KEY) ?? ''}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (accept) headers.accept = accept;
  return settle(fetch(`/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' }));
}

/** Calls the API and answers the parsed JSON; throws ApiError when refused. */
export async function api(method, path, body) {
  const res = await request(method, path, { body });
  return res.json();
}

/**
 * `api('GET', path)`, taking over the call the page's inline script began for that path
 * (`window.rotaBegun`, once), so a page's first call need not wait for its modules.
 */
export async function apiBegun(path) {
  const begun = window.rotaBegun;
  if (begun?.path !== path) return api('GET', path);
  delete window.rotaBegun;
  return (await settle(begun.response)).json();
}

/** Fetches a file from the API (CSV, XLSX, SVG) with the token. */
export async function apiBlob(method, path, { accept, body } = {}) {
  const res = await request(method, path, { accept, body });
  return res.blob();
}

/** The same-origin path of a feed link, so the page reads it however the service is reached. */
export function feedPath(feedUrl) {
  return new URL(feedUrl).pathname;
}
