// Reading a card's QR code with the camera: the browser's BarcodeDetector where it has one that
// reads QR codes, else the vendored jsQR (imported only then: it is the app's largest file).

/** Whether this browser can open a camera at all. */
export function cameraAvailable() {
  return Boolean(navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
}

async function barcodeDetector() {
  if (!('BarcodeDetector' in window)) return null;
  try {
    if (!(await BarcodeDetector.getSupportedFormats()).includes('qr_code')) return null;
  } catch {
    return null;
  }
  const detector = new BarcodeDetector({ formats: ['qr_code'] });
  return async (video) => {
    const [found] = await detector.detect(video);
    return found ? found.rawValue : null;
  };
}

async function jsQrReader() {
  const { default: jsQR } = await import('./vendor/jsqr.js');
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  return (video) => {
    // a smaller frame reads faster and a card's code is large on a phone's screen
    const scale = Math.min(1, 800 / Math.max(video.videoWidth, video.videoHeight));
    canvas.width = Math.round(video.videoWidth * scale);
    canvas.height = Math.round(video.videoHeight * scale);
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    const frame = context.getImageData(0, 0, canvas.width, canvas.height);
    const found = jsQR(frame.data, frame.width, frame.height, { inversionAttempts: 'dontInvert' });
    return found ? found.data : null;
  };
}

/** A function that reads a QR code from a video frame (its text, or null). */
export async function qrReader() {
  return (await barcodeDetector()) || jsQrReader();
}

/** Show the back camera in `video` and read frames until a QR code is found: `onCode(text)` is
 *  called once and the camera stops. Returns `stop()`; the camera also stops by itself when the
 *  video leaves the page (another screen). Rejects if the camera cannot be opened. */
export async function startScanning(video, onCode) {
  const [stream, read] = await Promise.all([
    navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false }),
    qrReader(),
  ]);
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    for (const track of stream.getTracks()) track.stop();
    video.srcObject = null;
  };
  if (!video.isConnected) {
    stop(); // the person left while the camera was opening
    return stop;
  }
  video.srcObject = stream;
  try {
    await video.play();
  } catch (error) {
    stop();
    throw error;
  }
  const tick = async () => {
    if (stopped) return;
    if (!video.isConnected) return stop();
    let text = null;
    try {
      if (video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA) text = await read(video);
    } catch (error) {
      console.warn('reading a frame', error);
    }
    if (text && !stopped) {
      stop();
      onCode(text);
    } else {
      setTimeout(tick, 150);
    }
  };
  setTimeout(tick); // after the caller has its stop()
  return stop;
}
