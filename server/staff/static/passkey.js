// The staff sign-in's last step: make (first time) or use the passkey, then go to the console.
import { createPasskey, getPasskey } from '/js/passkeys.js';
import { postJSON as post } from '/web/post-json.js';

const button = document.getElementById('passkey');
const problem = document.getElementById('passkey-error');

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
// It comes disabled: a click before this script runs would do nothing.
button.disabled = false;
