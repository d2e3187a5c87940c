"""Refuse control characters at the edge, once, for every view.

A NUL byte cannot be stored by PostgreSQL (text and JSON refuse it: a 500 deep in a
service), and no address, query value or form field of ours has a use for one, nor for the
other C0 control characters and DEL. Form fields and query values keep tab, line feed and
carriage return (text areas have lines, and a pasted search may carry them); the path
keeps nothing. The request is answered
400 before any view or service sees it, so nothing is half saved.
"""

import re

from django.core.exceptions import BadRequest

# C0 controls and DEL; in form fields and query values, tab, LF and CR are text.
_IN_ADDRESS = re.compile(r"[\x00-\x1f\x7f]")
_IN_FIELD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class RejectControlCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _IN_ADDRESS.search(request.path_info):
            raise BadRequest("control character in the address")
        if _any(request.GET, _IN_FIELD):
            raise BadRequest("control character in the query string")
        if request.method == "POST" and request.content_type in FORM_TYPES and _any(request.POST, _IN_FIELD):
            raise BadRequest("control character in a form field")
        return self.get_response(request)


def _any(query, pattern) -> bool:
    return any(pattern.search(key) or any(pattern.search(v) for v in values) for key, values in query.lists())
