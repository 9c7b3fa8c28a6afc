"""Property tests: any sequence of user actions keeps state == replay of the history."""
from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.domain import reference
from tracker.domain.model import CaseModel
from tracker.domain.workflow import EVENTS, REGISTRATION_STATES, STATES, WORKFLOW
from tracker.errors import TrackerError
from tracker.services import cases as service
from tracker.services import ce, notices, registration
from tracker.services.context import Context
from tracker.services.sweep import sweep as run_sweep
from tracker.store import Database
from tracker.store import cases as store

from .conftest import ID_LI, ID_ZHANG

#: Data that makes most events possible when their guards allow.
EVENT_DATA = {
    "record_subject_pass": {"subjects": "all", "exam_year": "2026"},
    "open_review": {"review_deadline": "2026-12-01"},
    "book_paper_appointment": {"appointment": "2026-12-03 09:30"},
    "download_ecert": {"certificate_issued_on": "2018-06-30"},
    "apply_registration": {"certificate_issued_on": "2026-01-10"},
    "approve_registration": {"registration_no": "沪2320000001", "approved_on": "2026-11-01"},
    "change_registration": {"employer": "新单位"},
    "change_personal_data": {"name": "张维"},
    "apply_renewal": {"ce_hours": "120", "late": "true"},
    "approve_renewal": {"approved_on": "2026-11-20"},
    "deregister": {"deregistered_on": "2026-11-24"},
    "record_seal": {"seal_no": "沪印1"},
    # rules of time, part 1 (R2a, R3b, R3c, R6a, R14a)
    "record_subject_fail": {"failed_subjects": "management", "exam_year": "2026",
                            "absent": "true"},
    "request_supplement": {"review_deadline": "2026-12-20"},
    "restart_exam": {"exam_year": "2027"},
    "receive_by_mail": {"postage": "22", "certificate_no": "沪2026000001"},
    "update_contact": {"phone": "13800138000", "contact_confirmed_on": "2026-11-25"},
}
#: Events that take a note when their data is given (a late renewal needs one, R9a; a
#: revocation says why, R1a).
NOTED = {"add_note", "revoke_certificate", "apply_renewal", "reject_renewal"}

action = st.one_of(
    st.tuples(st.just("event"), st.integers(0, 1), st.sampled_from(sorted(EVENTS)),
              st.booleans()),
    st.tuples(st.just("material"), st.integers(0, 1), st.sampled_from(sorted(reference.MATERIALS)),
              st.booleans()),
    # R7d: a labour contract with another employer (the one change_registration names).
    st.tuples(st.just("contract"), st.integers(0, 1), st.just("新单位"), st.booleans()),
    # R9c: a continuing-education course, on a day that may lie in the period or not.
    st.tuples(st.just("course"), st.integers(0, 1), st.just(""), st.integers(0, 2000)),
    st.tuples(st.just("undo"), st.integers(0, 1), st.just(""), st.just(False)),
    st.tuples(st.just("day"), st.integers(0, 1), st.just(""), st.integers(1, 400)),
    # an exam notice with its sitting (R2a), and the daily sweep that voids passes
    st.tuples(st.just("sitting"), st.integers(0, 1), st.just(""), st.integers(2025, 2028)),
    st.tuples(st.just("sweep"), st.integers(0, 1), st.just(""), st.just(False)),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(action, min_size=1, max_size=40), st.sampled_from(sorted(STATES)))
def test_state_always_equals_the_replay_of_history(actions, start):
    with tempfile.TemporaryDirectory() as folder:
        database = Database(Path(folder) / "p.db")
        ctx = Context(db=database, today=date(2026, 11, 25), actor="prop")
        ids = [service.add_case(ctx, name="张伟", id_number=ID_ZHANG, company="申建", state=start),
               service.add_case(ctx, name="李娜", id_number=ID_LI)]
        for kind, which, name, flag in actions:
            case_id = ids[which]
            try:
                if kind == "event":
                    service.fire_event(ctx, case_id, name,
                                       data=EVENT_DATA.get(name, {}) if flag else {},
                                       note="note" if name in NOTED and flag
                                       or name == "add_note" else None)
                elif kind == "material":
                    service.set_material(ctx, case_id, name, received=flag)
                elif kind == "contract":
                    service.set_material(ctx, case_id, "labour_contract", received=flag,
                                         employer=name)
                elif kind == "course":
                    ce.add_course(ctx, case_id, hours=8, provider="（测试）",
                                  taken_on=ctx.today - timedelta(days=flag))
                elif kind == "undo":
                    service.undo(ctx, case_id)
                elif kind == "sitting":
                    notices.add_notice(ctx, kind="exam", exam_year=flag,
                                       sitting=date(flag, 6, 7))
                elif kind == "sweep":
                    run_sweep(ctx)
                else:
                    ctx.today = ctx.today + timedelta(days=flag)
            except TrackerError:
                pass  # a refusal changes nothing (checked below through the replay)
        for case_id in ids:
            row = store.get_case(database, case_id)
            assert row["state"] in STATES
            assert service.replay_state(store.history(database, case_id)) == row["state"]
            # R7b: a registration is on view only in the registration states (a revoked
            # certificate keeps what it had); one that ended is an earlier registration.
            if row["state"] not in (*REGISTRATION_STATES, "certificate_revoked"):
                assert registration.current_registration(row) is None, row["state"]
            # R9c: the period's hours as the case view sums them and as the service does.
            assert ce.summary(ctx, case_id).total == row["ce_period_hours"]
        database.close()


@given(st.sampled_from(sorted(STATES)), st.sampled_from(sorted(EVENTS)),
       st.frozensets(st.sampled_from(sorted(reference.MATERIALS))))
def test_the_machine_never_reaches_an_unknown_state(state, event, materials):
    model = CaseModel(state=state, today=date(2026, 11, 25), materials=materials,
                      company="申建",
                      case={"valid_until": "2026-01-01", "review_deadline": "2026-01-01"})
    if event not in WORKFLOW.allowed_events(state):
        return
    outcome = WORKFLOW.fire(model, event, EVENT_DATA.get(event, {}) | {"_note": "n"})
    assert model.state in STATES
    assert outcome.ok or outcome.refusals  # a refusal always says why
    if not outcome.ok:
        assert model.state == state
