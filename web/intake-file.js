// File intake: a dropped or chosen .eml (message/rfc822) or text file is read as bytes, here in the page,
// and handed to the engine, which decodes it as the message says (MIME charsets, transfer encodings).
// Nothing is uploaded: the bytes go to the engine worker on this device only.

export const MAX_FILE_BYTES = 5 * 1024 * 1024; // larger files are refused (e-mails with big attachments)

/** True when a drag carries files (so the page may show it accepts the drop). */
function hasFiles(ev) {
  return Array.from(ev.dataTransfer?.types || []).includes("Files");
}

/**
 * Wires a file <input> and a drop zone. `onFile({name, bytes})` gets the file's bytes (Uint8Array);
 * `onError(key)` gets "file.tooLarge" or "file.unreadable".
 */
export function setupFileIntake({ input, dropZone, onFile, onError }) {
  async function take(file) {
    if (!file) return;
    if (file.size > MAX_FILE_BYTES) {
      onError("file.tooLarge");
      return;
    }
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      onFile({ name: file.name, bytes });
    } catch {
      onError("file.unreadable");
    }
  }
  if (input) {
    input.addEventListener("change", () => {
      take(input.files && input.files[0]);
      input.value = ""; // choosing the same file again checks it again
    });
  }
  if (dropZone) {
    dropZone.addEventListener("dragover", (ev) => {
      if (!hasFiles(ev)) return;
      ev.preventDefault();
      dropZone.classList.add("drop-active");
    });
    dropZone.addEventListener("dragleave", () => dropZone.classList.remove("drop-active"));
    dropZone.addEventListener("drop", (ev) => {
      dropZone.classList.remove("drop-active");
      if (!hasFiles(ev)) return; // dropped text is pasted into the box as usual
      const file = ev.dataTransfer.files[0];
      if (file && file.type.startsWith("image/")) return; // an image is read by intake.js (on-device OCR)
      ev.preventDefault();
      take(file);
    });
  }
}
