"""PostgreSQL: a ``title`` tsvector with its own GIN index, and the post time in the index.

The title scope used to filter the weight-A lexemes of ``vector``; weights are not in the
GIN index, so every candidate row was re-checked on the heap. The new column holds the
subject's lexemes (weight A, as in ``vector``) for floor-1 posts and NULL otherwise; a
partial GIN index covers the non-NULL rows. Existing rows are filled from ``vector``'s
weight-A lexemes (``ts_filter``), so no rebuild is needed. ``created`` (the post's time,
copied from the posts table, with a b-tree index) lets ``order=time`` search windows of
time inside the index table. SQLite: nothing to do.
"""

from django.db import migrations

POSTGRES_UP = [
    "ALTER TABLE search_postvector ADD COLUMN IF NOT EXISTS title tsvector",
    "UPDATE search_postvector SET title = ts_filter(vector, '{a}') "
    "WHERE length(ts_filter(vector, '{a}')) > 0",
    "CREATE INDEX IF NOT EXISTS search_postvector_title_gin ON search_postvector "
    "USING gin (title) WHERE title IS NOT NULL",
    "ALTER TABLE search_postvector ADD COLUMN IF NOT EXISTS created timestamptz",
    "UPDATE search_postvector d SET created = p.created FROM threads_post p WHERE p.id = d.post_id",
    "CREATE INDEX IF NOT EXISTS search_postvector_created ON search_postvector (created)",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS search_postvector_created",
    "ALTER TABLE search_postvector DROP COLUMN IF EXISTS created",
    "DROP INDEX IF EXISTS search_postvector_title_gin",
    "ALTER TABLE search_postvector DROP COLUMN IF EXISTS title",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial"), ("threads", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_UP}),
            _run({"postgresql": POSTGRES_DOWN}),
        ),
    ]
