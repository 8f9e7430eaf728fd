// Runs web/ocr-text.js and web/ocr-links.js on cases given as JSON on stdin; prints the outputs as JSON
// (tests/test_ocr_text.py, tests/test_ocr_links.py).
import * as links from "../web/ocr-links.js";
import * as text from "../web/ocr-text.js";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const cases = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const fns = { ...text, ...links };
const out = cases.map(({ fn, args }) => {
  try {
    return { ok: typeof fns[fn] === "function" ? fns[fn](...args) : fns[fn] }; // a constant: its value
  } catch (error) {
    return { error: String(error && error.stack ? error.stack : error) };
  }
});
process.stdout.write(JSON.stringify(out));
