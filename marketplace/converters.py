"""URL converters.

`id`: a database id in an address. Django's `int` takes any run of digits, and a number past
the 64-bit range then fails in the database (PostgreSQL: "bigint out of range"; SQLite:
OverflowError), a 500. An id that cannot exist does not match the address: a 404.
"""

MAX_ID = 2**63 - 1


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError(value)  # the resolver then tries the next pattern, and answers 404
        return number

    def to_url(self, value) -> str:
        return str(int(value))
