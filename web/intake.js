// How a message gets into the box besides typing: the paste button, an image (file input, drag and drop,
// pasted with the keyboard) and a share from another app. All images go one way: read on this device by
// ocr.js (loaded on first use), the text put in the box marked as read from an image, then checked.
// The image is never sent or stored; the OCR files are downloaded the first time only.

import { addStrings, t } from "./i18n.js";
import { clipboardReadAllowed, imageFrom, readClipboard } from "./paste.js";
import { pendingShareId, sharedText, takeShare } from "./share.js";

addStrings({
  ja: {
    "intake.paste": "貼り付け",
    "intake.image": "画像から読み取る",
    "intake.pasteDenied": "クリップボードを読めませんでした。入力欄を長押しするか、Ctrl+V（Macは⌘+V）で貼り付けてください。",
    "intake.pasteEmpty": "クリップボードに文章や画像がありません。",
    "intake.fromImage": "画像から読み取った文章です（画像はこの端末の中で読み取り、送信も保存もしていません）。読み間違いがあれば直して、もう一度チェックしてください。",
    "intake.fromShare": "ほかのアプリから共有された文章です。",
    "intake.ocr.core": "画像を読む準備をしています（初回のみダウンロード）",
    "intake.ocr.lang": "文字のデータを読み込んでいます（初回のみダウンロード）",
    "intake.ocr.read": "画像の文字を読み取っています",
    "intake.ocr.none": "画像から文字を読み取れませんでした。文章を入力するか、別の画像をお試しください。",
    "intake.ocr.failed": "画像を読み取れませんでした。初めて使うときは通信が必要です。",
    "intake.ocr.notImage": "画像ファイルを選んでください。",
    "intake.ocr.tooLarge": "画像が大きすぎます（25MBまで）。",
    "intake.shareEmpty": "共有された内容を受け取れませんでした。",
  },
  en: {
    "intake.paste": "Paste",
    "intake.image": "Read from an image",
    "intake.pasteDenied": "The clipboard could not be read. Long-press the box, or press Ctrl+V (⌘+V on a Mac), to paste.",
    "intake.pasteEmpty": "There is no text or image on the clipboard.",
    "intake.fromImage": "This text was read from the image on this device (the image is neither sent nor stored). Correct any misread characters, then check again.",
    "intake.fromShare": "This text was shared from another app.",
    "intake.ocr.core": "Getting the image reader ready (downloaded the first time only)",
    "intake.ocr.lang": "Loading the character data (downloaded the first time only)",
    "intake.ocr.read": "Reading the text in the image",
    "intake.ocr.none": "No text could be read in this image. Type the message, or try another image.",
    "intake.ocr.failed": "The image could not be read. The first time, this needs a connection.",
    "intake.ocr.notImage": "Please choose an image file.",
    "intake.ocr.tooLarge": "This image is too large (25 MB at most).",
    "intake.shareEmpty": "Nothing could be received from the share.",
  },
});

const OCR_ERRORS = { "not-image": "intake.ocr.notImage", "too-large": "intake.ocr.tooLarge" };

/**
 * Wire the intake into the page. `fill(text)` puts text in the box (no check); `check(text)` checks it.
 * Returns {readImage(blob)} for callers that have an image of their own.
 */
export function initIntake({ input, fill, check, isEmbed = false }) {
  const $ = (id) => document.getElementById(id);
  const ui = {
    paste: $("paste-btn"),
    file: $("image-input"),
    note: $("intake-note"),
    status: $("image-status"),
    progress: $("image-progress"),
    msg: $("image-msg"),
    clear: $("clear-btn"),
  };
  let noteKey = null;
  let readSeq = 0;

  const setNote = (key) => {
    noteKey = key;
    if (!ui.note) return;
    ui.note.textContent = key ? t(key) : "";
    ui.note.hidden = !key;
    if (key === "intake.fromImage") input.dataset.origin = "image";
    else if (key === "intake.fromShare") input.dataset.origin = "share";
    else delete input.dataset.origin;
  };
  const setStatus = (key, pct = null, kind = "info") => {
    if (!ui.status) return;
    ui.status.hidden = !key;
    ui.status.dataset.kind = kind;
    ui.msg.textContent = key ? t(key) : "";
    ui.progress.hidden = pct === null;
    if (pct === null) ui.progress.removeAttribute("value");
    else ui.progress.value = pct;
  };

  /** Read an image on this device, put its text in the box (marked) and check it. */
  async function readImageAndCheck(blob) {
    const seq = ++readSeq;
    setStatus("intake.ocr.core", 0);
    try {
      const { readImage } = await import("./ocr.js");
      const { text } = await readImage(blob, {
        onProgress: ({ stage, pct }) => {
          if (seq === readSeq) setStatus(`intake.ocr.${stage}`, pct);
        },
      });
      if (seq !== readSeq) return;
      if (!text.trim()) {
        setStatus("intake.ocr.none", null, "error");
        return;
      }
      setStatus(null);
      fill(text);
      setNote("intake.fromImage");
      check(text);
    } catch (error) {
      if (seq !== readSeq) return;
      const key = OCR_ERRORS[error && error.message] || "intake.ocr.failed";
      setStatus(key, null, "error");
      console.warn("image reader:", error);
    }
  }

  function fillAndCheck(text, noteKeyForText = null) {
    fill(text);
    setNote(noteKeyForText);
    setStatus(null);
    check(text);
  }

  // The file input (a phone's photo library, e.g. a screenshot on an iPhone).
  ui.file?.addEventListener("change", () => {
    const file = ui.file.files && ui.file.files[0];
    ui.file.value = ""; // the same screenshot may be chosen again; the File is not kept
    if (file) readImageAndCheck(file);
  });

  // An image pasted into the box with the keyboard (text pastes are left to the browser).
  input.addEventListener("paste", (ev) => {
    const text = ev.clipboardData && ev.clipboardData.getData("text/plain");
    const image = imageFrom(ev.clipboardData);
    if (image && !(text && text.trim())) {
      ev.preventDefault();
      readImageAndCheck(image);
    }
  });

  // Drag and drop of an image onto the box.
  input.addEventListener("dragover", (ev) => {
    if (ev.dataTransfer && [...(ev.dataTransfer.items || [])].some((i) => i.kind === "file")) ev.preventDefault();
  });
  input.addEventListener("drop", (ev) => {
    const image = imageFrom(ev.dataTransfer);
    if (image) {
      ev.preventDefault();
      readImageAndCheck(image);
    }
  });

  // Typing in the box after reading keeps the mark (the text still came from the image); clearing drops it.
  ui.clear?.addEventListener("click", () => {
    readSeq++;
    setNote(null);
    setStatus(null);
  });

  // The paste button, only where the clipboard may be read (never offered in a disallowed embed).
  if (ui.paste && clipboardReadAllowed()) {
    ui.paste.hidden = false;
    ui.paste.addEventListener("click", async () => {
      try {
        const got = await readClipboard();
        if (got.image) readImageAndCheck(got.image);
        else fillAndCheck(got.text);
      } catch (error) {
        setStatus(error && error.code === "empty" ? "intake.pasteEmpty" : "intake.pasteDenied", null, "error");
        input.focus();
      }
    });
  }

  // A share from another app (Web Share Target), handed over by the service worker.
  const shareId = isEmbed ? null : pendingShareId();
  if (shareId) {
    takeShare(shareId).then((shared) => {
      if (shared && shared.image) readImageAndCheck(shared.image);
      else if (shared && sharedText(shared)) fillAndCheck(sharedText(shared), "intake.fromShare");
      else setStatus("intake.shareEmpty", null, "error");
    });
  }

  return {
    readImage: readImageAndCheck,
    /** Re-render texts after a language switch. */
    relabel() {
      if (noteKey) setNote(noteKey);
    },
  };
}
