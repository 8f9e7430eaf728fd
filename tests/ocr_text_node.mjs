// Runs web/ocr-text.js on cases given as JSON on stdin; prints the outputs as JSON (tests/test_ocr_text.py).
import { firstPiece, joinSeparator, repairHosts, textFromLines, tidyLine, tidyText } from "../web/ocr-text.js";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const cases = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const fns = { firstPiece, joinSeparator, repairHosts, textFromLines, tidyLine, tidyText };
const out = cases.map(({ fn, args }) => {
  try {
    return { ok: fns[fn](...args) };
  } catch (error) {
    return { error: String(error && error.stack ? error.stack : error) };
  }
});
process.stdout.write(JSON.stringify(out));
