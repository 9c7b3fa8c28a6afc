"""Property tests: any sequence of user actions keeps state == replay of the history."""
from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.domain import reference
from tracker.domain.model import CaseModel
from tracker.domain.workflow import EVENTS, STATES, WORKFLOW
from tracker.errors import TrackerError
from tracker.services import cases as service
from tracker.services import notices
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
    "approve_registration": {"registration_no": "沪2320000001"},
    "change_personal_data": {"name": "张维"},
    "apply_renewal": {"ce_hours": "120"},
    # rules of time, part 1 (R2a, R3b, R3c, R6a, R14a)
    "record_subject_fail": {"failed_subjects": "management", "exam_year": "2026",
                            "absent": "true"},
    "request_supplement": {"review_deadline": "2026-12-20"},
    "restart_exam": {"exam_year": "2027"},
    "receive_by_mail": {"postage": "22", "certificate_no": "沪2026000001"},
    "update_contact": {"phone": "13800138000", "contact_confirmed_on": "2026-11-25"},
}
#: Events that need a note (a revocation says why).
NOTED = {"add_note", "revoke_certificate"}

action = st.one_of(
    st.tuples(st.just("event"), st.integers(0, 1), st.sampled_from(sorted(EVENTS)),
              st.booleans()),
    st.tuples(st.just("material"), st.integers(0, 1), st.sampled_from(sorted(reference.MATERIALS)),
              st.booleans()),
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
                                       note="note" if name in NOTED else None)
                elif kind == "material":
                    service.set_material(ctx, case_id, name, received=flag)
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
