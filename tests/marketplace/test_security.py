"""Tried as an attacker would: private files by path traversal, open redirects, hostile input
that used to reach PostgreSQL or `int()`, unconfigured social log-ins, scripts in images,
and private files that could run as pages of the site."""

import ast
import io
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from accounts.models import Profile
from buyer_requests.models import Offer
from gigs.models import Gig, GigImage
from gigs.services import gig_image_build_thumbnail
from messaging import services as messaging
from messaging.models import Attachment, CustomOffer
from orders.models import Order
from tests.buyer_requests.conftest import active
from tests.factories import GigFactory, SellerFactory, UserFactory
from tests.gigs.editor import editor_post
from tests.orders import flow

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


# --- private files ---------------------------------------------------------------------------


@pytest.fixture
def delivered_file(client):
    """An order's delivery file, uploaded as a seller would, and its private path."""
    gig = GigFactory()
    order = flow.in_progress(gig, UserFactory())
    client.force_login(gig.seller)
    upload = SimpleUploadedFile("result.txt", b"secret delivery for the buyer", "text/plain")
    client.post(reverse("orders:action", args=[order.pk, "deliver"]), {"message": "Done", "files": [upload]})
    client.logout()
    item = Order.objects.get(pk=order.pk).files.get()
    return item


TRAVERSALS = [
    "/media/avatars/../private/orders/{name}",
    "/media/avatars/..%2fprivate/orders/{name}",
    "/media/avatars/%2e%2e/private/orders/{name}",
    "/media/avatars/%2e%2e%2fprivate%2forders%2f{name}",
    "/media/avatars/%252e%252e/private/orders/{name}",
    "/media/avatars/..%252fprivate/orders/{name}",
    "/media/gigs/..\\private\\orders\\{name}",
    "/media/gigs/..%5cprivate%5corders%5c{name}",
    "/media/avatars/../../private/private/orders/{name}",
    "/media/avatars//{name}",
    "/media/private/orders/{name}",
    "/media/avatars/../../../../../../etc/passwd",
]


@pytest.mark.parametrize("template", TRAVERSALS)
def test_private_files_are_out_of_reach_of_the_public_media_route(client, delivered_file, template, settings):
    name = Path(delivered_file.file.name).name
    # The layout of old: a copy under MEDIA_ROOT/private/ must not be reachable either.
    old = Path(settings.MEDIA_ROOT) / "private" / "orders" / name
    old.parent.mkdir(parents=True, exist_ok=True)
    old.write_bytes(b"secret delivery for the buyer")
    for browser in (client, _signed_in(UserFactory())):
        response = browser.get(template.format(name=name))
        assert response.status_code in (400, 404)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"secret delivery" not in body and b"root:" not in body


def test_public_media_is_served_with_nosniff(client, settings):
    folder = Path(settings.MEDIA_ROOT) / "avatars"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.jpg").write_bytes(b"\xff\xd8\xff avatar")
    response = client.get("/media/avatars/a.jpg")
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"


def test_private_files_live_outside_media_root_and_old_ones_move_there(tmp_path):
    from marketplace.uploads import move_private_files_out_of_media

    media, private = tmp_path / "media", tmp_path / "private"
    (media / "private" / "orders").mkdir(parents=True)
    (media / "private" / "orders" / "a.txt").write_text("one")
    (media / "avatars").mkdir()
    assert move_private_files_out_of_media(media_root=media, private_root=private) == 1
    assert (private / "private" / "orders" / "a.txt").read_text() == "one"
    assert not (media / "private").exists() and (media / "avatars").exists()
    assert move_private_files_out_of_media(media_root=media, private_root=private) == 0  # safe to run again


@pytest.mark.parametrize(
    ("name", "payload"),
    [("page.html", b"<html><script>alert(1)</script></html>"),
     ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
     ("data.xml", b"<?xml version='1.0'?><a/>")],
)  # fmt: skip
def test_active_files_are_served_as_sandboxed_bytes(client, name, payload):
    gig = GigFactory()
    buyer = UserFactory()
    order = flow.in_progress(gig, buyer)
    client.force_login(gig.seller)
    upload = SimpleUploadedFile(name, payload, "text/html")
    client.post(reverse("orders:action", args=[order.pk, "deliver"]), {"message": "Done", "files": [upload]})
    item = Order.objects.get(pk=order.pk).files.get()
    client.force_login(buyer)
    response = client.get(reverse("orders:file", args=[order.pk, item.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Content-Disposition"].startswith("attachment")


def test_message_attachments_are_sandboxed_too(client):
    buyer, seller = UserFactory(), SellerFactory()
    upload = SimpleUploadedFile("note.html", b"<script>alert(1)</script>", "text/html")
    message = messaging.message_send(sender=buyer, recipient=seller, body="see the file", files=[upload])
    attachment = Attachment.objects.get(message=message)
    client.force_login(seller)
    response = client.get(reverse("messaging:attachment", args=[attachment.pk]))
    assert response["Content-Type"] == "application/octet-stream" and "sandbox" in response["Content-Security-Policy"]


# --- open redirects --------------------------------------------------------------------------

HOSTILE_NEXT = [
    "https://evil.example/x", "//evil.example/x", "https:evil.example/x", "/\\evil.example/x", "\\\\evil.example/x",
    "javascript:alert(1)", " //evil.example/x", "http://testserver@evil.example/", "/\t/evil.example",
    "///evil.example/x", "https://testserver.evil.example/",
]  # fmt: skip


def _local(location: str) -> bool:
    return location.startswith("/") and not location.startswith(("//", "/\\")) and "\\" not in location


def _signed_in(person) -> Client:
    browser = Client()
    browser.force_login(person)
    return browser


@pytest.fixture
def redirect_world():
    seller, buyer = SellerFactory(), UserFactory()
    gig = GigFactory(seller=seller)
    order = flow.completed(gig, buyer)
    from reviews import services as reviews

    good = reviews.ReviewData(rating=5, text="Great work, thank you!", communication=5, quality=5, on_time=5)
    review = reviews.review_submit(order_id=order.pk, author=buyer, data=good)
    reviews.review_submit(order_id=order.pk, author=seller, data=reviews.ReviewData(rating=5, text="A pleasure."))
    conversation = messaging.message_send(sender=buyer, recipient=seller, body="Hello").conversation
    request = active(buyer, gig.category, title="A logo for a bakery shop")
    return {"seller": seller, "buyer": buyer, "gig": gig, "review": review, "conversation": conversation,
            "request": request}  # fmt: skip


def _next_readers() -> dict:
    """Every view that reads a `next` parameter, by its function: found in the views' code,
    so a new one has to be added to REDIRECTS below."""
    found = set()
    for app in ("accounts", "gigs", "orders", "escrow", "reviews", "messaging", "buyer_requests", "marketplace"):
        path = ROOT / app / "views.py"
        tree = ast.parse(path.read_text())
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and re.search(r"""["']next["']""", ast.get_source_segment(
                    path.read_text(), node) or ""):  # fmt: skip
                found.add(f"{app}.{node.name}")
    return found


# view -> how to call it with `next` set to a value, as the person who may.
REDIRECTS = {
    "gigs.favorite_toggle_view": lambda w, nxt: (w["buyer"], "post", reverse("gigs:favorite"),
                                                 {"gig": w["gig"].pk, "next": nxt}),
    "reviews.review_reply_view": lambda w, nxt: (w["seller"], "post", reverse("reviews:reply", args=[w["review"].pk]),
                                                 {"text": "Thank you!", "next": nxt}),
    "messaging._send": lambda w, nxt: (w["buyer"], "post", reverse("messaging:detail", args=[w["conversation"].pk]),
                                       {"body": "Another question", "next": nxt}),
    "buyer_requests.invite_view": lambda w, nxt: (w["buyer"], "post",
                                                  reverse("buyer_requests:invite", args=[w["seller"].username]),
                                                  {"buyer_request": w["request"].pk, "next": nxt}),
    # Sends the buyer to the card page; the address to come back to is kept for after paying.
    "escrow.top_up_view": lambda w, nxt: (w["buyer"], "post", reverse("escrow:top_up"),
                                          {"amount": "1500", "next": nxt}),
}  # fmt: skip


def test_every_view_that_reads_next_is_walked():
    readers = _next_readers()
    assert readers - set(REDIRECTS) == set()


@pytest.mark.parametrize("view", sorted(REDIRECTS))
@pytest.mark.parametrize("hostile", HOSTILE_NEXT)
def test_no_view_redirects_to_another_site(redirect_world, view, hostile):
    person, method, url, data = REDIRECTS[view](redirect_world, hostile)
    response = getattr(_signed_in(person), method)(url, data)
    assert response.status_code == 302
    assert _local(response["Location"]), response["Location"]
    from escrow.models import Payment

    assert not Payment.objects.exclude(next_url="").exists()  # nothing foreign kept to come back to


def test_a_local_next_is_followed(redirect_world):
    person, method, url, data = REDIRECTS["gigs.favorite_toggle_view"](redirect_world, "/catalog/?q=logo#top")
    assert getattr(_signed_in(person), method)(url, data)["Location"] == "/catalog/?q=logo#top"


@pytest.mark.parametrize("hostile", HOSTILE_NEXT)
def test_the_payment_return_and_the_log_in_stay_on_the_site(client, hostile):
    from escrow.services import payment_start
    from tests.factories import rub

    person = UserFactory(password="correct-horse-battery-42")
    started = payment_start(user=person, amount=rub(1500), next_url=hostile)
    assert started.payment.next_url == ""
    credentials = {"login": person.email, "password": "correct-horse-battery-42"}
    response = client.post(f"/accounts/login/?next={hostile}", credentials)
    assert response.status_code == 302 and _local(response["Location"])


# --- hostile input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/u/%00/", "/u/%00/reviews/", "/messages/with/%00/", "/requests/invite/%00/", "/catalog/%00/",
             "/gig/1/%00/", "/u/a%01b/", "/en/u/%7f/"],
)  # fmt: skip
def test_a_nul_in_an_address_is_a_bad_request(client, path):
    for browser in (client, _signed_in(UserFactory())):
        assert browser.get(path).status_code == 400
        assert browser.post(path, {"x": "1"}).status_code in (400, 403)


def test_a_nul_in_a_query_string_is_a_bad_request(client):
    assert client.get("/catalog/", {"q": "logo\x00"}).status_code == 400
    assert client.get("/catalog/", {"q": "logo\tdesign"}).status_code == 200  # a pasted tab is text


def test_a_nul_in_profile_skills_is_refused_and_nothing_saved(client):
    person = UserFactory()
    browser = _signed_in(person)
    before = Profile.objects.filter(user=person).values().first()
    data = {"display_name": "Ivan", "headline": "", "bio": "", "skills": "Figma, Lo\x00go", "languages": "Russian\x00",
            "country": "", "time_zone": "Europe/Moscow"}  # fmt: skip
    assert browser.post("/settings/", data).status_code == 400
    assert Profile.objects.filter(user=person).values().first() == before


def test_a_nul_in_gig_tags_the_contact_check_or_a_declined_offer_is_refused(client):
    seller, buyer = SellerFactory(), UserFactory()
    gig = GigFactory(seller=seller)
    browser = _signed_in(seller)
    assert browser.post(f"/my/gigs/{gig.pk}/edit/", {"title": "x", "tags": "logo\x00"}).status_code == 400
    assert Gig.objects.get(pk=gig.pk).tags == gig.tags
    check = {"body": "my phone\x00", "to": seller.username}
    assert _signed_in(buyer).post("/messages/check/", check).status_code == 400
    conversation = messaging.message_send(sender=buyer, recipient=seller, body="Hello").conversation
    from messaging import offers

    offer = offers.custom_offer_send(seller=seller, conversation_id=conversation.pk,
                                     data=offers.OfferData("Banner", "One banner", Decimal("900"), 2, 1))  # fmt: skip
    url = reverse("messaging:offer_answer", args=[offer.pk, "decline"])
    assert _signed_in(buyer).post(url, {"reason": "too\x00expensive"}).status_code == 400
    assert CustomOffer.objects.get(pk=offer.pk).status == CustomOffer.Status.SENT


def test_unicode_digits_are_not_numbers(client):
    gig = GigFactory()
    buyer = UserFactory()
    browser = _signed_in(buyer)
    response = browser.post(reverse("orders:checkout", args=[gig.pk]), {"package": "1", "quantity": "1", "extras": "²"})
    assert response.status_code in (200, 302, 400)
    assert browser.post(reverse("orders:checkout", args=[gig.pk]), {"package": "²", "quantity": "²"}).status_code < 500
    assert browser.get("/messages/", {"q": "²"}).status_code == 200
    assert browser.get("/messages/", {"q": "#١٢٣"}).status_code == 200
    assert client.get("/catalog/", {"price_min": "²", "days": "³", "after": "²"}).status_code == 200


@pytest.mark.parametrize("amount", ["NaN", "sNaN", "Infinity", "-Infinity", "1e999", "nan"])
def test_non_finite_milestone_amounts_are_a_form_error(amount):
    seller, buyer = SellerFactory(), UserFactory()
    conversation = messaging.message_send(sender=buyer, recipient=seller, body="Hello").conversation
    plan = f"Design | {amount} | 5\nBuild | 20000 | 10"
    data = {"title": "Site", "description": "A site.", "price": "40000", "delivery_days": "10", "revisions": "1",
            "milestones": plan}  # fmt: skip
    response = _signed_in(seller).post(reverse("messaging:offer_send", args=[conversation.pk]), data)
    assert response.status_code in (200, 302, 400) and not CustomOffer.objects.exists()
    request = active(buyer, GigFactory().category, title="A site for a bakery", budget_min=Decimal("30000"),
                     budget_max=Decimal("50000"))  # fmt: skip
    offer = {"message": "I will build it in two steps, with care.", "price": "40000", "delivery_days": "10",
             "revisions": "1", "milestones": plan}  # fmt: skip
    response = _signed_in(seller).post(reverse("buyer_requests:offer_send", args=[request.pk]), offer)
    assert response.status_code in (200, 302, 400) and not Offer.objects.exists()


def test_the_milestone_service_refuses_non_finite_amounts():
    from djmoney.money import Money

    from orders.services import MilestoneData, OrderError, milestones_validate

    plan = [MilestoneData("A", Money(Decimal("NaN"), "RUB"), 5), MilestoneData("B", Money(Decimal("20000"), "RUB"), 5)]
    with pytest.raises(OrderError):
        milestones_validate(price=Money(Decimal("40000"), "RUB"), milestones=plan)


@pytest.mark.parametrize("provider", ["vk", "yandex", "google", "telegram"])
def test_social_log_in_of_a_provider_without_keys_is_not_found(client, provider):
    for path in (f"/accounts/{provider}/login/", f"/accounts/{provider}/login/callback/",
                 f"/en/accounts/{provider}/login/"):  # fmt: skip
        assert client.get(path).status_code == 404
        assert client.post(path).status_code in (403, 404)


def test_a_provider_with_keys_has_its_log_in():
    code = (
        "import django; django.setup(); from django.urls import resolve; print(resolve('/accounts/vk/login/').url_name)"
    )
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "marketplace.settings", "TESTING": "1",
           "VK_CLIENT_ID": "123", "VK_SECRET": "s"}  # fmt: skip
    done = subprocess.run(  # noqa: S603 - this interpreter, our own code
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert done.stdout.strip() == "vk_login", done.stderr


# --- scripts in images -------------------------------------------------------------------------------

SCRIPT = b"<html><script>alert(document.cookie)</script></html>"


def _polyglots() -> dict[str, bytes]:
    jpeg = io.BytesIO()
    exif = Image.Exif()
    exif[0x010E] = SCRIPT.decode()  # ImageDescription
    exif[0x0112] = 6  # orientation: rotated, applied before re-encoding
    Image.new("RGB", (300, 200), (10, 120, 200)).save(
        jpeg, "JPEG", comment=SCRIPT, exif=exif, icc_profile=b"ICC " + SCRIPT, quality=90
    )
    png = io.BytesIO()
    info = PngInfo()
    info.add_text("Comment", SCRIPT.decode())
    info.add_itxt("XML:com.adobe.xmp", SCRIPT.decode())
    Image.new("RGBA", (300, 200), (200, 30, 30, 255)).save(png, "PNG", pnginfo=info)
    return {"poly.jpg": jpeg.getvalue() + SCRIPT, "poly.png": png.getvalue() + SCRIPT}


def _no_script(data: bytes) -> None:
    assert b"<script" not in data and b"alert(" not in data and b"<html" not in data


@pytest.mark.parametrize("name", ["poly.jpg", "poly.png"])
def test_scripts_in_uploaded_images_do_not_survive_re_encoding(name):
    data = _polyglots()[name]
    assert SCRIPT in data
    kind = "image/jpeg" if name.endswith("jpg") else "image/png"
    # An avatar.
    person = UserFactory()
    browser = _signed_in(person)
    browser.post("/settings/", {"display_name": "Ivan", "time_zone": "Europe/Moscow",
                                "avatar": SimpleUploadedFile(name, data, kind)})  # fmt: skip
    profile = Profile.objects.get(user=person)
    assert profile.avatar
    _no_script(profile.avatar.read())
    # A gig image and its thumbnail, through the editor as a seller uploads it.
    seller = SellerFactory()
    category = GigFactory().category
    editor = _signed_in(seller)
    editor.post("/my/gigs/new/", editor_post(category.pk, new_images=[SimpleUploadedFile(name, data, kind)]))
    image = GigImage.objects.get(gig__seller=seller)
    gig_image_build_thumbnail(image_id=image.pk)  # as the task does (eager in tests, safe twice)
    image.refresh_from_db()
    assert image.thumbnail
    for stored in (image.image, image.thumbnail):
        stored.open("rb")
        content = stored.read()
        _no_script(content)
        with Image.open(io.BytesIO(content)) as reread:
            assert not reread.info.get("icc_profile") and "exif" not in reread.info and "comment" not in reread.info
    with Image.open(image.image.path) as reread:
        assert reread.size[0] < reread.size[1] if name.endswith("jpg") else reread.size[0] > reread.size[1]
    # A message attachment and its thumbnail.
    message = messaging.message_send(sender=person, recipient=seller, body="the photo",
                                     files=[SimpleUploadedFile(name, data, kind)])  # fmt: skip
    attachment = Attachment.objects.get(message=message)
    assert attachment.is_image
    _no_script(attachment.file.read())
    _no_script(attachment.thumbnail.read())
