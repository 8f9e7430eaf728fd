// The paste button: reads the clipboard (text, or an image where the browser allows) with one tap.
//
// Only shown where it can work: the Clipboard API in a secure context and, inside the blog embed, only if
// the host page let the iframe read the clipboard (Permissions Policy "clipboard-read", e.g.
// <iframe allow="clipboard-read; clipboard-write">). When the browser or the person refuses, a plain
// message says how to paste by hand; nothing else changes.

/** May this document read the clipboard? (false inside an iframe that was not allowed to) */
export function clipboardReadAllowed(doc = document, nav = navigator, win = window) {
  if (!win.isSecureContext || !nav.clipboard || typeof nav.clipboard.readText !== "function") return false;
  const policy = doc.permissionsPolicy || doc.featurePolicy;
  if (policy && typeof policy.allowsFeature === "function") {
    try {
      return policy.allowsFeature("clipboard-read");
    } catch {
      return false;
    }
  }
  // No way to ask: a top-level page may try (the browser asks the person); an iframe may not.
  return win.top === win;
}

/**
 * Read the clipboard: {image: Blob} when it holds an image (and clipboard.read exists), else {text}.
 * Throws an Error with .code "denied" when refused, "empty" when there is nothing to read.
 */
export async function readClipboard(nav = navigator) {
  const clip = nav.clipboard;
  try {
    if (typeof clip.read === "function") {
      const items = await clip.read();
      for (const item of items) {
        const imageType = item.types.find((t) => /^image\//.test(t));
        if (imageType) return { image: await item.getType(imageType) };
      }
      for (const item of items) {
        if (item.types.includes("text/plain")) {
          const text = await (await item.getType("text/plain")).text();
          if (text.trim()) return { text };
        }
      }
      throw Object.assign(new Error("empty"), { code: "empty" });
    }
    const text = await clip.readText();
    if (!text.trim()) throw Object.assign(new Error("empty"), { code: "empty" });
    return { text };
  } catch (error) {
    if (error && error.code === "empty") throw error;
    throw Object.assign(new Error("denied"), { code: "denied", cause: error });
  }
}

/** An image File among what was pasted or dropped (DataTransfer), or null. */
export function imageFrom(dataTransfer) {
  if (!dataTransfer) return null;
  for (const file of dataTransfer.files || []) if (/^image\//.test(file.type)) return file;
  for (const item of dataTransfer.items || []) {
    if (item.kind === "file" && /^image\//.test(item.type)) {
      const file = item.getAsFile();
      if (file) return file;
    }
  }
  return null;
}
