// Module worker: prepares images for the reader off the page's thread (ocr-prepare.js).
// page -> worker {id, blob, maxWidth}; worker -> page {id, result: {blob, width, height, inverted}} | {id, error}
import { prepareImage } from "./ocr-prepare.js";

self.onmessage = async (event) => {
  const { id, blob, maxWidth } = event.data || {};
  try {
    self.postMessage({ id, result: await prepareImage(blob, maxWidth) });
  } catch (error) {
    self.postMessage({ id, error: String((error && error.message) || error) });
  }
};
