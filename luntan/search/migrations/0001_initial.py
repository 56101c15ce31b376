"""Create the search index table for the database in use.

SQLite: an FTS5 virtual table ``search_fts(title, body)`` (``unicode61`` tokenizer over
pre-segmented tokens, rowid = post id). PostgreSQL: ``search_postvector(post_id, vector)``
with a GIN index. Other databases get no table (a configured external backend is used).
"""

from django.db import migrations

SQLITE_UP = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
    "title, body, tokenize = 'unicode61 remove_diacritics 0')",
]
SQLITE_DOWN = ["DROP TABLE IF EXISTS search_fts"]
POSTGRES_UP = [
    "CREATE TABLE IF NOT EXISTS search_postvector ("
    "post_id bigint PRIMARY KEY, vector tsvector NOT NULL)",
    "CREATE INDEX IF NOT EXISTS search_postvector_gin ON search_postvector USING gin (vector)",
]
POSTGRES_DOWN = ["DROP TABLE IF EXISTS search_postvector"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        ),
    ]
