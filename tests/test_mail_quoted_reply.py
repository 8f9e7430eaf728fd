"""A reply's quoted lines (issue 12): a list member answering a spam quotes it behind "> ", and the quoted
words and links are the earlier message's, not this sender's asks. Only a reply (a "Re:" subject or an
attribution line) with lines of its own has quoted lines; a body that is all quote, or "> " lines in a mail
that is no reply, are read whole.

Fixture: the structure of a SpamAssassin easy ham dev message (a Razor list member quoting a domain
registrar's confirmation mail and a mailing-list footer's job-board advert); names and domains replaced."""

from __future__ import annotations

from mikiwame import engine, mail

HEAD = "From: Ann Member <ann@example.org>\nTo: razor-users@lists.example.net\nSubject: {subject}\n\n"
QUOTE = ("> As the proud new owner of a free antarc.tk domain, I got a confirmation.\n"
         "> 1. Go to http://my.dot.tk/cgi-bin/confirm?tk=xxxxxx\n"
         "> This list is sponsored by: the leading online job board\n")
OWN = "Looks like the registrar's own mail, not spam. I'd whitelist it.\n"


def slugs(text: str) -> set[str]:
    return {f.slug for f in engine.check(text, "en").findings}


def test_a_replys_quote_is_not_the_senders_ask():
    reply = HEAD.format(subject="Re: dot-tk registrations hitting Razor") + "Bob wrote:\n" + QUOTE + "\n" + OWN
    found = slugs(reply)
    assert not found & {"job-or-investment-offer", "suspicious-tld", "conversation-lure"}, found
    parsed = mail.parse_text(reply)
    assert parsed is not None and len(parsed.quoted) == 3
    assert all(parsed.text[a:b].lstrip().startswith(">") for a, b in parsed.quoted)


def test_the_same_words_unquoted_still_count():
    unquoted = HEAD.format(subject="Re: dot-tk registrations hitting Razor") + QUOTE.replace("> ", "") + "\n" + OWN
    assert {"job-or-investment-offer", "suspicious-tld"} <= slugs(unquoted)


def test_a_body_that_is_all_quote_is_read_whole():
    forward = HEAD.format(subject="Re: dot-tk registrations hitting Razor") + QUOTE
    assert mail.parse_text(forward).quoted == ()
    assert "suspicious-tld" in slugs(forward)


def test_quote_marks_in_a_mail_that_is_no_reply_are_read_whole():
    not_reply = HEAD.format(subject="Confirm your domain") + QUOTE + "\n" + OWN
    assert mail.parse_text(not_reply).quoted == ()
    assert "suspicious-tld" in slugs(not_reply)


def test_an_outlook_reply_quotes_from_its_original_message_line_on():
    outlook = (HEAD.format(subject="RE: What's wrong with the servers now?") + OWN
               + "\n-----Original Message-----\nFrom: Will [mailto:delta407@delta407.homeip.net]\n"
               + QUOTE.replace("> ", ""))
    parsed = mail.parse_text(outlook)
    start = parsed.text.index("-----Original Message-----")
    assert (start, len(parsed.text)) in parsed.quoted
    assert not slugs(outlook) & {"lookalike-domain", "suspicious-tld", "job-or-investment-offer"}
    top_only = (HEAD.format(subject="RE: What's wrong with the servers now?")
                + "-----Original Message-----\n" + QUOTE.replace("> ", ""))
    assert mail.parse_text(top_only).quoted == ()
