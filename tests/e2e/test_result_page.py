"""What a newcomer tripped over on the result page (issue 13): duplicate entity cards, cards that contradict
the findings, a hidden end of a long message, a clean result that repeats itself, plain-text phone numbers,
numbers out of order, language and lang attributes, long source addresses. Screens at 360 px, both languages.
"""

from __future__ import annotations

import contextlib
import re

import pytest
from conftest import save_screenshot, wait_engine_ready
from helpers import corpus_text

CHECK_TIMEOUT_MS = 30_000
PHONE = {"width": 360, "height": 740}
PAYPAL = ("PayPal: お客様のアカウントが制限されました。https://paypa1-secure.top/login で確認してください。"
          "本日中にご連絡なき場合法的手続きに移行します。お問い合わせ 0343392745")


@contextlib.contextmanager
def phone_in(browser, server_url, lang: str):
    """The checker on a 360 px wide phone screen in ``lang``'s locale, engine ready; closed afterwards."""
    context = browser.new_context(locale="ja-JP" if lang == "ja" else "en-US", viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(server_url)
        wait_engine_ready(page)
        yield page
    finally:
        context.close()


@pytest.fixture
def phone_page(browser, server_url, request):
    """The checker on a 360 px wide phone screen in Japanese, engine ready."""
    with phone_in(browser, server_url, "ja") as page:
        yield page
        if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
            save_screenshot(page, f"FAILED-{request.node.name}")


def check(page, text: str) -> str:
    page.locator("#clear-btn").click()
    page.locator("#message").fill(text)
    page.locator("#check-btn").click()
    result = page.locator("#result[data-verdict]")
    result.wait_for(timeout=CHECK_TIMEOUT_MS)
    return result.get_attribute("data-verdict")


def test_one_card_per_distinct_link_with_a_count_and_every_copy_highlighted(phone_page):
    page = phone_page
    url = "https://paypa1-secure.top/login"
    text = f"PayPal: アカウントが制限されました。{url} で確認してください。" * 3 + "電話 0343392745 または 0343392745"
    check(page, text)
    cards = page.locator("#result .entity-urls")
    assert cards.count() == 1, "three copies of one link are one card"
    assert cards.locator(".entity-count").inner_text() == "3回"
    phones = page.locator("#result .entity-phone")
    assert phones.count() == 1 and phones.locator(".entity-count").inner_text() == "2回"
    assert page.locator("#result mark", has_text=url).count() == 3, "every copy of the flagged link is marked"
    assert page.locator("#result mark", has_text="0343392745").count() == 2
    save_screenshot(page, "result-360-ja-repeated-link")


def test_a_long_paste_does_not_make_a_card_per_copy(phone_page):
    page = phone_page
    line = "お荷物をお届けに上がりましたが不在のため持ち帰りました。 http://sagawa-exp.top/a 0343392745\n"
    check(page, line * 400)  # 40 KB; the engine checks the first 10,000 characters (about 120 copies)
    assert page.locator("#result .entity").count() == 2
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 9_000, f"the result page is {height} px tall"


def test_link_card_agrees_with_the_lookalike_finding(phone_page):
    page = phone_page
    check(page, "アカウントが制限されました。https://paypa1-secure.top/login で確認してください。")
    card = page.locator("#result .entity-urls")
    status = card.locator(".entity-status").inner_text()
    assert "PayPal" in status and "見せかけた" in status, status
    assert "分かりません" not in page.locator("#result").inner_text()
    assert re.search(r"見つかった特徴 \d+", card.locator(".entity-cited").inner_text())


def test_a_lookalike_subdomain_is_described_as_such(phone_page):
    page = phone_page
    check(page, "【Amazon】お支払い方法に問題があります。https://amazon-co-jp.security-check.top/verify から更新してください。")
    card = page.locator("#result .entity-urls", has_text="security-check.top")
    assert "サブドメイン「amazon-co-jp」で" in card.locator(".entity-status").inner_text()
    assert "サブドメイン「amazon-co-jp.」の部分だけ" in page.locator("#result .findings").inner_text()


def test_an_official_signature_is_not_marked_as_evidence(phone_page):
    page = phone_page
    check(page, "お支払い方法に問題があります。アカウントが制限されました。https://amzn-update.xyz/\nAmazon.co.jp")
    assert page.locator("#result mark", has_text="Amazon.co.jp").count() == 0
    card = page.locator("#result .entity-urls", has_text="Amazon.co.jp")
    assert "公式ドメインです" in card.locator(".entity-status").inner_text()
    assert "Amazon（アマゾン）" in card.locator(".entity-status").inner_text(), "the brand's name, not its id"


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_long_message_shows_there_is_more_and_expands(browser, server_url, lang):
    with phone_in(browser, server_url, lang) as page:
        body = "\n".join(f"{n}行目: ご利用明細のお知らせです。" for n in range(60))
        check(page, "本日中にご連絡なき場合法的手続きに移行します 0343392745\n" + body + "\n最後の行 END")
        box = page.locator("#result .message-text")
        more = page.locator("#result .message-expand")
        assert more.is_visible(), "a clipped message must say there is more"
        assert more.get_attribute("aria-expanded") == "false"
        assert box.evaluate("b => b.scrollHeight > b.clientHeight + 1")
        save_screenshot(page, f"result-360-{lang}-long-message")
        more.click()
        assert more.get_attribute("aria-expanded") == "true"
        assert box.evaluate("b => b.scrollHeight <= b.clientHeight + 1"), "expanded, the whole text is shown"
        assert page.get_by_text("最後の行 END").is_visible()


@pytest.mark.parametrize("lang, sign, guarantee", [("ja", "見つかりませんでした", "保証"),
                                                   ("en", "No known scam sign", "not a guarantee")])
def test_the_clean_result_says_it_once_without_empty_parts(browser, server_url, lang, sign, guarantee):
    with phone_in(browser, server_url, lang) as page:
        assert check(page, "明日7時に駅で待ち合わせね") == "clean"
        shown = page.locator("#result").inner_text()
        assert shown.count(sign) == 1, shown
        assert shown.count(guarantee) == 1, shown
        assert page.locator("#result .message-text").count() == 0, "no unmarked copy of the message"
        assert page.locator("#result .findings").count() == 0
        assert page.locator("#result .score-fill").count() == 0, "0 points draws no stub"
        save_screenshot(page, f"result-360-{lang}-clean")


def test_a_zero_point_finding_is_information_not_a_red_risk(ready_page):
    page = ready_page
    # Rendered by the page's own module from a report with a 0-point (preview) finding and one in favour.
    html = page.evaluate("""async () => {
      const { renderResult } = await import('./render.js');
      const box = document.createElement('section');
      document.body.append(box);
      const f = (id, weight) => ({id, slug: id, weight, title: 'T' + id, message: 'm', evidence: [{start: 0, end: 3, text: 'abc'}]});
      renderResult(box, {verdict: 'clean', score: 0, thresholds: {suspicious: 30, scam: 60}, summary: 's',
        findings: [f('MK1', 0), f('MK2', -10)], entities: {}, advice: []}, 'abc def');
      const out = {risk: box.querySelectorAll('.finding-risk').length, info: box.querySelectorAll('.finding-info').length,
        favour: box.querySelectorAll('.finding-favour').length, marks: box.querySelectorAll('mark').length,
        weight: box.querySelector('.finding-info .finding-weight').textContent, fill: box.querySelectorAll('.score-fill').length};
      box.remove();
      return out;
    }""")
    assert html == {"risk": 0, "info": 1, "favour": 1, "marks": 0, "weight": "点数なし", "fill": 0}


def test_advice_phone_numbers_are_tel_links(phone_page):
    page = phone_page
    assert check(page, PAYPAL) == "scam"
    advice = page.locator("#result li[data-advice]")
    links = {a.get_attribute("href") for a in advice.locator("a[href^='tel:']").all()}
    assert {"tel:188", "tel:%239110", "tel:110"} <= links, links
    assert page.locator("#result a[href^='tel:']", has_text="110").count() >= 1


@pytest.mark.parametrize("message_id", ["scam-seed-1", "scam-sagawa-001", "scam-apple-004"])
def test_highlight_numbers_are_ascending(phone_page, message_id):
    page = phone_page
    check(page, corpus_text(message_id))  # gave "8,10,9", "6,1,2,3,4" and "1,8,2,7" before
    labels = [s.inner_text() for s in page.locator("#result .mark-num").all()]
    assert labels
    for label in labels:
        nums = [int(n) for n in label.split(",")]
        assert nums == sorted(nums), labels


def test_the_load_failure_detail_is_in_the_pages_language(page, server_url):
    # A damaged file (not a network failure, which gets a plain-language reason instead of the detail line).
    page.context.route("**/pyodide.asm.wasm*", lambda route: route.fulfill(
        status=200, body=b"this is not WebAssembly", headers={"content-type": "application/wasm"}))
    page.goto(server_url)
    page.locator("html[data-engine=error]").wait_for(state="attached", timeout=70_000)
    detail = page.locator("#engine-error-detail")
    detail.wait_for()
    assert detail.inner_text().startswith("技術的な情報（開発者向け）: ")
    assert "engine could not load" not in detail.inner_text()
    assert detail.locator("span[lang=en]").count() == 1, "the browser's own English text is marked as English"


def test_the_language_choice_survives_a_reload(ready_page, server_url):
    page = ready_page
    page.get_by_role("button", name="Switch to English").click()
    page.locator("html[lang=en]").wait_for(state="attached")
    page.reload()
    wait_engine_ready(page)
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("button", name="Check").is_visible()
    # Stored on this device only: the language code, nothing else.
    assert page.evaluate("() => Object.entries(localStorage)") == [["mikiwame.lang", "en"]]
    page.get_by_role("button", name="日本語に切り替える").click()
    page.reload()
    wait_engine_ready(page)
    assert page.locator("html").get_attribute("lang") == "ja"


def test_japanese_text_in_the_english_ui_is_marked_lang_ja(phone_page):
    page = phone_page
    page.get_by_role("button", name="Switch to English").click()
    check(page, PAYPAL)
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#result .message-text").get_attribute("lang") == "ja"
    assert page.locator("#result .entity-phone .entity-type[lang=ja]").count() == 0, "type labels are English here"
    examples = page.locator("#examples-list .example-text")
    examples.first.wait_for()
    assert examples.count() and all(e.get_attribute("lang") == "ja" for e in examples.all())
    save_screenshot(page, "result-360-en-scam")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_source_links_show_the_site_name_and_link_the_full_address(browser, server_url, lang):
    with phone_in(browser, server_url, lang) as page:
        check(page, PAYPAL)
        links = page.locator("#result .source a")
        assert links.count() >= 2
        for a in links.all():
            text, href = a.inner_text(), a.get_attribute("href")
            assert "/" not in text and href.startswith("http") and text in href, (text, href)
            assert a.get_attribute("title") == href
            assert a.bounding_box()["height"] < 60, f"{text} wraps over more than two lines"
        save_screenshot(page, f"result-360-{lang}-scam")
