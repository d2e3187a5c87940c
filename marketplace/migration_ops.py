"""Migration operations that exist only on PostgreSQL (extensions, GIN indexes, triggers).

SQLite, the embedded default, skips them: it has no such index types, and the code that
needs them checks `connection.vendor` before using them.
"""

from django.db.migrations.operations import RunSQL


class PostgresOnlySQL(RunSQL):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
