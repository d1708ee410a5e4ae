// What the app keeps for offline use: the last answers, per person, in IndexedDB.
// Never in the Cache API (health data); wiped when the person signs out.

const DATABASE = 'darman';
const STORE = 'answers';

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run(mode, action) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const transaction = db.transaction(STORE, mode);
      const request = action(transaction.objectStore(STORE));
      transaction.oncomplete = () => resolve(request && request.result);
      transaction.onerror = () => reject(transaction.error);
    });
  } finally {
    db.close();
  }
}

/** Keep an answer for a person (`kind`: me, family, profile) with the time it was fetched. */
export function keep(person, kind, data) {
  return run('readwrite', (store) => store.put({ data, at: new Date().toISOString() }, `${person}:${kind}`));
}

/** The kept answer and its time, or undefined. */
export function recall(person, kind) {
  return run('readonly', (store) => store.get(`${person}:${kind}`));
}

/** Remember who is signed in on this device, so the app can open offline. */
export function keepSignedIn(profile) {
  return run('readwrite', (store) => store.put({ data: profile, at: new Date().toISOString() }, 'signed-in'));
}

/** Who was signed in last, or undefined. */
export async function signedIn() {
  const kept = await run('readonly', (store) => store.get('signed-in'));
  return kept && kept.data;
}

/** Forget everything kept on this device. */
export function wipe() {
  return run('readwrite', (store) => store.clear());
}
