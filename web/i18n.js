// All user-interface strings, in Japanese (default) and English.
// Strings come from here only; the engine supplies the per-finding texts in the requested language.
// Never say "safe" / 安全: "clean" only means that no known scam sign was found.

export const LANGS = ["ja", "en"];

const STRINGS = {
  ja: {
    "app.title": "見極め — 詐欺メッセージチェッカー",
    "app.name": "見極め",
    "app.tagline": "怪しいSMSやメールを貼り付けると、詐欺の特徴があるかを理由つきで確かめます。",
    "lang.switch": "English",
    "lang.switch.label": "Switch to English",
    "input.label": "メッセージ本文",
    "input.help": "届いたSMSやメールの本文をそのまま貼り付けてください。文章はこの端末の中だけで調べられ、どこにも送信されません。",
    "input.placeholder": "ここに貼り付け（例：本日ご連絡なき場合には法的手続きに移行致します…）",
    "input.count": "{n}文字",
    "input.tooLong": "長すぎるため、最初の{max}文字だけをチェックします（全部で{n}文字）。",
    "input.empty": "まずはメッセージ本文を上の欄に貼り付けてください。下の「例」を押して試すこともできます。",
    "btn.check": "チェックする",
    "btn.clear": "消す",
    "btn.file": "メールファイル（.eml）を選ぶ",
    "file.tooLarge": "ファイルが大きすぎます（5MBまで）。",
    "file.unreadable": "ファイルを読めませんでした。",
    "file.checked": "ファイル「{name}」をチェックしました（送信はしていません）。",
    "entities.headers": "差出人・返信先・認証（メールのヘッダー）",
    "header.from": "差出人",
    "header.reply-to": "返信先",
    "header.return-path": "戻り先（Return-Path）",
    "header.authentication": "認証結果（一番上の Authentication-Results）",
    "btn.copy": "結果をコピー",
    "btn.copied": "コピーしました",
    "btn.copyFailed": "コピーできませんでした",
    "btn.retry": "もう一度読み込む",
    "btn.reload": "更新する",
    "engine.loading": "チェック機能を準備しています…",
    "engine.stage.download": "チェック機能をダウンロードしています",
    "engine.stage.start": "チェック機能を起動しています",
    "engine.stage.packages": "部品を読み込んでいます",
    "engine.stage.warm": "ルールを準備しています",
    "engine.ready": "準備ができました。",
    "engine.error": "チェック機能を読み込めませんでした。通信環境を確かめて、もう一度お試しください。",
    "engine.timeout": "読み込みに時間がかかりすぎています。",
    "engine.stalled": "通信が止まりました（しばらくデータが届いていません）。届いた分は保存してあります。",
    "engine.progress": "準備中 {got} / {total} MB",
    "engine.queued": "準備ができしだい、チェックします…",
    "engine.checking": "チェックしています…",
    "check.error": "このメッセージをチェックできませんでした。もう一度お試しください。",
    "update.available": "新しいバージョンがあります。",
    "examples.heading": "例で試す",
    "examples.note": "実際に届いたと公開されているメッセージです。押すと本文が入り、チェックされます。",
    "examples.source": "出典",
    "result.heading": "チェック結果",
    "verdict.scam": "詐欺の可能性が高い",
    "verdict.suspicious": "注意が必要",
    "verdict.clean": "既知の詐欺の特徴は見つかりませんでした",
    "verdict.clean.note": "これは「安心」という意味ではありません。心当たりがなければ、公式アプリや公式サイトで確かめてください。",
    "score.label": "危険度スコア",
    "score.value": "{score}点（注意 {suspicious}点〜／詐欺の可能性が高い {scam}点〜）",
    "score.mark.suspicious": "注意",
    "score.mark.scam": "詐欺",
    "findings.heading": "見つかった特徴",
    "findings.more": "ほかに見つかった特徴（{n}件）を見る",
    "findings.favour.heading": "本物らしい点",
    "finding.advice": "どうする？",
    "finding.source": "根拠",
    "finding.points": "{w}点",
    "text.heading": "メッセージ内の該当箇所",
    "text.legend": "色がついた部分が、詐欺の特徴として見つかった箇所です。",
    "text.more": "…（ここから先はチェックしていません）",
    "entities.heading": "含まれている連絡先・リンク",
    "entities.phones": "電話番号",
    "entities.urls": "リンク",
    "entities.emails": "メールアドレス",
    "findings.info.heading": "参考（点数には入っていません）",
    "finding.noPoints": "点数なし",
    "text.expand": "続きを表示",
    "text.collapse": "折りたたむ",
    "entity.count": "{n}回",
    "entity.cited": "見つかった特徴 {nums} の根拠",
    "entity.citedMany": "見つかった特徴 {nums} の根拠",
    "entity.official.notBrand": "{brand}の公式ドメインではありません",
    "entity.lookalike.domain": "{brand}に見せかけたドメインです（公式ではありません）",
    "entity.lookalike.subdomain": "サブドメイン「{sub}」で{brand}に見せかけています。本当のドメインは {d} で、公式ではありません",
    "engine.errorDetail": "技術的な情報（開発者向け）",
    "entity.known.scam": "詐欺に使われたと報告されている番号",
    "entity.known.official": "公式の番号",
    "entity.known.unknown": "この番号についての情報はありません",
    "entity.domain": "本当の行き先（ドメイン）: {d}",
    "entity.official.yes": "{brand}の公式ドメインです",
    "entity.official.no": "公式ドメインではありません",
    "entity.official.unknown": "公式かどうかは分かりません",
    "entity.shortener": "短縮URL（本当の行き先が隠れています）",
    "entity.masked": "一部が伏せ字のリンクです（本当の行き先は分かりません）",
    "entity.suspiciousTld": "詐欺によく使われる種類のドメインです",
    "entity.punycode": "見た目をまねた文字（国際化ドメイン）を含みます",
    "entity.reported": "報告元",
    "entity.noLink": "リンクは押さないでください（ここでは押せないようにしています）。",
    "advice.heading": "これからどうする",
    "help.heading": "困ったときの相談先",
    "help.188": "消費者ホットライン 188（いやや）— 最寄りの消費生活センターにつながります",
    "help.9110": "警察相談専用電話 #9110 — 詐欺の被害や不安を相談できます",
    "help.110": "お金を払ってしまった・脅されているときは 110番",
    "notices.heading": "お知らせ",
    "about.heading": "しくみ",
    "about.p1": "見極めは、届いたメッセージの中から詐欺によく見られる特徴（会社名の書き方の誤り、「法的手続き」などの脅し文句、公式ではない電話番号やリンクなど）を探し、見つけた理由と対処法を表示します。",
    "about.p2": "チェックはすべてこのブラウザの中で行われます。貼り付けた文章はどこにも送信されず、保存もされません。一度読み込めば、通信がなくても使えます。",
    "about.p3": "結果は判断の手がかりです。「特徴が見つからない」ことは「安全」という意味ではありません。迷ったら、メッセージの連絡先ではなく、公式サイトや公式アプリで確かめてください。",
    "summary.title": "見極め（詐欺メッセージチェッカー）の結果",
    "summary.score": "スコア",
    "summary.findings": "見つかった特徴",
    "summary.advice": "これからどうする",
    "summary.note": "※この端末の中でチェックしました。",
    "embed.open": "大きな画面で開く",
    "footer.version": "エンジン {engine}／データ {data}",
  },
  en: {
    "app.title": "mikiwame — scam message checker",
    "app.name": "mikiwame",
    "app.tagline": "Paste a suspicious SMS or e-mail to see whether it shows known scam signs, and why.",
    "lang.switch": "日本語",
    "lang.switch.label": "日本語に切り替える",
    "input.label": "Message",
    "input.help": "Paste the text of the SMS or e-mail you received. It is checked on this device only and is never sent anywhere.",
    "input.placeholder": "Paste here (e.g. “Unless you contact us today, we will start legal proceedings…”)",
    "input.count": "{n} characters",
    "input.tooLong": "This is long: only the first {max} characters are checked ({n} in total).",
    "input.empty": "First paste the message into the box above. You can also press one of the examples below.",
    "btn.check": "Check message",
    "btn.clear": "Clear",
    "btn.file": "Choose an e-mail file (.eml)",
    "file.tooLarge": "The file is too large (5 MB at most).",
    "file.unreadable": "The file could not be read.",
    "file.checked": "Checked the file \"{name}\" (nothing was uploaded).",
    "entities.headers": "Sender, reply address and authentication (e-mail headers)",
    "header.from": "From",
    "header.reply-to": "Reply-To",
    "header.return-path": "Return-Path",
    "header.authentication": "Authentication (topmost Authentication-Results)",
    "btn.copy": "Copy result",
    "btn.copied": "Copied",
    "btn.copyFailed": "Could not copy",
    "btn.retry": "Try loading again",
    "btn.reload": "Reload",
    "engine.loading": "Getting the checker ready…",
    "engine.stage.download": "Downloading the checker",
    "engine.stage.start": "Starting the checker",
    "engine.stage.packages": "Loading components",
    "engine.stage.warm": "Preparing the rules",
    "engine.ready": "Ready.",
    "engine.error": "The checker could not be loaded. Please check your connection and try again.",
    "engine.timeout": "Loading is taking too long.",
    "engine.stalled": "The download stopped (no data has arrived for a while). What arrived is kept.",
    "engine.progress": "Preparing {got} / {total} MB",
    "engine.queued": "Will check as soon as the checker is ready…",
    "engine.checking": "Checking…",
    "check.error": "This message could not be checked. Please try again.",
    "update.available": "Update available.",
    "examples.heading": "Try an example",
    "examples.note": "Real messages that people have published. Press one to fill in the box and check it.",
    "examples.source": "Source",
    "result.heading": "Result",
    "verdict.scam": "Likely a scam",
    "verdict.suspicious": "Be careful",
    "verdict.clean": "No known scam signs found",
    "verdict.clean.note": "This does not prove the message is genuine. If in doubt, check in the official app or website.",
    "score.label": "Risk score",
    "score.value": "{score} points (be careful from {suspicious}, likely a scam from {scam})",
    "score.mark.suspicious": "careful",
    "score.mark.scam": "scam",
    "findings.heading": "What was found",
    "findings.more": "Show {n} more signs",
    "findings.favour.heading": "Signs in its favour",
    "finding.advice": "What to do",
    "finding.source": "Source",
    "finding.points": "{w} pts",
    "text.heading": "Where in the message",
    "text.legend": "Highlighted parts are the scam signs that were found.",
    "text.more": "… (the rest was not checked)",
    "entities.heading": "Phone numbers and links in the message",
    "entities.phones": "Phone numbers",
    "entities.urls": "Links",
    "entities.emails": "E-mail addresses",
    "findings.info.heading": "For information (not counted)",
    "finding.noPoints": "not counted",
    "text.expand": "Show the rest",
    "text.collapse": "Show less",
    "entity.count": "{n} times",
    "entity.cited": "Evidence for sign {nums}",
    "entity.citedMany": "Evidence for signs {nums}",
    "entity.official.notBrand": "Not an official domain of {brand}",
    "entity.lookalike.domain": "Made to look like {brand} (not official)",
    "entity.lookalike.subdomain": "The subdomain \u201c{sub}\u201d makes it look like {brand}; the real domain is {d}, which is not official",
    "engine.errorDetail": "Technical detail (for developers)",
    "entity.known.scam": "Reported as used by scammers",
    "entity.known.official": "An official number",
    "entity.known.unknown": "Nothing is known about this number",
    "entity.domain": "Real destination (domain): {d}",
    "entity.official.yes": "Official domain of {brand}",
    "entity.official.no": "Not an official domain",
    "entity.official.unknown": "Not known whether it is official",
    "entity.shortener": "Short link (hides the real destination)",
    "entity.masked": "Partly masked link (the real destination is unknown)",
    "entity.suspiciousTld": "A kind of domain often used by scammers",
    "entity.punycode": "Contains look-alike (internationalised) characters",
    "entity.reported": "Reported at",
    "entity.noLink": "Do not open the links (they are not clickable here).",
    "advice.heading": "What to do next",
    "help.heading": "Where to get help (Japan)",
    "help.188": "Consumer Hotline 188 — connects you to your local consumer affairs centre",
    "help.9110": "Police consultation line #9110 — for worries about fraud",
    "help.110": "If you have paid or are being threatened, call 110",
    "notices.heading": "Notes",
    "about.heading": "How it works",
    "about.p1": "mikiwame looks for signs that are typical of scam messages (a wrong company name, threats such as “legal proceedings”, unofficial phone numbers or links) and shows what it found, why it matters and what to do.",
    "about.p2": "Everything runs inside this browser. The text you paste is never sent anywhere and is not stored. Once loaded, it also works offline.",
    "about.p3": "The result is a guide. “No known scam signs” does not mean “safe”. If in doubt, contact the company through its official website or app, not through the message.",
    "summary.title": "mikiwame (scam message checker) result",
    "summary.score": "Score",
    "summary.findings": "Found",
    "summary.advice": "What to do next",
    "summary.note": "Checked on this device.",
    "embed.open": "Open full page",
    "footer.version": "engine {engine} / data {data}",
  },
};

let current = "ja";

// The reader's language choice, kept in this browser's localStorage so that a reload keeps it. Only "ja" or
// "en" is stored, on this device; it is never sent anywhere (the page makes no request with it).
const LANG_KEY = "mikiwame.lang";

function storedLang(storage) {
  try {
    const v = storage && storage.getItem(LANG_KEY);
    return LANGS.includes(v) ? v : null;
  } catch {
    return null; // storage blocked (a sandboxed embed, strict privacy settings): fall back quietly
  }
}

/** The language to start in: the one chosen earlier on this device, else the browser's language. */
export function initialLang(nav = globalThis.navigator, storage = globalThis.localStorage) {
  const kept = storedLang(storage);
  if (kept) return kept;
  const l = String((nav && (nav.language || (nav.languages && nav.languages[0]))) || "").toLowerCase();
  return l.startsWith("ja") ? "ja" : "en";
}

/** Remember the reader's own choice (the language button), on this device only. */
export function rememberLang(lang, storage = globalThis.localStorage) {
  try {
    if (storage && LANGS.includes(lang)) storage.setItem(LANG_KEY, lang);
  } catch {
    /* storage blocked: the choice lasts until the page is closed */
  }
}

export function setLang(lang) {
  current = LANGS.includes(lang) ? lang : "ja";
  return current;
}

export function getLang() {
  return current;
}

/** Translate `key`, filling `{name}` placeholders from `vars`. Falls back to Japanese, then the key. */
export function t(key, vars = {}) {
  const s = STRINGS[current][key] ?? STRINGS.ja[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
}

/** Fill every element carrying data-i18n (textContent), data-i18n-placeholder, data-i18n-label (aria-label). */
export function applyStatic(root = document) {
  document.documentElement.lang = current;
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-placeholder]")) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll("[data-i18n-label]")) el.setAttribute("aria-label", t(el.dataset.i18nLabel));
  if (document.title !== undefined) document.title = t("app.title");
}

/** Merge the strings that a page module keeps with its code (e.g. intake.js): {ja: {...}, en: {...}}. */
export function addStrings(more) {
  for (const lang of LANGS) Object.assign(STRINGS[lang], (more && more[lang]) || {});
}
