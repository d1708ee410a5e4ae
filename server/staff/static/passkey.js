// The staff sign-in's last step: make (first time) or use the passkey, then go to the console.
import { createPasskey, getPasskey } from '/js/passkeys.js';

const button = document.getElementById('passkey');
const problem = document.getElementById('passkey-error');
const csrf = document.querySelector('meta[name="csrf-token"]').content;

async function post(url, body) {
  const response = await fetch(url, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', 'X-CSRFToken': csrf },
    body: JSON.stringify(body || {}),
  });
  const answer = await response.json();
  if (!response.ok) throw new Error(answer.message || response.statusText);
  return answer;
}

async function ceremony() {
  problem.hidden = true;
  button.disabled = true;
  try {
    const { mode, options, state } = await post(button.dataset.options);
    const credential = mode === 'register' ? await createPasskey(options) : await getPasskey(options);
    const { redirect } = await post(button.dataset.verify, { state, credential });
    location.assign(redirect);
  } catch (error) {
    problem.textContent = error.name === 'NotAllowedError' ? problem.dataset.cancelled : error.message;
    problem.hidden = false;
    button.disabled = false;
    button.focus();
  }
}

button.addEventListener('click', ceremony);
