// Push notices on this device: turned on only when the person taps (the browser then asks),
// turned off, re-sent to the server after every sign-in and forgotten there before signing out.
// The browser's subscription stays with the device; the server ties it to whoever is signed in.
import { api } from './api.js';

/** Whether this browser can receive push notices at all. */
export function pushSupported() {
  return 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

/** The permission: 'granted', 'denied' or 'default' (not asked yet); 'unsupported'. */
export function pushPermission() {
  return pushSupported() ? Notification.permission : 'unsupported';
}

/** The browser's push subscription of this site, or null (never waits for a worker). */
export async function currentSubscription() {
  if (!pushSupported()) return null;
  const registration = await navigator.serviceWorker.getRegistration('/');
  return registration ? registration.pushManager.getSubscription() : null;
}

function keyBytes(base64url) {
  const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (base64url.length % 4)) % 4);
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

function sameKey(subscription, publicKey) {
  const key = subscription.options && subscription.options.applicationServerKey;
  if (!key) return true; // the browser does not say: keep it
  const wanted = keyBytes(publicKey);
  const have = new Uint8Array(key);
  return have.length === wanted.length && have.every((byte, i) => byte === wanted[i]);
}

/** Thrown when the person (or the browser) says no to notices. */
export class PushRefused extends Error {}

/** Ask for permission (call only from a tap), subscribe with our key, tell the server. */
export async function turnOn() {
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') throw new PushRefused(permission);
  const registration = await navigator.serviceWorker.ready;
  const { public_key: publicKey } = await api.get('/api/push/key');
  let subscription = await registration.pushManager.getSubscription();
  if (subscription && !sameKey(subscription, publicKey)) {
    await subscription.unsubscribe(); // made for another key: the server could not reach it
    subscription = null;
  }
  if (!subscription) {
    subscription = await registration.pushManager.subscribe({
      userVisibleOnly: true, applicationServerKey: keyBytes(publicKey),
    });
  }
  await api.post('/api/push/subscriptions', subscription.toJSON());
  return subscription;
}

/** Forget this device's subscription on the server (DELETE with its endpoint). */
async function forgetOnServer(endpoint) {
  // api.delete sends no body; this one needs {endpoint}, with the CSRF header like every write.
  const { csrf_token: csrf } = await api.get('/api/auth/csrf');
  const response = await fetch('/api/push/subscriptions', {
    method: 'DELETE', credentials: 'same-origin', cache: 'no-store',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRFToken': csrf },
    body: JSON.stringify({ endpoint }),
  });
  if (!response.ok && response.status !== 401) throw new Error(`HTTP ${response.status}`);
}

/** Turn notices off on this device: the server forgets it, the browser unsubscribes. */
export async function turnOff() {
  const subscription = await currentSubscription();
  if (!subscription) return;
  await forgetOnServer(subscription.endpoint);
  await subscription.unsubscribe();
}

/** After a sign-in: this device's subscription (if any) now belongs to who signed in. */
export async function resendSubscription() {
  const subscription = await currentSubscription();
  if (subscription && Notification.permission === 'granted') {
    await api.post('/api/push/subscriptions', subscription.toJSON());
  }
}

/** Before signing out: the server stops sending this person's notices to this device. */
export async function forgetSubscriptionHere() {
  const subscription = await currentSubscription();
  if (subscription) await forgetOnServer(subscription.endpoint);
}
