"""MK076 hidden-links-elsewhere (issue 12): a campaign's hidden links may go to two other sites (its landing
page and an image host, a redirect or a cloud bucket) as well as one; a person's note citing a page or two,
and links to the site the sender's own name names, are not that shape. Fixtures are short sources built from
the structure of real messages (Phishing Pot and SpamAssassin dev halves; domains replaced by reserved ones
where they are not the point)."""

from __future__ import annotations

from mikiwame import engine

HEAD = "From: {name} <{address}>\nSubject: {subject}\nContent-Type: text/html; charset=utf-8\n\n"


def slugs(text: str) -> dict[str, int]:
    return {f.slug: f.weight for f in engine.check(text, "en").findings}


def mail(links: list[tuple[str, str]], name: str = "Rewards Desk", address: str = "info@spare-mailer.com",
         subject: str = "Your reward is waiting") -> str:
    body = "<p>" + " ".join(f'<a href="{href}">{label}</a>' for label, href in links) + "</p>"
    return HEAD.format(name=name, address=address, subject=subject) + body


CAMPAIGN = [("Claim your reward", "https://landing-offer.com/c/1"), ("Start now", "https://landing-offer.com/c/2"),
            ("", "https://landing-offer.com/c/3"), ("banner", "https://img-bucket.net/b.html")]


def test_a_campaigns_buttons_to_two_other_sites_are_flagged():
    found = slugs(mail(CAMPAIGN))
    assert "hidden-links-elsewhere" in found and found["hidden-links-elsewhere"] > 0


def test_one_other_site_is_still_flagged():
    assert "hidden-links-elsewhere" in slugs(mail(CAMPAIGN[:2]))


def test_a_note_citing_two_pages_is_not_flagged():
    note = [("this story", "https://www.newspaper.com/a"), ("that post", "https://blog.weblog.net/b")]
    assert "hidden-links-elsewhere" not in slugs(mail(note, name="Taro Yamada", address="taro@example.co.jp",
                                                      subject="links"))


def test_three_other_sites_are_no_single_campaign():
    spread = CAMPAIGN + [("more", "https://third-site.org/x")]
    assert "hidden-links-elsewhere" not in slugs(mail(spread))


def test_links_to_the_site_the_senders_name_names_are_its_own():
    """"The Motley Fool" <…@motleyfool.com> linking to fool.com and its mailing service (hard ham dev)."""
    links = [("Lesson 2", "https://www.fool.com/seminar/2"), ("Discuss", "https://boards.fool.com/x"),
             ("Sign up", "https://www.mailing-service.com/s")]
    assert "hidden-links-elsewhere" not in slugs(mail(links, name="The Motley Fool", address="Fool@motleyfool.com",
                                                      subject="When to Sell, Lesson 2"))
