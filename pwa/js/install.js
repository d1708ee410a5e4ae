// Installing to the home screen: the browser's prompt where it offers one, a hint on iOS Safari.
import { h } from './dom.js';
import { t } from './i18n.js';

let deferred = null;
window.addEventListener('beforeinstallprompt', (event) => {
  event.preventDefault();
  deferred = event;
  document.querySelectorAll('.install').forEach((area) => area.replaceChildren(installButton()));
});

const standalone = () => window.matchMedia('(display-mode: standalone)').matches || navigator.standalone;
const iosSafari = () => /iPhone|iPad|iPod/.test(navigator.userAgent) && !/CriOS|FxiOS/.test(navigator.userAgent);

function installButton() {
  return h('button', {
    class: 'secondary', type: 'button',
    onclick: async () => {
      deferred.prompt();
      await deferred.userChoice;
      deferred = null;
      document.querySelectorAll('.install').forEach((area) => area.replaceChildren());
    },
  }, t('Install on the home screen'));
}

/** Where the install button or hint goes. */
export function installArea() {
  const area = h('div', { class: 'install' });
  if (standalone()) return area;
  if (deferred) area.append(installButton());
  else if (iosSafari()) area.append(h('p', { class: 'hint' }, t('To install: tap Share, then "Add to Home Screen".')));
  return area;
}
