// Prepares an image for Tesseract: grey, dark text on a light ground (dark-mode screenshots inverted), at
// most `maxWidth` pixels wide, as a PNG Blob. Runs in ocr-prepare-worker.js, off the page's thread (the
// pixel pass over a phone screenshot takes ~60 ms); the page runs it itself only where a worker has no
// OffscreenCanvas.

/** A canvas of w x h: an OffscreenCanvas where there is one, else a page canvas. */
function makeCanvas(w, h) {
  if (typeof OffscreenCanvas === "function") return new OffscreenCanvas(w, h);
  const canvas = document.createElement("canvas");
  canvas.width = w;
  canvas.height = h;
  return canvas;
}

function toBlob(canvas) {
  if (typeof canvas.convertToBlob === "function") return canvas.convertToBlob({ type: "image/png" });
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("encode"))), "image/png"));
}

/** {blob, width, height, inverted} for `blob` (any image the browser can decode). */
export async function prepareImage(blob, maxWidth) {
  const bitmap = await createImageBitmap(blob);
  const scale = Math.min(1, maxWidth / bitmap.width);
  const w = Math.max(1, Math.round(bitmap.width * scale));
  const h = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = makeCanvas(w, h);
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  ctx.drawImage(bitmap, 0, 0, w, h);
  bitmap.close();
  const img = ctx.getImageData(0, 0, w, h);
  const px = img.data;
  let sum = 0;
  for (let i = 0; i < px.length; i += 4) {
    const y = (px[i] * 54 + px[i + 1] * 183 + px[i + 2] * 19) >> 8;
    px[i] = y;
    sum += y;
  }
  const inverted = sum / (w * h) < 128; // mostly dark: light text on a dark screen
  for (let i = 0; i < px.length; i += 4) {
    const y = inverted ? 255 - px[i] : px[i];
    px[i] = px[i + 1] = px[i + 2] = y;
    px[i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
  return { blob: await toBlob(canvas), width: w, height: h, inverted };
}

/**
 * Crops of a prepared image (from prepareImage), each scaled: `crops` [{left, top, width, height, scale}]
 * in the image's pixels -> PNG Blobs, in the same order. For the second reading of links (ocr-links.js):
 * a word alone, at the size Tesseract reads best.
 */
export async function cropImages(blob, crops) {
  const bitmap = await createImageBitmap(blob);
  try {
    const out = [];
    for (const c of crops || []) {
      const w = Math.max(1, Math.round(c.width * c.scale));
      const h = Math.max(1, Math.round(c.height * c.scale));
      const canvas = makeCanvas(w, h);
      const ctx = canvas.getContext("2d");
      ctx.imageSmoothingQuality = "high";
      ctx.drawImage(bitmap, c.left, c.top, c.width, c.height, 0, 0, w, h);
      out.push(await toBlob(canvas));
    }
    return out;
  } finally {
    bitmap.close();
  }
}
