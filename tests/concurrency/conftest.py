import pytest
from django.conf import settings


@pytest.fixture(autouse=True)
def _needs_postgres():
    # Real row locks and real parallel transactions: SQLite serialises every writer.
    if not settings.USING_POSTGRES:
        pytest.skip("concurrency tests need PostgreSQL: run with DATABASE_URL=postgres://...")
