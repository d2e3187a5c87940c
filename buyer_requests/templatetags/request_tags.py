"""Template helpers of buyer requests: the invite button's choices."""

from django import template

from buyer_requests import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def invite_targets(context, person) -> list:
    """The viewer's active requests `person` could be invited to; empty for anyone else."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or person is None:
        return []
    return selectors.requests_to_invite(client=user, freelancer=person)
