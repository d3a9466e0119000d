"""A unique constraint whose index also carries other columns where the
database has covering indexes.

Django's ``UniqueConstraint(include=…)`` makes no constraint at all on a
database without covering indexes (SQLite), which would drop the uniqueness
with the extra columns. ``CoveringUnique`` is the plain unique constraint
there, and ``UNIQUE (…) INCLUDE (…)`` on PostgreSQL.
"""

from typing import Any

from django.core.checks import CheckMessage
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.models import Model, UniqueConstraint


class CoveringUnique(UniqueConstraint):
    def _here(self, connection: BaseDatabaseWrapper) -> UniqueConstraint:
        """The constraint this database gets: without ``include`` if it
        cannot carry columns in an index."""
        if not self.include or connection.features.supports_covering_indexes:
            return UniqueConstraint(
                fields=self.fields, name=self.name, include=self.include
            )
        return UniqueConstraint(fields=self.fields, name=self.name)

    def check(
        self, model: type[Model], connection: BaseDatabaseWrapper
    ) -> list[CheckMessage]:
        return self._here(connection).check(model, connection)

    def constraint_sql(
        self, model: type[Model], schema_editor: BaseDatabaseSchemaEditor
    ) -> Any:
        return self._here(schema_editor.connection).constraint_sql(model, schema_editor)

    def create_sql(
        self, model: type[Model], schema_editor: BaseDatabaseSchemaEditor
    ) -> Any:
        return self._here(schema_editor.connection).create_sql(model, schema_editor)

    def remove_sql(
        self, model: type[Model], schema_editor: BaseDatabaseSchemaEditor
    ) -> Any:
        return self._here(schema_editor.connection).remove_sql(model, schema_editor)
