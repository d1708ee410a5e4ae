// The JSON API: cookies for the session, the CSRF token on every write, errors as exceptions.

let csrfToken = null;

export class ApiError extends Error {
  constructor(status, body) {
    super(body.message || `HTTP ${status}`);
    this.status = status;
    this.code = body.error || 'error';
    this.body = body;
  }
}

/** Thrown when the network cannot be reached: the app then works from what it kept. */
export class OfflineError extends Error {}

let signedOut = () => {};

/** Who is told when the server answers that this device is not signed in (the app). */
export function whenSignedOut(handler) {
  signedOut = handler;
}

async function token() {
  if (!csrfToken) {
    const answer = await request('GET', '/api/auth/csrf');
    csrfToken = answer.csrf_token;
  }
  return csrfToken;
}

/** Forget the CSRF token (it belongs to the session, which signing out ends). */
export function forgetToken() {
  csrfToken = null;
}

async function request(method, url, body) {
  const headers = { Accept: 'application/json', 'Accept-Language': document.documentElement.lang };
  const form = body instanceof FormData; // a file: the browser writes the multipart's own type
  if (method !== 'GET') headers['X-CSRFToken'] = await token();
  if (body !== undefined && !form) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(url, {
      method, headers, credentials: 'same-origin', cache: 'no-store',
      body: body === undefined || form ? body : JSON.stringify(body),
    });
  } catch (error) {
    throw new OfflineError(error.message);
  }
  // A sign-in rotates the CSRF token and hands the new one over in this header.
  const rotated = response.headers.get('X-CSRFToken');
  if (rotated) csrfToken = rotated;
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    if (answer.error === 'csrf_failed') forgetToken();
    if (response.status === 401 && ['session_ended', 'sign_in_required'].includes(answer.error)) signedOut(answer);
    throw new ApiError(response.status, answer);
  }
  return answer;
}

export const api = {
  get: (url) => request('GET', url),
  post: (url, body = {}) => request('POST', url, body),
  /** A multipart form (FormData), e.g. with a photo or a PDF. */
  postForm: (url, data) => request('POST', url, data),
  put: (url, body = {}) => request('PUT', url, body),
  delete: (url) => request('DELETE', url),
};
