// Module worker: prepares images for the reader off the page's thread (ocr-prepare.js).
// page -> worker {id, blob, maxWidth} (prepare) or {id, blob, crops} (crop a prepared image);
// worker -> page {id, result} | {id, error}: result is {blob, width, height, inverted}, or [Blob] for crops.
import { cropImages, prepareImage } from "./ocr-prepare.js";

self.onmessage = async (event) => {
  const { id, blob, maxWidth, crops } = event.data || {};
  try {
    const result = crops ? await cropImages(blob, crops) : await prepareImage(blob, maxWidth);
    self.postMessage({ id, result });
  } catch (error) {
    self.postMessage({ id, error: String((error && error.message) || error) });
  }
};
