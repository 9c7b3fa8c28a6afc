"""No lost update (issue 16, "Many at once"): a case changed by someone else since it was
read is refused with the reason, never overwritten. Each case carries a version that
every write of the case moves on; the write names the version it read.

PostgreSQL: two officers, two roles, two connections, both reading the case before
either writes (READ COMMITTED lets both read; the second UPDATE waits for the first to
commit, then finds the version moved). SQLite lets one writer in at a time, so the two
cannot both read inside their transactions: there the reader of a case (the dashboard)
fires with the version it showed, after another connection changed it.
"""
from __future__ import annotations

import threading

import pytest
from conftest import ID_LI, ID_ZHANG, TODAY

from tracker.errors import TrackerError
from tracker.services import cases as service
from tracker.services.context import Context
from tracker.store import cases as store
from tracker.store.db import open_database

BOTH_ENGINES = True


def _officers(url: str) -> tuple[str, str]:
    """`admin init` and two officers of the same company: their URLs."""
    from pg import url_as

    from tracker.services import admin

    admin.init(url)
    for name in ("曾丽", "单强"):
        admin.add_officer(url, name, ["一公司"])
    return url_as(url, "曾丽"), url_as(url, "单强")


def _context(target) -> Context:
    return Context(db=open_database(target), today=TODAY, actor="tester", today_pinned=True)


def test_a_case_changed_since_it_was_read_is_refused_not_overwritten(ctx, db_target, lang_both):
    case_id = service.add_case(ctx, name="张伟", id_number=ID_ZHANG, company="一公司")
    shown = service.case_version(ctx, case_id)  # what the officer's screen was built from
    other = _context(db_target)
    try:
        service.fire_event(other, case_id, "open_review", data={"review_deadline": "2026-12-20"})
    finally:
        other.db.close()
    with pytest.raises(TrackerError) as refused:
        service.fire_event(ctx, case_id, "open_review", data={"review_deadline": "2027-01-05"},
                           read_version=shown)
    assert refused.value.key == "case_changed_meanwhile"
    row = store.get_case(ctx.db, case_id)
    assert (row["state"], row["review_deadline"]) == ("review_pending", "2026-12-20")
    assert [h["event"] for h in store.history(ctx.db, case_id)] == ["create", "open_review"]
    words = {"zh": "已被其他人修改", "en": "changed by someone else"}[lang_both]
    from tracker.services.failures import explain

    assert words in explain(refused.value).message()


def test_the_version_read_in_the_same_transaction_still_wins_on_sqlite(ctx):
    """Without a version from the screen the write checks what it read itself."""
    case_id = service.add_case(ctx, name="张伟", id_number=ID_ZHANG)
    before = service.case_version(ctx, case_id)
    service.fire_event(ctx, case_id, "open_review", data={"review_deadline": "2026-12-20"})
    assert service.case_version(ctx, case_id) == before + 1


def test_two_officers_fire_at_once_one_wins_the_other_is_told(pg_url, monkeypatch):
    first, second = _officers(pg_url)
    with open_database(pg_url) as owner:
        owner_ctx = Context(db=owner, today=TODAY, today_pinned=True)
        case_id = service.add_case(owner_ctx, name="李娜", id_number=ID_LI, company="一公司")
    both_read = threading.Barrier(2, timeout=30)
    real_outcome = service._outcome

    def outcome_after_both_read(*args, **kwargs):
        both_read.wait()  # each has read the case inside its transaction
        return real_outcome(*args, **kwargs)

    monkeypatch.setattr(service, "_outcome", outcome_after_both_read)
    results: dict[str, object] = {}

    def fire(name: str, url: str, deadline: str) -> None:
        context = _context(url)
        try:
            service.fire_event(context, case_id, "open_review",
                               data={"review_deadline": deadline})
            results[name] = "applied"
        except TrackerError as error:
            results[name] = error.key
        finally:
            context.db.close()

    threads = [threading.Thread(target=fire, args=("曾丽", first, "2026-12-20")),
               threading.Thread(target=fire, args=("单强", second, "2027-01-05"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(results.values()) == ["applied", "case_changed_meanwhile"]
    winner = next(name for name, outcome in results.items() if outcome == "applied")
    with open_database(pg_url) as owner:
        history = store.history(owner, case_id)
        row = store.get_case(owner, case_id)
    assert [(h["event"], h["actor"]) for h in history][1:] == [("open_review", winner)]
    assert row["review_deadline"] == {"曾丽": "2026-12-20", "单强": "2027-01-05"}[winner]


@pytest.fixture(params=["zh", "en"])
def lang_both(request):
    from tracker import i18n

    i18n.set_lang(request.param)
    return request.param


def test_a_case_named_twice_in_one_bulk_is_not_its_own_conflict(ctx):
    case_id = service.add_case(ctx, name="张伟", id_number=ID_ZHANG)
    before = service.case_version(ctx, case_id)
    result = service.fire_bulk(ctx, [case_id, case_id], "add_note", note="两次")
    assert len(result.applied) == 2 and not result.refused
    assert service.case_version(ctx, case_id) == before + 2
