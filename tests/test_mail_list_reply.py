"""A list server's reply-to munging (issue 12): Mailman sets Reply-To to the list address a member's post
went to. MK062 freemail-reply-to, MK063 brand-reply-elsewhere and MK080 reply-to-other-freemail do not read
that as a forged reply address when the list headers say a list server redistributed the mail; without them
(the 419 script that writes to its own collecting box and blind-copies the victims) they still fire.

Fixture: the structure of a SpamAssassin easy ham dev message (a member at a telecom brand's mail domain
posting to a Mailman RPM list: To = Reply-To = the list, List-Id, X-Mailman-Version, Precedence: bulk); names
and list domains replaced."""

from __future__ import annotations

from mikiwame import engine

POST = ("From: Coy Krill <coy.krill@verizon.net>\nTo: rpm-list@lists.rpmfarm.org\n"
        "Reply-To: rpm-list@lists.rpmfarm.org\n{list_headers}Subject: Re: Problem building lame on RH8\n\n"
        "Matthias said:\n\n>Could you post the list of files in question?\n\nSure. I used rpmbuild --rebuild.\n")
LIST = ("X-Mailman-Version: 2.0.11\nPrecedence: bulk\nList-Id: RPM discussion list <rpm-list.lists.rpmfarm.org>\n"
        "List-Post: <mailto:rpm-list@lists.rpmfarm.org>\n")


def slugs(text: str) -> set[str]:
    return {f.slug for f in engine.check(text, "en").findings}


def test_a_list_answering_to_itself_is_no_reply_elsewhere():
    found = slugs(POST.format(list_headers=LIST))
    assert "brand-reply-elsewhere" not in found
    assert engine.check(POST.format(list_headers=LIST), "en").verdict == "clean"


def test_without_list_headers_a_brand_mail_replying_elsewhere_still_counts():
    assert "brand-reply-elsewhere" in slugs(POST.format(list_headers=""))


FREE = ("From: Mr. Tom Hassan <hassanmrtom@gmail.com>\nTo: tomhassan468@gmail.com\n"
        "Reply-To: tomhassan468@gmail.com\n{list_headers}Subject: Beneficiary\n\n"
        "I have a business proposal for you worth 10.5 million dollars. Reply with your full name.\n")


def test_a_collecting_box_in_to_is_no_list():
    """The 419 shape: To and Reply-To are the script's own box; no list headers, so the rules still read it."""
    found = slugs(FREE.format(list_headers=""))
    assert "reply-to-other-freemail" in found


def test_a_free_mail_list_post_answering_to_its_list():
    """The same boxes under a list server's headers: a member's post to a list hosted at the provider."""
    found = slugs(FREE.format(list_headers=LIST.replace("lists.rpmfarm.org", "gmail.com")))
    assert "reply-to-other-freemail" not in found and "freemail-reply-to" not in found


# MK070 on a list post whose subject is the list's own address (a SpamAssassin easy ham dev message: a member
# of a Mailman RPM list writing "Subject: rpm-zzzlist@freshrpms.net"; names replaced).
LIST_SUBJECT = ("From: dTd <dandanielle@mindspring.example.com>\nTo: rpm-list@lists.rpmfarm.org\n"
                "Reply-To: rpm-list@lists.rpmfarm.org\n{list_headers}Subject: rpm-list@lists.rpmfarm.org\n\n"
                "Thanks for the great work, but this list is fast becoming the apt-rpm list.\n\ndTd\n"
                "http://dandanielle.home.mindspring.example.com\n")


def test_a_list_address_in_a_list_posts_subject_is_not_the_readers():
    assert "recipient-in-subject" not in slugs(LIST_SUBJECT.format(list_headers=LIST))
    assert engine.check(LIST_SUBJECT.format(list_headers=LIST), "en").verdict == "clean"


def test_the_readers_own_address_in_the_subject_still_counts():
    # without list headers the To address is the reader's own (or a 419 script's collecting box)
    assert "recipient-in-subject" in slugs(LIST_SUBJECT.format(list_headers=""))
    # a list mail that writes its reader's address (not the list's) into the subject
    mailer = ("From: Deals <deals@offers.example.com>\nTo: reader@example.org\n{list_headers}"
              "Subject: reader@example.org, your offer\n\nSee https://offers.example.com/a\n")
    assert "recipient-in-subject" in slugs(mailer.format(list_headers=LIST))
