"""The admin speaks the staff member's language: every label our admin shows (model names,
columns, fields, fieldsets, help texts, actions, filters) has a Russian translation, and
each list and a change page render in Russian."""

import re

import pytest
from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path, label_for_field
from django.core.exceptions import FieldDoesNotExist
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from escrow.services import ledger_reconcile, payout_method_add, withdrawal_request
from messaging.services import message_send
from orders import services as order_services
from tests.factories import GigFactory, SellerFactory, UserFactory, rub
from tests.orders.conftest import top_up
from tests.orders.flow import delivered

pytestmark = pytest.mark.django_db

OUR_APPS = {"accounts", "gigs", "orders", "escrow", "reviews", "messaging", "buyer_requests", "marketplace"}
# Names and codes that read the same in both languages.
SAME_IN_BOTH = {"ID", "IP", "PayPal", "WebMoney", "YooMoney", "Email", "E-mail", "URL", "slug"}
LATIN = re.compile("[A-Za-z]")


def _ours():
    return [(model, model_admin) for model, model_admin in admin.site._registry.items()
            if model._meta.app_label in OUR_APPS]  # fmt: skip


def _in(language, thunk):
    with translation.override(language):
        return str(thunk())


def _untranslated(where, thunk, found):
    english, russian = _in("en", thunk), _in("ru", thunk)
    if english and english == russian and LATIN.search(english) and english not in SAME_IN_BOTH:
        found.append(f"{where}: {english!r}")


def _field_label(model, model_admin, form, name):
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        if name in form.fields and not hasattr(model_admin, name):
            return form.fields[name].label or name  # a form-only field (the user's passwords)
    return label_for_field(name, model, model_admin, form=form)


def _filter_title(model, model_admin, name):
    if "__" in name:  # a related field's filter is titled by that field
        return get_fields_from_path(model, name)[-1].verbose_name
    return label_for_field(name, model, model_admin)


def _field_labels(label, model, model_admin, form, name, found):
    _untranslated(f"{label} field {name}", lambda: _field_label(model, model_admin, form, name), found)
    if name in form.fields:
        help_text = form.fields[name].help_text
    else:
        try:
            help_text = getattr(model._meta.get_field(name), "help_text", "")
        except FieldDoesNotExist:
            help_text = ""
    if help_text:
        _untranslated(f"{label} help of {name}", lambda: help_text, found)


def _labels_of(model, model_admin, request, found):
    label = model._meta.label
    _untranslated(f"{label} verbose_name", lambda: model._meta.verbose_name, found)
    _untranslated(f"{label} verbose_name_plural", lambda: model._meta.verbose_name_plural, found)
    for name in model_admin.get_list_display(request):
        if name not in ("__str__", "action_checkbox"):
            _untranslated(f"{label} column {name}", lambda n=name: label_for_field(n, model, model_admin), found)
    for entry in model_admin.get_list_filter(request):
        name = entry if isinstance(entry, str) else entry[0] if isinstance(entry, tuple) else None
        if name is None:  # a SimpleListFilter: its title is checked by the catalog test
            continue
        _untranslated(f"{label} filter {name}", lambda n=name: _filter_title(model, model_admin, n), found)
    for obj in {None, model._default_manager.first()}:
        form = model_admin.get_form(request, obj)()
        for title, options in model_admin.get_fieldsets(request, obj):
            if title:
                _untranslated(f"{label} fieldset", lambda t=title: t, found)
            for name in options["fields"]:
                for one in name if isinstance(name, tuple | list) else (name,):
                    _field_labels(label, model, model_admin, form, one, found)
    for name, (_function, _name, description) in model_admin.get_actions(request).items():
        _untranslated(f"{label} action {name}", lambda d=description: d % {
            "verbose_name_plural": model._meta.verbose_name_plural}, found)  # fmt: skip
    for inline in model_admin.get_inline_instances(request, None):
        _untranslated(f"{label} inline", lambda i=inline: i.model._meta.verbose_name_plural, found)
        for name in inline.get_fields(request, None):
            _untranslated(
                f"{label} inline field {name}", lambda n=name, i=inline: label_for_field(n, i.model, i), found
            )


@pytest.fixture
def superuser(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def everything(superuser):
    """One row of most models the admin lists: a disputed order with files and messages, a
    withdrawal, a reconciliation report and a look at payout details."""
    gig = GigFactory(seller=SellerFactory(), packages=[(1000, 3, 1)])
    buyer = UserFactory()
    order = delivered(gig, buyer)
    order_services.dispute_open(order_id=order.pk, actor=buyer, reason="Not what we agreed on at all.",
                                files=[SimpleUploadedFile("proof.png", b"\x89PNG proof", "image/png")])  # fmt: skip
    message_send(sender=buyer, body="See the file", order_id=order.pk,
                 files=[SimpleUploadedFile("notes.pdf", b"%PDF notes", "application/pdf")])  # fmt: skip
    seller = gig.seller
    top_up(seller, 5000)
    method = payout_method_add(user=seller, kind="card", value="4242 4242 4242 4242")
    withdrawal_request(user=seller, amount=rub(1500), payout_method=method)
    ledger_reconcile(notify=False)
    return order


def test_every_admin_label_has_a_russian_translation(superuser):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    found = []
    for model, model_admin in _ours():
        _labels_of(model, model_admin, request, found)
    assert found == [], "\n".join(found)


def test_every_admin_list_and_a_change_page_render_in_russian(client, superuser, everything):
    client.force_login(superuser)
    with translation.override("ru"):
        for model, model_admin in _ours():
            opts = model._meta
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
            page = client.get(url)
            assert page.status_code == 200, url
            html = page.content.decode()
            assert '<html lang="ru"' in html
            request = page.wsgi_request
            first = model_admin.get_queryset(request).first()
            for name in model_admin.get_list_display(request) if first is not None else ():
                if name not in ("__str__", "action_checkbox"):
                    # The column's Russian heading is on the page (escaped as the template does).
                    heading = str(label_for_field(name, model, model_admin))
                    assert heading.capitalize().replace("'", "&#x27;") in html or heading in html, (url, heading)
            if first is not None:
                change = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk]))
                assert change.status_code == 200, (url, first.pk)
                assert '<html lang="ru"' in change.content.decode()


def test_the_admin_follows_the_staff_members_language(client, superuser):
    """The admin, like every page, is in the language of its address (/admin/ Russian,
    /en/admin/ English); a staff member who reads English is taken to /en/admin/ when they
    sign in (accounts.adapters), and the switch in the admin's header changes it."""
    client.force_login(superuser)
    russian = client.get("/admin/").content.decode()
    english = client.get("/en/admin/").content.decode()
    assert "Администрирование" in russian or "Панель" in russian or "Недавние действия" in russian
    assert "Recent actions" in english
    assert 'href="/en/admin/"' in russian and 'href="/admin/"' in english  # the language switch
    superuser.refresh_from_db()
    assert superuser.language == "en"  # the last language read is remembered
