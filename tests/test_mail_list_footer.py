"""A mailing list's footer (issue 12): the list server appends it under a separator line (Mailman's "Razor-users
mailing list" and listinfo link, often with a sponsor's advert above it). Its words and links are the list's, not
the sender's: the sponsor's "leading online job board" is no job offer of theirs, the listinfo link no link they
sent. Only a mail a list redistributed (List-Id or a list manager's headers) has such a footer, and only blocks
that name the list, how to leave it or a sponsor belong to it.

Fixtures: the structure of SpamAssassin easy ham dev messages (a Razor-users post under SourceForge's sponsor
footer: MK032 job-or-investment-offer 12 points on 11 dev posts; an exmh-users question whose only link was the
footer's listinfo link, which made MK043 link-with-pretext of "deleted/changed in my settings"); names and
domains replaced."""

from __future__ import annotations

from mikiwame import engine, mail

LIST_HEADERS = ("Sender: razor-users-admin@lists.example.net\nX-Mailman-Version: 2.0.9\nPrecedence: bulk\n"
                "List-Id: <razor-users.lists.example.net>\nList-Post: <mailto:razor-users@lists.example.net>\n")
HEAD = "From: Ann Member <ann@example.org>\nTo: razor-users@lists.example.net\n{list}Subject: {subject}\n\n"
SPONSOR = ("-------------------------------------------------------\n"
           "This sf.net email is sponsored by: Dice - The leading online job board\n"
           "for high-tech professionals. Search and apply for tech jobs today!\n"
           "http://seeker.example.com/seeker.epl?rel_code=31\n")
MAILMAN = ("_______________________________________________\nRazor-users mailing list\n"
           "Razor-users@lists.example.net\nhttps://lists.example.net/lists/listinfo/razor-users\n")
OWN = "Justification could be 'this user has a great track record'.\n\nC\n\n\n"
QUESTION = ("I've just recently started using 2.4 (was using 2.2), so perhaps there are things that needed to be "
            "deleted/changed in my settings?\n\n--Harlan\n\n\n\n")


def report(text: str):  # noqa: ANN201
    return engine.check(text, "en")


def slugs(text: str) -> set[str]:
    return {f.slug for f in report(text).findings if f.weight}


def test_the_sponsor_and_list_blocks_are_the_footer():
    text = HEAD.format(list=LIST_HEADERS, subject="Re: [Razor-users] What's wrong with the servers?") + OWN + SPONSOR + MAILMAN
    parsed = mail.parse_text(text)
    assert parsed is not None and len(parsed.footer) == 1
    start, end = parsed.footer[0]
    assert parsed.text[start:end].startswith("-----") and end == len(parsed.text)
    assert "track record" not in parsed.text[start:end]
    assert "job-or-investment-offer" not in slugs(text)


def test_the_footers_listinfo_link_is_no_link_of_the_sender():
    text = HEAD.format(list=LIST_HEADERS, subject="V2.4 keeps incorrectly blue-ing folders") + QUESTION + MAILMAN
    r = report(text)
    assert "link-with-pretext" not in {f.slug for f in r.findings}
    assert not [u for u in r.entities["urls"] if "listinfo" in u["text"]]


def test_the_same_advert_written_by_the_sender_still_counts():
    # The advert in the sender's own text (no separator before it): the sender's words.
    text = HEAD.format(list=LIST_HEADERS, subject="Re: [Razor-users] servers") + SPONSOR.split("\n", 1)[1] + "\n" + OWN + MAILMAN
    assert "job-or-investment-offer" in slugs(text)


def test_without_list_headers_there_is_no_footer():
    text = HEAD.format(list="", subject="Re: servers") + OWN + SPONSOR + MAILMAN
    assert mail.parse_text(text).footer == ()
    assert "job-or-investment-offer" in slugs(text)


def test_a_block_that_names_no_list_ends_the_footer():
    # The sender's own block under a separator (a signature's advert) stays theirs: only the list's blocks go.
    own_block = ("-----------------------------\nEarn $5,000 a week from home, the leading online job board!\n"
                 "http://jobs.example.biz/apply\n")
    text = HEAD.format(list=LIST_HEADERS, subject="Re: servers") + OWN + own_block + MAILMAN
    parsed = mail.parse_text(text)
    (start, _), = parsed.footer
    assert parsed.text[start:].startswith("_____") and "Earn" not in parsed.text[start:]
    assert "job-or-investment-offer" in slugs(text)


def test_a_signature_above_a_bare_listinfo_link_stays_the_senders():
    # FoRK's footer is only its listinfo link, under the sender's "-- " signature: the block's first lines are the
    # signature's, so it is no footer block, and the signature's link is read as the sender's.
    signature = ("-- \nWhat security level comes after 'Totally Apeshit'?\n     -- http://www.apeshit.example.cc/war12.html\n"
                 "\n\nhttp://xent.example.com/mailman/listinfo/fork\n")
    text = HEAD.format(list=LIST_HEADERS, subject="Re: Using hosts file") + OWN + signature
    assert mail.parse_text(text).footer == ()
    assert "suspicious-tld" in slugs(text)
