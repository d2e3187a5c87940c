"""Model instances from a hand-written join, for the few queries that run on every request.

The ORM compiles a queryset anew on each request: for the thread page's five-table
`select_related` (about 110 columns) that cost more Python time (1.5 ms) than PostgreSQL
took to plan and run it. Here the column list is built once per process from the models'
own fields, so a new field is read without anyone editing the SQL, and each row becomes
instances through `Model.from_db` with the same database converters the ORM applies.
"""

from __future__ import annotations

from django.db import connection


class Columns:
    """Every concrete column of `model` (or those named in `only`, by attribute name: the
    others are deferred, as `.only()` leaves them) under a table alias, and the instance
    from a row."""

    def __init__(self, model, alias: str, only: tuple[str, ...] | None = None):
        self.model = model
        self.alias = alias
        self.fields = [field for field in model._meta.concrete_fields if only is None or field.attname in only]
        self.attnames = [field.attname for field in self.fields]
        self.pk_position = self.fields.index(model._meta.pk)
        quote = connection.ops.quote_name
        self.sql = ", ".join(f"{quote(alias)}.{quote(field.column)}" for field in self.fields)
        self._converters = None

    def __len__(self) -> int:
        return len(self.fields)

    def converters(self) -> list[tuple]:
        """(position, converters, expression) for the columns that need converting, as
        `SQLCompiler.get_converters` finds them."""
        if self._converters is None:
            found = []
            for position, field in enumerate(self.fields):
                expression = field.get_col(self.alias)
                functions = connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
                if functions:
                    found.append((position, functions, expression))
            self._converters = found
        return self._converters

    def build(self, values):
        """The instance of this row's slice, or None for the empty side of an outer join."""
        values = list(values)
        if values[self.pk_position] is None:
            return None
        for position, functions, expression in self.converters():
            value = values[position]
            for function in functions:
                value = function(value, expression, connection)
            values[position] = value
        return self.model.from_db(connection.alias, self.attnames, values)


def split(row, *parts: Columns) -> list:
    """The instances of each part, left to right, from one row of their joined columns."""
    found, start = [], 0
    for part in parts:
        found.append(part.build(row[start : start + len(part)]))
        start += len(part)
    return found
