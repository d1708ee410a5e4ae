// The web for centres: copy buttons and passkeys (the shell focuses the first error or the answer).
import { createPasskey, getPasskey, passkeysSupported } from '/js/passkeys.js';
import { postJSON } from '/web/post-json.js';

function copyButtons() {
  for (const button of document.querySelectorAll('button.copy')) {
    button.addEventListener('click', async () => {
      await navigator.clipboard.writeText(button.dataset.copy);
      const before = button.textContent;
      button.textContent = button.dataset.copied;
      setTimeout(() => { button.textContent = before; }, 2000);
    });
  }
}

function passkeyPage() {
  const section = document.getElementById('passkey');
  if (!section) return;
  const error = document.getElementById('passkey-error');
  const show = (text) => { error.textContent = text; error.hidden = false; };
  const buttons = [document.getElementById('passkey-start'), document.getElementById('passkey-new')]
    .filter(Boolean);
  if (!passkeysSupported()) {
    show(error.dataset.unsupported);
    for (const button of buttons) button.disabled = true;
    return;
  }
  // One ceremony: use a passkey (or make the first), or make one on this device.
  const ceremony = async (newDevice) => {
    const { mode, options, state } = await postJSON(section.dataset.options, { new_device: newDevice });
    const credential = mode === 'register' ? await createPasskey(options) : await getPasskey(options);
    await postJSON(section.dataset.verify, { state, credential });
  };
  // The buttons come disabled: a click before this script runs would do nothing.
  for (const button of buttons) {
    button.disabled = false;
    button.addEventListener('click', async () => {
      error.hidden = true;
      button.disabled = true;
      try {
        const newDevice = button.id === 'passkey-new';
        // Another passkey needs one of yours first (here, or from your phone).
        if (newDevice && section.dataset.confirmed !== 'true') await ceremony(false);
        await ceremony(newDevice);
        window.location.assign(section.dataset.next);
      } catch (failure) {
        show(failure instanceof DOMException ? error.dataset.failed : failure.message);
        button.disabled = false;
      }
    });
  }
}

copyButtons();
passkeyPage();
