// The delivery screen reads a printed prescription's QR code with the camera, where the
// browser has BarcodeDetector (progressive: the button stays hidden without it). The code read
// goes into the code field and the form is sent, as a USB scanner's typing and Enter would.
const scan = document.getElementById('scan');

async function readCode(video, detector) {
  for (;;) {
    if (video.readyState >= 2) {
      const found = await detector.detect(video);
      const code = found.map((entry) => entry.rawValue.replace(/\D/g, '')).find((digits) => digits.length === 12);
      if (code) return code;
    }
    await new Promise((resolve) => { setTimeout(resolve, 200); });
  }
}

async function start() {
  const form = scan.closest('form');
  const field = form.querySelector('input[name="code"]');
  const video = document.getElementById('scan-video');
  const status = document.getElementById('scan-status');
  let stream;
  try {
    const detector = new window.BarcodeDetector({ formats: ['qr_code'] });
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    field.value = await readCode(video, detector);
    form.requestSubmit();
  } catch {
    status.textContent = scan.dataset.unreadable;
  } finally {
    if (stream) stream.getTracks().forEach((track) => track.stop());
    video.hidden = true;
  }
}

if (scan && 'BarcodeDetector' in window && navigator.mediaDevices) {
  scan.hidden = false;
  document.getElementById('scan-start').addEventListener('click', start);
}
