// The one way both webs post JSON to their own server: the session's cookie, the page's CSRF
// token (its <meta name="csrf-token">), and a refusal's localized message as the Error thrown.

/** The page's CSRF token. */
export function csrfToken() {
  return document.querySelector('meta[name="csrf-token"]').content;
}

/** POST `body` as JSON to `url`; resolve to the JSON answer, or throw its message. */
export async function postJSON(url, body) {
  const response = await fetch(url, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRFToken': csrfToken() },
    body: JSON.stringify(body || {}),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.message || response.statusText);
  return answer;
}
