"""Issue 17, class 6: an automatic snapshot is kept only before a write that happened, and
retention keeps distinct contents, so refused actions never push out the way back."""
from __future__ import annotations

import shutil
from datetime import timedelta

from tracker.services import backup as service

from .conftest import ID_LI, ID_ZHANG, make_id
from .reliability_support import digest


def snapshots(db_path, reason: str | None = None):
    return [s.path for s in service.snapshots(db_path) if reason in (None, s.reason)]


def people(run):
    for name, number, no in (("曾国藩", ID_ZHANG, "E1"), ("单田芳", ID_LI, "E2")):
        assert run("add", "--name", name, "--id-number", number, "--employee-no", no).code == 0


def test_refused_imports_and_bulk_events_keep_no_snapshot_and_push_out_none(run, db_path,
                                                                          tmp_path):
    people(run)
    before_bulk = digest(db_path)
    assert run("bulk", "open_review", "--state", "exam_passed",
               "--set", "review_deadline=2026-12-20").code == 0
    [bulk] = snapshots(db_path, "bulk")
    bad = tmp_path / "bad.csv"
    bad.write_text("工号,姓名,身份证号\nE9,解缙,110101199003070000\n", encoding="utf-8")
    for _ in range(12):  # more than backups_keep (10)
        assert run("import", str(bad)).code == 2  # every row refused: nothing written
    # A bulk event every case refuses commits nothing either.
    assert run("bulk", "open_review", "--state", "review_pending",
               "--set", "review_deadline=2026-12-21").code == 2
    assert snapshots(db_path) == [bulk] and digest(bulk) == before_bulk
    # No temporary copy is left behind either.
    assert sorted(p.name for p in bulk.parent.iterdir()) == [bulk.name]


def test_retention_keeps_the_newest_distinct_contents(run, db_path, tmp_path):
    (db_path.parent / "rules.toml").write_text("backups_keep = 3\n", encoding="utf-8")
    people(run)
    staff = tmp_path / "staff.csv"
    for round_, name in enumerate(("仇英", "曾巩", "单雄信")):
        staff.write_text(f"工号,姓名,身份证号\nN{round_},{name},"
                         f"{make_id(f'3101121975030112{round_}')}\n", encoding="utf-8")
        assert run("import", str(staff)).code == 0
    distinct = sorted(digest(p) for p in snapshots(db_path, "import"))
    assert len(set(distinct)) == 3
    # Two newer automatic snapshots holding the same bytes as the newest one (as a change
    # that commits nothing new leaves): copies are no way back of their own, and must
    # not push out the two older, distinct ones.
    newest = service.snapshots(db_path)[-1]
    for n in (1, 2):
        stamp = (newest.taken + timedelta(seconds=n)).strftime("%Y%m%dT%H%M%S.%f")
        shutil.copyfile(newest.path, newest.path.parent / f"tracker.{stamp}.bulk.db")
    removed = service.prune(db_path, 3)
    kept = snapshots(db_path)
    assert len(kept) == 3 and len(removed) == 2
    assert sorted(digest(p) for p in kept) == distinct
