"""The project's one fragment cache: pieces of HTML that every visitor who gets them sees alike.

The rule: a cached fragment never holds anything specific to the visitor (a name, a
counter, a favourite's state, a form with a CSRF token), and nothing is put into it after it
is read: what differs per visitor is rendered outside the fragment, or loaded by htmx. So a
fragment's key names only what it shows (the content's `updated_at`, the language, the
address for the catalog's side panel) and, where a change has no timestamp of its own to put
in the key (a category renamed, a seller's new name), a *generation* of that group of data.

Generations live in the shared cache (Redis in production), so one `generation_bump` is seen
by the next request of every process, though the fragment itself may sit in a process's own
"local" cache: the key changes, the old copy is never read again and expires.

While Redis does not answer, the shared cache fails soft (marketplace/cache.py): a generation
reads as missing, and the one taken from the clock instead cannot be stored, so it is new on
every request: every key is new, the page is rendered, never served stale, and the "local"
cache keeps nothing meanwhile. A bump that could not reach Redis is replayed as a delete once
it answers, so a Redis that kept its data never brings the old generation back.

Templates use Django's `{% cache %}` with a generation among its vary-on values:

    {% generation "categories" as categories_gen %}
    {% cache 300 header_menu LANGUAGE_CODE categories_gen using="local" %}...{% endcache %}

Python code builds keys with `fragment_key` and reads and writes through Django's cache API.
"""

from __future__ import annotations

import logging
import time

from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.db import transaction

logger = logging.getLogger(__name__)

# The groups whose changes have no timestamp of their own in the fragments that show them.
CATEGORIES = "categories"


def person_group(user_id: int) -> str:
    """What other people see of a person: name, avatar, headline, level, last seen."""
    return f"person:{user_id}"


def gig_group(gig_id: int) -> str:
    """A gig page's fragments: a new thumbnail, a seller's reply or a portfolio work linked to
    the gig moves no `updated_at` of the gig."""
    return f"gig:{gig_id}"


def _key(group: str) -> str:
    return f"fragments:generation:{group}"


def generations(*groups: str, request=None) -> dict[str, int]:
    """The current generation of each group, in one round trip to the shared cache (and
    remembered on the request, so a page asks at most once per group)."""
    memo = getattr(request, "_fragment_generations", None) if request is not None else None
    if memo is None:
        memo = {}
        if request is not None:
            request._fragment_generations = memo
    wanted = [group for group in groups if group not in memo]
    if wanted:
        try:
            found = cache.get_many([_key(group) for group in wanted])
        except Exception:
            # Without the shared cache nothing can be cached safely: a value nobody else has
            # makes every key new, so the page is rendered, never served stale.
            logger.warning("Fragment generations could not be read", exc_info=True)
            found = None
        for group in wanted:
            if found is None:
                memo[group] = -time.monotonic_ns()
                continue
            value = found.get(_key(group))
            if value is None:
                # A generation lost to eviction or a restart starts again from the clock, so a
                # number already used (and a fragment kept under it) never comes back.
                value = time.time_ns()
                if not cache.add(_key(group), value, timeout=None):
                    value = cache.get(_key(group), value)
            memo[group] = value
    return {group: memo[group] for group in groups}


def generation(group: str, request=None) -> int:
    return generations(group, request=request)[group]


def generation_bump(group: str) -> None:
    """Forget every fragment of this group in every process: now, and again after the
    transaction commits (a request rendering in between would cache the old rows)."""

    def bump():
        try:
            cache.incr(_key(group))
        except ValueError:  # not there: any new value is a new generation
            cache.set(_key(group), time.time_ns(), timeout=None)
        except Exception:
            logger.warning("Fragment generation %s could not be moved", group, exc_info=True)

    bump()
    transaction.on_commit(bump)


def fragment_key(name: str, *vary_on) -> str:
    """The key `{% cache %}` would use for this fragment name and these values."""
    return make_template_fragment_key(name, [str(value) for value in vary_on])
