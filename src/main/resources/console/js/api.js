// The gateway's /v1 API as the console calls it. The API key lives in this tab's sessionStorage only and travels
// in the Authorization header, never in a URL or a cookie (fetch runs with credentials: 'omit').

const KEY_ITEM = 'sms-console.api-key';

export function storedKey() {
  return sessionStorage.getItem(KEY_ITEM);
}

export function rememberKey(key) {
  sessionStorage.setItem(KEY_ITEM, key);
}

export function forgetKey() {
  sessionStorage.removeItem(KEY_ITEM);
}

/** An error answer of the API (DESIGN §3): status, code, message, the field it is about, and when to retry. */
export class ApiError extends Error {
  constructor(status, error, retryAfterSeconds) {
    super(error.message || `The gateway answered ${status}.`);
    this.status = status;
    this.code = error.code || 'error';
    this.field = error.field || null;
    this.details = error;
    this.retryAt = retryMoment(error.retry_at, retryAfterSeconds);
  }
}

function retryMoment(retryAt, retryAfterSeconds) {
  if (retryAt) {
    const at = new Date(retryAt);
    if (!Number.isNaN(at.getTime())) {
      return at;
    }
  }
  const seconds = Number.parseInt(retryAfterSeconds ?? '', 10);
  return Number.isFinite(seconds) ? new Date(Date.now() + seconds * 1000) : null;
}

/** Listeners told when the key is refused (401), so the console can sign out. */
const unauthorizedListeners = new Set();
export function onUnauthorized(listener) {
  unauthorizedListeners.add(listener);
}

/**
 * Calls the API. Resolves with the parsed JSON body (null for 204); rejects with an {@link ApiError}.
 * {@code options.idempotencyKey}: sent as Idempotency-Key, so a retried click never buys or sends twice.
 */
export async function api(method, path, body, options = {}) {
  const key = storedKey();
  if (!key) {
    throw new ApiError(401, { code: 'signed_out', message: 'You are signed out. Sign in with an API key.' });
  }
  const headers = { Accept: 'application/json', Authorization: `Bearer ${key}` };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  if (options.idempotencyKey) {
    headers['Idempotency-Key'] = options.idempotencyKey;
  }
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
    });
  } catch (e) {
    throw new ApiError(0, { code: 'network_error', message: `The gateway could not be reached (${e.message}). Check your connection and try again.` });
  }
  if (response.status === 204) {
    return null;
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    json = null;
  }
  if (!response.ok) {
    const error = json && typeof json.error === 'object' && json.error !== null
      ? json.error
      : { code: 'http_' + response.status, message: `The gateway answered ${response.status} ${response.statusText}.` };
    const failure = new ApiError(response.status, error, response.headers.get('Retry-After'));
    if (response.status === 401) {
      unauthorizedListeners.forEach((listener) => listener(failure));
    }
    throw failure;
  }
  return json;
}

/** Builds a path with a query string from the defined, non-empty values of {@code params}. */
export function withQuery(path, params) {
  const query = new URLSearchParams();
  Object.entries(params).forEach(([name, value]) => {
    if (value !== undefined && value !== null && value !== '') {
      query.set(name, String(value));
    }
  });
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/**
 * Idempotency keys for one form: the same body keeps its key (a double click or a retry after a lost answer is
 * answered once), a changed body gets a new one (the gateway refuses a reused key with another body).
 */
export function idempotencyKeys() {
  let lastBody = null;
  let lastKey = null;
  return (body) => {
    const text = JSON.stringify(body);
    if (text !== lastBody) {
      lastBody = text;
      lastKey = newIdempotencyKey();
    }
    return lastKey;
  };
}

function newIdempotencyKey() {
  // getRandomValues works outside secure contexts too (randomUUID does not).
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return 'console-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function encodeSegment(value) {
  return encodeURIComponent(value);
}
