// The public keys that sign cards (GET /api/card/keys), kept in IndexedDB for a pharmacy with no
// network. Not in the Cache API (/api/ answers are no-store), and not in store.js's per-person
// database either: these keys are public, belong to no one, and must survive a sign-out.
import { api, OfflineError } from './api.js';

const DATABASE = 'darman-card-keys';
const STORE = 'jwks';
const KEY = 'current';

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
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => reject(transaction.error);
    });
  } finally {
    db.close();
  }
}

/** The kept keys `{jwks, at}`, or undefined. */
export function keptKeys() {
  return run('readonly', (store) => store.get(KEY));
}

/** Fetch the keys and keep them; offline (or if the server fails), the kept ones.
 *  Returns `{jwks, at, fresh}`, or `{fresh: false}` when there are none. */
export async function cardKeys() {
  try {
    const jwks = await api.get('/api/card/keys');
    const kept = { jwks, at: new Date().toISOString() };
    await run('readwrite', (store) => store.put(kept, KEY));
    return { ...kept, fresh: true };
  } catch (error) {
    if (!(error instanceof OfflineError)) console.warn('card keys', error);
    return { ...(await keptKeys()), fresh: false, offline: error instanceof OfflineError };
  }
}
