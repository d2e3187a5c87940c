"""Every read of messages that a page or a task needs, with the access checks.

A conversation is visible to its two people and to staff (read-only); anyone else gets a
404, never a 403, so ids do not reveal which conversations exist.
"""

import functools
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from gigs.models import Gig
from marketplace.parsing import parse_int
from marketplace.rows import Columns, split
from orders.evidence import EvidenceFile
from orders.models import Order, OrderEvent

from .display import NAMED_EVENT_KINDS
from .models import Attachment, Conversation, Message, Participant


@dataclass
class Thread:
    """A conversation as one viewer sees it."""

    conversation: Conversation
    viewer: User
    me: Participant | None  # None: a staff member reading someone else's conversation
    partner: Participant | None  # the other person's row (for read receipts)
    unlocked: bool  # a paid order exists between the two: contacts are shown

    @property
    def read_only(self) -> bool:
        return self.me is None

    @property
    def other_user(self) -> User:
        conversation = self.conversation
        if self.me is None:
            return conversation.user_high
        return conversation.user_high if self.viewer.pk == conversation.user_low_id else conversation.user_low


def pair(user_a_id: int, user_b_id: int) -> tuple[int, int]:
    return (user_a_id, user_b_id) if user_a_id < user_b_id else (user_b_id, user_a_id)


def contacts_unlocked(*, user_a_id: int, user_b_id: int) -> bool:
    """Whether any order between the two, either way round, was ever paid."""
    return Order.objects.filter(
        Q(buyer_id=user_a_id, seller_id=user_b_id) | Q(buyer_id=user_b_id, seller_id=user_a_id),
        paid_at__isnull=False,
    ).exists()


def unlocked_partner_ids(*, user: User, partner_ids: set[int]) -> set[int]:
    """Of these people, the ones `user` has a paid order with (one query for an inbox page)."""
    if not partner_ids:
        return set()
    rows = (
        Order.objects.filter(paid_at__isnull=False)
        .filter(Q(buyer=user, seller_id__in=partner_ids) | Q(seller=user, buyer_id__in=partner_ids))
        .values_list("buyer_id", "seller_id")
        .distinct()
    )
    return {seller if buyer == user.pk else buyer for buyer, seller in rows}


def thread_get(*, user: User, conversation_id: int) -> Thread:
    """The conversation for one of its two people, or read-only for staff; else a 404.

    One query brings both participant rows with the conversation (and its order) and the two
    people with their profiles: as the conversation's query joining the people, PostgreSQL
    planned it for 2 ms; as two or three queries, the ORM spent 2 ms more building them. It
    is written out (`_thread_rows`): compiling it as a queryset cost 1.5 ms a page."""
    if not user.is_authenticated:
        raise Http404
    rows = _thread_rows(conversation_id)
    conversation = rows[0].conversation if rows else Conversation.objects.filter(pk=conversation_id).first()
    if conversation is None or (user.pk not in conversation.user_ids and not user.is_staff):
        raise Http404
    by_user = {}
    for row in rows:
        by_user[row.user_id] = row
        if row.user_id == conversation.user_low_id:
            conversation.user_low = row.user
        else:
            conversation.user_high = row.user
    me = by_user.get(user.pk)
    partner = by_user.get(conversation.other_user_id(user.pk)) if me else None
    # An order's thread is between its buyer and its seller: once that order is paid, so is one between them.
    order = conversation.order
    unlocked = (order is not None and order.paid_at is not None) or contacts_unlocked(
        user_a_id=conversation.user_low_id, user_b_id=conversation.user_high_id
    )
    return Thread(conversation=conversation, viewer=user, me=me, partner=partner, unlocked=unlocked)


@functools.cache
def _thread_parts() -> tuple[Columns, ...]:
    from accounts.models import Profile

    return (
        Columns(Participant, "p"), Columns(Conversation, "c"), Columns(Order, "o"),
        Columns(User, "u"), Columns(Profile, "pr"),
    )  # fmt: skip


@functools.cache
def _thread_sql() -> str:
    parts = _thread_parts()
    tables = [part.model._meta.db_table for part in parts]  # the models' own names, no input
    return (
        f"SELECT {', '.join(part.sql for part in parts)} FROM {tables[0]} p"  # noqa: S608
        f" JOIN {tables[1]} c ON c.id = p.conversation_id"
        f" LEFT JOIN {tables[2]} o ON o.id = c.order_id"
        f" JOIN {tables[3]} u ON u.id = p.user_id"
        f" LEFT JOIN {tables[4]} pr ON pr.user_id = u.id"
        " WHERE p.conversation_id = %s ORDER BY p.id"
    )


def _thread_rows(conversation_id: int) -> list[Participant]:
    """The conversation's participant rows, each with the conversation (one instance for
    both, with its order) and its person with their profile, as `select_related` gives them."""
    with connection.cursor() as cursor:
        cursor.execute(_thread_sql(), [conversation_id])
        rows = cursor.fetchall()
    found, conversation = [], None
    for row in rows:
        participant, this_conversation, order, person, profile = split(row, *_thread_parts())
        if conversation is None:
            conversation = this_conversation
            Conversation.order.field.set_cached_value(conversation, order)
        User.profile.related.set_cached_value(person, profile)
        if profile is not None:
            profile.__class__.user.field.set_cached_value(profile, person)
        Participant.conversation.field.set_cached_value(participant, conversation)
        Participant.user.field.set_cached_value(participant, person)
        found.append(participant)
    return found


def direct_conversation_between(*, user_a: User, user_b: User) -> Conversation | None:
    low, high = pair(user_a.pk, user_b.pk)
    return Conversation.objects.filter(user_low_id=low, user_high_id=high, order__isnull=True).first()


def order_conversation(*, order: Order) -> Conversation | None:
    return Conversation.objects.filter(order=order).first()


def thread_messages(
    *, conversation: Conversation, limit: int, before_id: int | None = None
) -> tuple[list[Message], bool]:
    """The newest `limit` messages (older than `before_id` if given), oldest first, and
    whether there are older ones."""
    rows = _with_related(conversation, _message_rows(conversation, before_id=before_id, limit=limit + 1))
    has_older = len(rows) > limit
    return list(reversed(rows[:limit])), has_older


def thread_messages_after(*, conversation: Conversation, after_id: int, limit: int) -> list[Message]:
    """Messages newer than `after_id`, oldest first, at most `limit` (the next poll brings the rest)."""
    return _with_related(conversation, _message_rows(conversation, after_id=after_id, limit=limit))


@functools.cache
def _message_parts() -> tuple[Columns, Columns]:
    from .models import CustomOffer

    return Columns(Message, "m"), Columns(CustomOffer, "co")


def _message_rows(
    conversation: Conversation, *, limit: int, before_id: int | None = None, after_id: int | None = None
) -> list[Message]:
    """Messages of the conversation newest first (or, after `after_id`, oldest first), each
    with its custom offer or None, as `select_related("custom_offer")` gives them. Written
    out like `_thread_rows`: the page and its poll read them on every request."""
    message, offer = _message_parts()
    # Custom offers are sent in direct conversations only: an order's thread joins nothing.
    with_offers = conversation.order_id is None
    columns = f"{message.sql}, {offer.sql}" if with_offers else message.sql
    join = f" LEFT JOIN {offer.model._meta.db_table} co ON co.message_id = m.id" if with_offers else ""
    where, params = "m.conversation_id = %s", [conversation.pk]
    if after_id is not None:
        where, order = where + " AND m.id > %s", "m.id"
        params.append(after_id)
    else:
        order = "m.id DESC"
        if before_id:
            where += " AND m.id < %s"
            params.append(before_id)
    sql = f"SELECT {columns} FROM {message.model._meta.db_table} m{join} WHERE {where} ORDER BY {order} LIMIT %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit])
        rows = cursor.fetchall()
    found = []
    for row in rows:
        if with_offers:
            item, custom_offer = split(row, message, offer)
            Message.custom_offer.related.set_cached_value(item, custom_offer)
            if custom_offer is not None:
                offer.model.message.field.set_cached_value(custom_offer, item)
        else:
            item = message.build(row)
        Message.conversation.field.set_cached_value(item, conversation)
        found.append(item)
    return found


def _with_related(conversation: Conversation, messages: list[Message]) -> list[Message]:
    """What a message shows besides itself, without joining it into the messages query:
    with the senders, the order events and the quoted gigs in the join, PostgreSQL spent
    2-8 ms planning the page's query on the benchmark's data, and under 0.1 ms without.

    - senders: always one of the two people, who came with the conversation (`thread_get`
      reads them with their profiles); anyone else is read in one query;
    - order events: read (with who did it) only for the system lines that name someone;
    - quoted gigs: one query without their description and search vector, if any is quoted.

    Attachments are not read here: a page reads them only for the messages it renders."""
    people = {}
    for field in ("user_low", "user_high"):
        if Conversation._meta.get_field(field).is_cached(conversation):
            person = getattr(conversation, field)
            people[person.pk] = person
    strangers = {m.sender_id for m in messages if m.sender_id and m.sender_id not in people}
    if strangers:
        people.update(User.objects.select_related("profile").in_bulk(strangers))
    for message in messages:
        if message.sender_id:
            Message.sender.field.set_cached_value(message, people[message.sender_id])
        if conversation.order_id is not None:  # no offers in an order's thread: none to look for
            Message.custom_offer.related.set_cached_value(message, None)
    named = [m for m in messages if m.system_kind in NAMED_EVENT_KINDS]
    if named:
        prefetch_related_objects(
            named, Prefetch("order_event", queryset=OrderEvent.objects.select_related("actor__profile"))
        )
    quoting = [m for m in messages if m.gig_id]
    if quoting:
        prefetch_related_objects(quoting, Prefetch("gig", queryset=Gig.objects.defer("description", "search_vector")))
    return messages


def own_messages_seen_between(*, conversation: Conversation, user: User, after_id: int, up_to_id: int) -> list[int]:
    """Ids of `user`'s messages the other person read since the page last looked (for the ticks)."""
    if up_to_id <= after_id:
        return []
    return list(
        Message.objects.filter(conversation=conversation, sender=user, pk__gt=after_id, pk__lte=up_to_id)
        .order_by("-id")
        .values_list("pk", flat=True)[:50]
    )


def _unread_count_subquery(user: User) -> Subquery:
    return Subquery(
        Message.objects.filter(
            conversation=OuterRef("conversation_id"), pk__gt=OuterRef("last_read_id"), sender__isnull=False
        )
        .exclude(sender_id=user.pk)
        .order_by()
        .values("conversation")
        .annotate(n=Count("id"))
        .values("n")
    )


def inbox(*, user: User, query: str = "") -> QuerySet:
    """The user's conversations, newest first, each with its unread count; `query` searches
    the other person's name, the order, and the text as this user sees it."""
    rows = (
        Participant.objects.filter(user=user, last_message_at__isnull=False)
        .select_related(
            "partner__profile", "conversation__order", "conversation__last_message__sender",
            "conversation__last_message__order_event__actor__profile",
        )
        .annotate(unread=Coalesce(_unread_count_subquery(user), 0))
        .order_by("-last_message_at", "-id")
    )  # fmt: skip
    query = query.strip()
    if query:
        # Hidden contacts are not searchable by the person they are hidden from.
        text_match = Message.objects.filter(conversation=OuterRef("conversation_id")).filter(
            Q(body_masked__icontains=query) | Q(sender=user, body__icontains=query)
        )
        condition = (
            Q(partner__username__icontains=query)
            | Q(partner__profile__display_name__icontains=query)
            | Q(conversation__order__gig_title__icontains=query)
            | Exists(text_match)
        )
        order_id = parse_int(query.lstrip("#"), minimum=1, maximum=2**63 - 1)
        if order_id is not None:
            condition |= Q(conversation__order_id=order_id)
        rows = rows.filter(condition)
    return rows


# The header shows "99+" past 99: counting stops at 100.
UNREAD_COUNTED_UP_TO = 100

# The header shows this count on every page of a signed-in person. Only the conversations
# where the partner wrote after the read mark are looked into (`last_incoming_id`, a partial
# index), each by an index range on (conversation, id): a seller with a thousand finished
# order threads, each ending with a system line, cost 4 ms a page while every conversation
# whose last message was past the mark was counted. Plain SQL: the same query built with the
# ORM cost 3 ms of Python on every page, ten times what running it costs.
_UNREAD_TOTAL_SQL = """
    SELECT COUNT(*) FROM (
        SELECT 1
        FROM messaging_participant p
        JOIN messaging_message m ON m.conversation_id = p.conversation_id AND m.id > p.last_read_id
        WHERE p.user_id = %s AND p.last_incoming_id > p.last_read_id
          AND m.sender_id IS NOT NULL AND m.sender_id <> %s
        LIMIT %s
    ) counted
"""


def header_counts(*, user: User) -> dict[str, int]:
    """Everything the signed-in header counts, in one round trip: the orders waiting for the
    person (`orders.selectors.orders_header_counts`), their unread messages (`unread_total`)
    and their unread notifications (`notifications.selectors.unread_count`). Every signed-in
    page asks; each round trip to the database cost 0.8 ms on the benchmark's machine."""
    from notifications.selectors import unread_count_sql
    from orders.selectors import orders_header_counts_sql

    orders_sql, orders_params = orders_header_counts_sql(user=user)
    bell_sql, bell_params = unread_count_sql(user=user)
    sql = f"SELECT counts.buying, counts.selling, ({_UNREAD_TOTAL_SQL}), ({bell_sql}) FROM ({orders_sql}) counts"  # noqa: S608 - our own statements
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, user.pk, UNREAD_COUNTED_UP_TO, *bell_params, *orders_params])
        buying, selling, unread, bell = cursor.fetchone()
    return {"buying": int(buying or 0), "selling": int(selling or 0), "unread": int(unread), "notifications": int(bell)}


def unread_total(*, user: User) -> int:
    """Messages from other people that `user` has not read, over all conversations (one
    query), counted up to UNREAD_COUNTED_UP_TO."""
    with connection.cursor() as cursor:
        cap = UNREAD_COUNTED_UP_TO
        cursor.execute(_UNREAD_TOTAL_SQL, [user.pk, user.pk, cap])
        return int(cursor.fetchone()[0])


def message_get_for_user(*, user: User, message_id: int) -> Message:
    message = Message.objects.select_related("conversation").filter(pk=message_id).first()
    if message is None or not _may_read(user, message.conversation):
        raise Http404
    return message


def attachment_get_for_user(*, user: User, attachment_id: int) -> Attachment:
    attachment = Attachment.objects.select_related("message__conversation").filter(pk=attachment_id).first()
    if attachment is None or not _may_read(user, attachment.message.conversation):
        raise Http404
    return attachment


def _may_read(user: User, conversation: Conversation) -> bool:
    return user.is_authenticated and (user.pk in conversation.user_ids or user.is_staff)


def gig_for_quote(*, gig_id: int | None, user_ids: tuple[int, int]) -> Gig | None:
    """A gig to quote in a message: an active gig of one of the two people."""
    if not gig_id:
        return None
    return Gig.objects.filter(pk=gig_id, status=Gig.Status.ACTIVE, seller_id__in=user_ids).first()


def email_preference(*, user: User) -> bool:
    preference = getattr(user, "messaging_preference", None)
    return True if preference is None else preference.email_notifications


def user_get_for_message(*, username: str) -> User:
    user = User.objects.select_related("profile").filter(username__iexact=username, is_active=True).first()
    if user is None:
        raise Http404
    return user


def first_response_minutes(*, user: User, limit: int = 100) -> int | None:
    """How long, on average, `user` takes to answer the first message of a new conversation
    (the last `limit` conversations others started with them); None with nothing to measure."""
    from django.db.models import OuterRef, Q, Subquery

    started_by_others = Message.objects.filter(conversation=OuterRef("pk"), sender__isnull=False).order_by(
        "created_at", "id"
    )
    rows = (
        Conversation.objects.filter(Q(user_low=user) | Q(user_high=user), order__isnull=True)
        .annotate(
            first_sender=Subquery(started_by_others.values("sender_id")[:1]),
            first_at=Subquery(started_by_others.values("created_at")[:1]),
        )
        .exclude(first_sender=user.pk)
        .annotate(
            reply_at=Subquery(
                Message.objects.filter(conversation=OuterRef("pk"), sender=user, created_at__gte=OuterRef("first_at"))
                .order_by("created_at")
                .values("created_at")[:1]
            )
        )
        .filter(reply_at__isnull=False)
        .order_by("-first_at")
        .values_list("first_at", "reply_at")[:limit]
    )
    delays = [(reply - first).total_seconds() / 60 for first, reply in rows]
    return round(sum(delays) / len(delays)) if delays else None


def custom_offer_get_for_user(*, user: User, offer_id: int):
    """A custom offer for its client or its freelancer; anyone else gets a 404."""
    from .models import CustomOffer

    offer = CustomOffer.objects.filter(pk=offer_id).filter(Q(buyer=user) | Q(seller=user)).first()
    if offer is None:
        raise Http404
    return offer


def order_thread_evidence(order: Order) -> list:
    """The files sent in the order's thread (and in the pair's conversation before it), for the
    dispute page in admin; each link is the access-checked download (staff may read threads)."""
    user_low, user_high = pair(order.buyer_id, order.seller_id)
    direct = Q(
        message__conversation__user_low_id=user_low,
        message__conversation__user_high_id=user_high,
        message__conversation__order__isnull=True,
    )
    attachments = (
        Attachment.objects.filter(Q(message__conversation__order_id=order.pk) | direct)
        .select_related("message")
        .order_by("pk")
    )
    source = _("Message")
    return [
        EvidenceFile(
            a.message.sender_id, a.name, a.size, reverse("messaging:attachment", args=[a.pk]), source, a.created_at
        )
        for a in attachments
    ]
