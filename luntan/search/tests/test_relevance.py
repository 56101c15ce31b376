"""The relevance set: fixed corpus + queries with expected threads; precision@5 and recall
must not drop below the values recorded in ``relevance/queries.json``.

Run ``pytest luntan/search/tests/test_relevance.py -s`` to print the per-query figures.
(The imported seed thread joins the set once the Discuz! importer lands; ``police_open``
in the corpus carries the same 开门评警 / 走访 text meanwhile.)
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from luntan.search.tests.helpers import add_reply, days_ago, make_board, make_thread, make_user
from luntan.search.tests.helpers import thread_ids as found_threads

HERE = Path(__file__).parent / "relevance"

pytestmark = pytest.mark.django_db


def load_corpus(committed) -> dict[str, int]:
    """Write corpus.json through the services; returns thread key → thread id."""
    corpus = json.loads((HERE / "corpus.json").read_text(encoding="utf-8"))
    boards: dict[str, object] = {}
    author = make_user("语料作者")
    keys: dict[str, int] = {}
    with committed():
        for item in corpus["threads"]:
            board = boards.get(item["board"]) or make_board(item["board"])
            boards[item["board"]] = board
            when = days_ago(item["days_ago"])
            thread = make_thread(
                board, author=author, subject=item["subject"], body=item["body"], now=when
            )
            for text in item["replies"]:
                add_reply(thread, text, author=author, now=when)
            keys[item["key"]] = thread.pk
    return keys


def evaluate(keys: dict[str, int]) -> tuple[float, float, list[str]]:
    """Mean precision@5 and recall over queries.json, plus one report line per query."""
    spec = json.loads((HERE / "queries.json").read_text(encoding="utf-8"))
    by_id = {v: k for k, v in keys.items()}
    precisions, recalls, lines = [], [], []
    for query in spec["queries"]:
        expected = set(query["expected"])
        got = [by_id[t] for t in found_threads(query["q"])]
        top = got[:5]
        if top:
            precision = sum(1 for k in top if k in expected) / len(top)
        else:
            precision = 1.0 if not expected else 0.0
        recall = len(expected & set(got)) / len(expected) if expected else 1.0
        precisions.append(precision)
        recalls.append(recall)
        lines.append(f"{query['q']!r:24} P@5={precision:.2f} R={recall:.2f} top={top}")
    return sum(precisions) / len(precisions), sum(recalls) / len(recalls), lines


def test_relevance_set_meets_recorded_precision_and_recall(committed):
    spec = json.loads((HERE / "queries.json").read_text(encoding="utf-8"))
    assert len(spec["queries"]) >= 40
    precision, recall, lines = evaluate(load_corpus(committed))
    print("\n".join(lines))
    print(f"precision@5={precision:.4f} recall={recall:.4f} over {len(lines)} queries")
    recorded = spec["recorded"]
    assert precision >= recorded["precision_at_5"] - 1e-9
    assert recall >= recorded["recall"] - 1e-9
