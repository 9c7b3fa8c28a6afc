"""The schema, as ordered migrations; the version lives in ``PRAGMA user_version``.

Each migration takes the database from version N-1 to N inside the caller's transaction.
Never edit a released migration: add the next one. A database with a higher version
than `SCHEMA_VERSION` was written by a newer tracker and is refused, never altered.
"""
from __future__ import annotations

import sqlite3

from . import chain

MIGRATIONS: list[str] = [
    # 1: persons, cases, materials, append-only history.
    """
    CREATE TABLE persons (
        id            INTEGER PRIMARY KEY,
        id_number     TEXT NOT NULL UNIQUE,
        name          TEXT NOT NULL,
        name_pinyin   TEXT NOT NULL DEFAULT '' COLLATE NOCASE,
        name_initials TEXT NOT NULL DEFAULT '' COLLATE NOCASE,
        employee_no   TEXT,
        department    TEXT,
        company       TEXT,
        phone         TEXT,
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL
    );
    CREATE INDEX persons_employee_no ON persons(employee_no);
    CREATE INDEX persons_name ON persons(name);
    CREATE INDEX persons_name_pinyin ON persons(name_pinyin);
    CREATE INDEX persons_name_initials ON persons(name_initials);
    CREATE INDEX persons_department ON persons(department);
    CREATE INDEX persons_company ON persons(company);

    CREATE TABLE cases (
        id                       INTEGER PRIMARY KEY,
        person_id                INTEGER NOT NULL REFERENCES persons(id),
        qualification            TEXT NOT NULL DEFAULT 'constructor_grade2',
        specialty                TEXT NOT NULL DEFAULT '',
        state                    TEXT NOT NULL,
        exam_year                INTEGER,
        subjects                 TEXT,
        review_deadline          TEXT,
        review_submitted_on      TEXT,
        review_result_on         TEXT,
        certificate_available_on TEXT,
        appointment              TEXT,
        certificate_no           TEXT,
        certificate_date         TEXT,
        channel                  TEXT,
        channel_proxy            INTEGER NOT NULL DEFAULT 0,
        employer                 TEXT,
        registration_applied_on  TEXT,
        registration_no          TEXT,
        valid_from               TEXT,
        valid_until              TEXT,
        ce_hours                 REAL NOT NULL DEFAULT 0,
        created_at               TEXT NOT NULL,
        updated_at               TEXT NOT NULL,
        UNIQUE (person_id, qualification, specialty)
    );
    CREATE INDEX cases_state ON cases(state);
    CREATE INDEX cases_valid_until ON cases(valid_until);
    CREATE INDEX cases_review_deadline ON cases(review_deadline);

    CREATE TABLE materials (
        case_id     INTEGER NOT NULL REFERENCES cases(id),
        item        TEXT NOT NULL,
        received_on TEXT NOT NULL,
        PRIMARY KEY (case_id, item)
    ) WITHOUT ROWID;

    CREATE TABLE history (
        id         INTEGER PRIMARY KEY,
        case_id    INTEGER NOT NULL REFERENCES cases(id),
        at         TEXT NOT NULL,
        actor      TEXT NOT NULL,
        event      TEXT NOT NULL,
        from_state TEXT,
        to_state   TEXT NOT NULL,
        note       TEXT,
        data       TEXT,
        undoes     INTEGER REFERENCES history(id)
    );
    CREATE INDEX history_case ON history(case_id, id);
    CREATE INDEX history_at ON history(at);

    -- History is append-only: the tracker never rewrites or deletes what happened.
    CREATE TRIGGER history_no_update BEFORE UPDATE ON history
    BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
    CREATE TRIGGER history_no_delete BEFORE DELETE ON history
    BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;

    -- Small facts about the file itself (e.g. that it is a demo database).
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;

    CREATE VIEW case_view AS
    SELECT c.id AS case_id, p.id AS person_id, p.employee_no, p.name, p.name_pinyin,
           p.name_initials, p.id_number, p.department, p.company, p.phone,
           c.qualification, c.specialty, c.state, c.exam_year, c.subjects,
           c.review_deadline, c.review_submitted_on, c.review_result_on,
           c.certificate_available_on, c.appointment, c.certificate_no, c.certificate_date,
           c.channel, c.channel_proxy, c.employer, c.registration_applied_on,
           c.registration_no, c.valid_from, c.valid_until, c.ce_hours,
           c.created_at, c.updated_at
    FROM cases c JOIN persons p ON p.id = c.person_id;
    """,
    # 2: official notices (R4); the paper-collection window a paper notice sets on a case.
    """
    CREATE TABLE notices (
        id           INTEGER PRIMARY KEY,
        kind         TEXT NOT NULL CHECK (kind IN ('review', 'certificate', 'paper')),
        exam_year    INTEGER NOT NULL,
        opens_on     TEXT,
        deadline     TEXT,
        working_days INTEGER,
        title        TEXT,
        ref          TEXT,
        recorded_at  TEXT NOT NULL,
        actor        TEXT NOT NULL,
        applied      INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX notices_kind_year ON notices(kind, exam_year);

    ALTER TABLE cases ADD COLUMN paper_opens TEXT;
    ALTER TABLE cases ADD COLUMN paper_closes TEXT;
    -- A notice applies to a cohort: the cases of one exam year in one state.
    CREATE INDEX cases_state_exam_year ON cases(state, exam_year);

    DROP VIEW case_view;
    CREATE VIEW case_view AS
    SELECT c.id AS case_id, p.id AS person_id, p.employee_no, p.name, p.name_pinyin,
           p.name_initials, p.id_number, p.department, p.company, p.phone,
           c.qualification, c.specialty, c.state, c.exam_year, c.subjects,
           c.review_deadline, c.review_submitted_on, c.review_result_on,
           c.certificate_available_on, c.appointment, c.certificate_no, c.certificate_date,
           c.channel, c.channel_proxy, c.employer, c.registration_applied_on,
           c.registration_no, c.valid_from, c.valid_until, c.ce_hours,
           c.created_at, c.updated_at, c.paper_opens, c.paper_closes
    FROM cases c JOIN persons p ON p.id = c.person_id;
    """,
    # 3: deadlines and the sweep narrow on (state, date) ranges: `tracker remind` and
    # `tracker sweep` read only the rows that can be due, not every case of a state.
    """
    CREATE INDEX cases_state_valid_until ON cases(state, valid_until);
    CREATE INDEX cases_state_review_deadline ON cases(state, review_deadline);
    CREATE INDEX cases_state_certificate_date ON cases(state, certificate_date);
    CREATE INDEX cases_state_paper_closes ON cases(state, paper_closes);
    """,
    # 4: rules of time, part 1 (R2a, R3, R5a, R6a, R14a): the exam notice and its sitting
    # date; exemptions; mailing and its postage; a paper copy after the e-certificate; an
    # error reported while registered; the person's address and when the contact data
    # was last confirmed.
    """
    CREATE TABLE notices_v4 (
        id           INTEGER PRIMARY KEY,
        kind         TEXT NOT NULL CHECK (kind IN ('exam', 'review', 'certificate', 'paper')),
        exam_year    INTEGER NOT NULL,
        opens_on     TEXT,
        deadline     TEXT,
        working_days INTEGER,
        title        TEXT,
        ref          TEXT,
        recorded_at  TEXT NOT NULL,
        actor        TEXT NOT NULL,
        applied      INTEGER NOT NULL DEFAULT 0,
        sitting_on   TEXT
    );
    INSERT INTO notices_v4 (id, kind, exam_year, opens_on, deadline, working_days, title, ref,
                            recorded_at, actor, applied)
        SELECT id, kind, exam_year, opens_on, deadline, working_days, title, ref,
               recorded_at, actor, applied FROM notices;
    DROP TABLE notices;
    ALTER TABLE notices_v4 RENAME TO notices;
    CREATE INDEX notices_kind_year ON notices(kind, exam_year);

    -- The sitting of each exam year: the one its latest exam notice gives.
    CREATE VIEW exam_sittings AS
    SELECT exam_year, sitting_on FROM notices n
    WHERE kind = 'exam' AND sitting_on IS NOT NULL
      AND id = (SELECT max(id) FROM notices m WHERE m.kind = 'exam'
                AND m.exam_year = n.exam_year AND m.sitting_on IS NOT NULL);

    ALTER TABLE persons ADD COLUMN address TEXT;
    ALTER TABLE persons ADD COLUMN contact_confirmed_on TEXT;
    ALTER TABLE cases ADD COLUMN exempt TEXT;
    ALTER TABLE cases ADD COLUMN postage REAL;
    ALTER TABLE cases ADD COLUMN paper_collected_on TEXT;
    ALTER TABLE cases ADD COLUMN correction_open INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX cases_state_certificate_available_on ON cases(state, certificate_available_on);

    DROP VIEW case_view;
    CREATE VIEW case_view AS
    SELECT c.id AS case_id, p.id AS person_id, p.employee_no, p.name, p.name_pinyin,
           p.name_initials, p.id_number, p.department, p.company, p.phone,
           c.qualification, c.specialty, c.state, c.exam_year, c.subjects,
           c.review_deadline, c.review_submitted_on, c.review_result_on,
           c.certificate_available_on, c.appointment, c.certificate_no, c.certificate_date,
           c.channel, c.channel_proxy, c.employer, c.registration_applied_on,
           c.registration_no, c.valid_from, c.valid_until, c.ce_hours,
           c.created_at, c.updated_at, c.paper_opens, c.paper_closes,
           p.address, p.contact_confirmed_on, c.exempt, c.postage, c.paper_collected_on,
           c.correction_open
    FROM cases c JOIN persons p ON p.id = c.person_id;
    """,
    # 5: R15, the working-day calendar. Recorded holiday arrangements, one row per version
    # of a year (append-only: an import or an undo adds a row; the newest row of a year
    # is in force, NULL days meaning "nothing recorded"). How each notice's deadline was
    # counted (NULL: given as a date), and which notice each case deadline came from, so
    # that recording a year recomputes the provisional ones (tracker.services.calendar).
    """
    CREATE TABLE calendar (
        id        INTEGER PRIMARY KEY,
        year      INTEGER NOT NULL,
        action    TEXT NOT NULL CHECK (action IN ('import', 'undo')),
        holidays  TEXT,
        workdays  TEXT,
        names     TEXT,
        source    TEXT,
        file      TEXT,
        at        TEXT NOT NULL,
        actor     TEXT NOT NULL,
        note      TEXT,
        undoes    INTEGER REFERENCES calendar(id),
        moved     TEXT
    );
    CREATE INDEX calendar_year ON calendar(year, id);
    CREATE TRIGGER calendar_no_update BEFORE UPDATE ON calendar
    BEGIN SELECT RAISE(ABORT, 'calendar versions are append-only'); END;
    CREATE TRIGGER calendar_no_delete BEFORE DELETE ON calendar
    BEGIN SELECT RAISE(ABORT, 'calendar versions are append-only'); END;

    ALTER TABLE notices ADD COLUMN deadline_calendar TEXT
        CHECK (deadline_calendar IN ('recorded', 'library', 'provisional'));
    UPDATE notices SET deadline_calendar = 'library'
    WHERE working_days IS NOT NULL AND deadline IS NOT NULL;

    CREATE TABLE notice_deadlines (
        case_id   INTEGER NOT NULL REFERENCES cases(id),
        field     TEXT NOT NULL CHECK (field IN ('review_deadline', 'paper_closes')),
        notice_id INTEGER NOT NULL REFERENCES notices(id),
        PRIMARY KEY (case_id, field)
    ) WITHOUT ROWID;
    CREATE INDEX notice_deadlines_notice ON notice_deadlines(notice_id);

    -- The notices recorded before: their history rows name the notice (data.notice_id);
    -- the newest row that set the field wins.
    INSERT OR REPLACE INTO notice_deadlines (case_id, field, notice_id)
    SELECT h.case_id, f.field, json_extract(h.data, '$.notice_id')
    FROM (SELECT id, case_id, CASE WHEN json_valid(data) THEN data END AS data
          FROM history) h
    JOIN (SELECT 'review_deadline' AS field UNION ALL SELECT 'paper_closes') f
    WHERE json_type(h.data, '$.notice_id') = 'integer'
      AND json_type(h.data, '$.set.' || f.field) IS NOT NULL
      AND json_extract(h.data, '$.notice_id') IN (SELECT id FROM notices)
    ORDER BY h.id;
    """,
    # R16, reminders that reach people (issue 13): the channels a daily digest goes to
    # (Apprise URLs: they hold secrets, shown masked only); what was sent to each channel,
    # one row per (channel, case, deadline and stage) so that each goes out once; a log of
    # every delivery attempt (last send, failures); and when a person was told of a notice.
    """
    CREATE TABLE channels (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE,
        url         TEXT NOT NULL,
        lang        TEXT NOT NULL CHECK (lang IN ('zh', 'en')),
        wants       TEXT NOT NULL DEFAULT 'all' CHECK (wants IN ('overdue', 'due', 'all')),
        departments TEXT,
        created_at  TEXT NOT NULL,
        actor       TEXT NOT NULL
    );

    CREATE TABLE notify_sent (
        channel_id INTEGER NOT NULL,
        case_id    INTEGER NOT NULL REFERENCES cases(id),
        item       TEXT NOT NULL,
        section    TEXT NOT NULL,
        sent_at    TEXT NOT NULL,
        PRIMARY KEY (channel_id, case_id, item)
    ) WITHOUT ROWID;

    CREATE TABLE notify_log (
        id         INTEGER PRIMARY KEY,
        channel_id INTEGER NOT NULL,
        channel    TEXT NOT NULL,
        at         TEXT NOT NULL,
        actor      TEXT NOT NULL,
        action     TEXT NOT NULL CHECK (action IN ('digest', 'test', 'added', 'removed')),
        ok         INTEGER NOT NULL,
        messages   INTEGER NOT NULL DEFAULT 0,
        items      INTEGER NOT NULL DEFAULT 0,
        error      TEXT
    );
    CREATE INDEX notify_log_channel ON notify_log(channel_id, id);

    CREATE TABLE staff_notified (
        id        INTEGER PRIMARY KEY,
        case_id   INTEGER NOT NULL REFERENCES cases(id),
        notice_id INTEGER REFERENCES notices(id),
        on_day    TEXT NOT NULL,
        at        TEXT NOT NULL,
        actor     TEXT NOT NULL,
        text      TEXT NOT NULL
    );
    CREATE INDEX staff_notified_case ON staff_notified(case_id, id);
    """,
    # 7: issue 17, tamper evidence and the pinned day. Each history row carries `hash`,
    # SHA-256 of its values and the previous row's hash (tracker/store/chain.py), set by
    # the trigger history_chain as the row is inserted, with `as_of` (the pinned "today"
    # of the command, NULL when not pinned; `at` is always the real time). The rows
    # already there are chained in id order. A sealed row (hash set) can never change
    # again; a new row can only receive its hash and as_of, once.
    """
    ALTER TABLE history ADD COLUMN as_of TEXT;
    ALTER TABLE history ADD COLUMN hash TEXT;
    DROP TRIGGER history_no_update;
    CREATE TEMP TABLE history_chain_fill AS
    WITH RECURSIVE chain(id, hash) AS (
        SELECT h.id, tracker_history_link(NULL, h.id, h.case_id, h.at, h.as_of, h.actor,
               h.event, h.from_state, h.to_state, h.note, h.data, h.undoes)
        FROM history h WHERE h.id = (SELECT min(id) FROM history)
        UNION ALL
        SELECT h.id, tracker_history_link(chain.hash, h.id, h.case_id, h.at, h.as_of,
               h.actor, h.event, h.from_state, h.to_state, h.note, h.data, h.undoes)
        FROM chain JOIN history h ON h.id = (SELECT min(id) FROM history WHERE id > chain.id)
    )
    SELECT id, hash FROM chain;
    UPDATE history SET hash = (SELECT f.hash FROM temp.history_chain_fill f
                               WHERE f.id = history.id);
    DROP TABLE temp.history_chain_fill;
    CREATE TRIGGER history_no_update BEFORE UPDATE ON history WHEN OLD.hash IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
    CREATE TRIGGER history_no_rewrite BEFORE UPDATE OF id, case_id, at, actor, event,
        from_state, to_state, note, data, undoes ON history
    BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
    CREATE TRIGGER history_chain AFTER INSERT ON history
    BEGIN
        UPDATE history SET as_of = coalesce(NEW.as_of, tracker_as_of()),
            hash = tracker_history_link(
                (SELECT p.hash FROM history p WHERE p.id < NEW.id ORDER BY p.id DESC LIMIT 1),
                NEW.id, NEW.case_id, NEW.at, coalesce(NEW.as_of, tracker_as_of()), NEW.actor,
                NEW.event, NEW.from_state, NEW.to_state, NEW.note, NEW.data, NEW.undoes)
        WHERE id = NEW.id;
    END;
    """,
    # 8: rules of time, part 2 (R7a–R7d, R9a–R9c): the certificate's issue date, the
    # approval date, the current registration period, the practice seal; materials that
    # belong to an employer or a period; the continuing-education course log.
    """
    ALTER TABLE cases ADD COLUMN certificate_issued_on TEXT;
    ALTER TABLE cases ADD COLUMN approved_on TEXT;
    ALTER TABLE cases ADD COLUMN period_from TEXT;
    ALTER TABLE cases ADD COLUMN seal_no TEXT;
    ALTER TABLE cases ADD COLUMN seal_made_on TEXT;
    -- The first-registration limit now reads the issue date (an index range for remind).
    DROP INDEX cases_state_certificate_date;
    CREATE INDEX cases_state_certificate_issued_on ON cases(state, certificate_issued_on);

    -- The current period of the cases there are: a registration in force counts from its
    -- validity's first day; an expired one from the day after its last valid day; after
    -- a deregistration (not undone) from the day it was recorded. No approval date is
    -- made up: approved_on stays empty until an approval records it.
    UPDATE cases SET period_from = valid_from
    WHERE state IN ('registered', 'renewal_due', 'renewal_applied')
      AND date(valid_from, '+0 days') IS valid_from;
    UPDATE cases SET period_from = date(valid_until, '+1 days')
    WHERE state = 'registration_expired' AND date(valid_until, '+0 days') IS valid_until;
    UPDATE cases SET period_from = (
        SELECT substr(max(h.at), 1, 10) FROM history h
        WHERE h.case_id = cases.id AND h.event = 'deregister'
          AND h.id NOT IN (SELECT undoes FROM history WHERE undoes IS NOT NULL))
    WHERE state IN ('certified', 'correction_pending', 'registration_applied');

    -- R7d: a material row belongs to an employer (labour contract) or a period (CE
    -- proof): its scope. Rows received before stay valid for what they fall in: a
    -- contract for the case's employer (else the person's company), a proof for the
    -- current period when received in it, else for the period before it.
    CREATE TABLE materials_v6 (
        case_id     INTEGER NOT NULL REFERENCES cases(id),
        item        TEXT NOT NULL,
        scope       TEXT NOT NULL DEFAULT '',
        received_on TEXT NOT NULL,
        PRIMARY KEY (case_id, item, scope)
    ) WITHOUT ROWID;
    INSERT INTO materials_v6 (case_id, item, scope, received_on)
    SELECT m.case_id, m.item,
           CASE m.item
               WHEN 'labour_contract'
                   THEN coalesce(nullif(c.employer, ''), nullif(p.company, ''), '')
               WHEN 'ce_proof' THEN
                   CASE WHEN c.period_from IS NULL OR m.received_on >= c.period_from
                        THEN coalesce(c.period_from, '') ELSE 'before:' || c.period_from END
               ELSE '' END,
           m.received_on
    FROM materials m JOIN cases c ON c.id = m.case_id JOIN persons p ON p.id = c.person_id;
    DROP TABLE materials;
    ALTER TABLE materials_v6 RENAME TO materials;

    -- The materials that count now: the case's employer, the current period.
    CREATE VIEW current_materials AS
    SELECT m.case_id, m.item, m.scope, m.received_on
    FROM materials m JOIN cases c ON c.id = m.case_id JOIN persons p ON p.id = c.person_id
    WHERE m.scope = CASE m.item
        WHEN 'labour_contract'
            THEN coalesce(nullif(c.employer, ''), nullif(p.company, ''), '')
        WHEN 'ce_proof' THEN coalesce(c.period_from, '')
        ELSE '' END;

    -- R9c: the continuing-education courses, each with its day, hours and provider.
    CREATE TABLE ce_courses (
        id             INTEGER PRIMARY KEY,
        case_id        INTEGER NOT NULL REFERENCES cases(id),
        taken_on       TEXT NOT NULL,
        hours          REAL NOT NULL CHECK (hours > 0),
        provider       TEXT NOT NULL,
        certificate_no TEXT,
        recorded_at    TEXT NOT NULL,
        actor          TEXT NOT NULL
    );
    CREATE INDEX ce_courses_case ON ce_courses(case_id, taken_on);

    -- ce_period_hours: the recorded total (hours without course detail) plus the courses
    -- dated within the current period (period_from to the last valid day, open when the
    -- registration ends before the period began or there is none).
    DROP VIEW case_view;
    CREATE VIEW case_view AS
    SELECT c.id AS case_id, p.id AS person_id, p.employee_no, p.name, p.name_pinyin,
           p.name_initials, p.id_number, p.department, p.company, p.phone,
           c.qualification, c.specialty, c.state, c.exam_year, c.subjects,
           c.review_deadline, c.review_submitted_on, c.review_result_on,
           c.certificate_available_on, c.appointment, c.certificate_no, c.certificate_date,
           c.channel, c.channel_proxy, c.employer, c.registration_applied_on,
           c.registration_no, c.valid_from, c.valid_until, c.ce_hours,
           c.created_at, c.updated_at, c.paper_opens, c.paper_closes,
           p.address, p.contact_confirmed_on, c.exempt, c.postage, c.paper_collected_on,
           c.correction_open, c.certificate_issued_on, c.approved_on, c.period_from,
           c.seal_no, c.seal_made_on,
           c.ce_hours + coalesce((SELECT sum(k.hours) FROM ce_courses k
               WHERE k.case_id = c.id AND k.taken_on >= coalesce(c.period_from, '')
                 AND CASE WHEN c.valid_until >= nullif(c.period_from, '')
                          THEN k.taken_on <= c.valid_until ELSE 1 END), 0)
               AS ce_period_hours
    FROM cases c JOIN persons p ON p.id = c.person_id;
    """,
    # 9: (issue 14) Search that finds: every reading of a name (name_pinyin and
    # name_initials hold them space-separated, tracker/services/names.py) in a full-text
    # index kept by triggers, so a prefix query finds any reading (曾 as zeng or ceng);
    # ID numbers by their last 4, 5 or 6 characters and employee numbers in any case, each
    # through an index. The names written before hold one reading: they are listed in
    # name_readings_stale and re-read once by services.names.refresh_readings. Notices
    # corrected or withdrawn (services.notices.correct_notice / withdraw_notice).
    """
    CREATE VIRTUAL TABLE person_search USING fts5(
        name_pinyin, name_initials, content='persons', content_rowid='id');
    INSERT INTO person_search(person_search) VALUES ('rebuild');
    CREATE TRIGGER persons_search_insert AFTER INSERT ON persons BEGIN
        INSERT INTO person_search (rowid, name_pinyin, name_initials)
        VALUES (new.id, new.name_pinyin, new.name_initials);
    END;
    CREATE TRIGGER persons_search_delete AFTER DELETE ON persons BEGIN
        INSERT INTO person_search (person_search, rowid, name_pinyin, name_initials)
        VALUES ('delete', old.id, old.name_pinyin, old.name_initials);
    END;
    CREATE TRIGGER persons_search_update AFTER UPDATE OF name_pinyin, name_initials
    ON persons BEGIN
        INSERT INTO person_search (person_search, rowid, name_pinyin, name_initials)
        VALUES ('delete', old.id, old.name_pinyin, old.name_initials);
        INSERT INTO person_search (rowid, name_pinyin, name_initials)
        VALUES (new.id, new.name_pinyin, new.name_initials);
    END;
    DROP INDEX persons_name_initials;
    CREATE INDEX persons_employee_no_nocase ON persons(employee_no COLLATE NOCASE);
    CREATE INDEX persons_id_last4 ON persons(substr(id_number, -4));
    CREATE INDEX persons_id_last5 ON persons(substr(id_number, -5));
    CREATE INDEX persons_id_last6 ON persons(substr(id_number, -6));
    CREATE TABLE name_readings_stale (person_id INTEGER PRIMARY KEY);
    INSERT INTO name_readings_stale SELECT id FROM persons;

    -- A notice recorded by mistake is corrected (its deadline or sitting) or withdrawn;
    -- each change is a row here (append-only), the notice row holds what is in force.
    ALTER TABLE notices ADD COLUMN withdrawn_at TEXT;
    CREATE TABLE notice_changes (
        id        INTEGER PRIMARY KEY,
        notice_id INTEGER NOT NULL REFERENCES notices(id),
        at        TEXT NOT NULL,
        actor     TEXT NOT NULL,
        change    TEXT NOT NULL CHECK (change IN ('correct', 'withdraw')),
        before    TEXT,
        after     TEXT,
        note      TEXT,
        moved     TEXT NOT NULL DEFAULT '[]',
        kept      TEXT NOT NULL DEFAULT '[]'
    );
    CREATE INDEX notice_changes_notice ON notice_changes(notice_id);
    DROP VIEW exam_sittings;
    CREATE VIEW exam_sittings AS
    SELECT exam_year, sitting_on FROM notices n
    WHERE kind = 'exam' AND sitting_on IS NOT NULL AND withdrawn_at IS NULL
      AND id = (SELECT max(id) FROM notices m WHERE m.kind = 'exam'
                AND m.exam_year = n.exam_year AND m.sitting_on IS NOT NULL
                AND m.withdrawn_at IS NULL);
    """,
    # 10: (issue 16) No lost update: every write of a case moves its version on, and an
    # event writes only over the version it read (store.cases.update_case); a case
    # changed by someone else since is refused with the reason, not overwritten.
    """
    ALTER TABLE cases ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)

#: Case columns an event may write (the rest are identity and bookkeeping).
CASE_FIELDS = (
    "specialty", "state", "exam_year", "subjects", "review_deadline", "review_submitted_on",
    "review_result_on", "certificate_available_on", "appointment", "certificate_no",
    "certificate_date", "channel", "channel_proxy", "employer", "registration_applied_on",
    "registration_no", "valid_from", "valid_until", "ce_hours", "paper_opens", "paper_closes",
    "exempt", "postage", "paper_collected_on", "correction_open", "certificate_issued_on",
    "approved_on", "period_from", "seal_no", "seal_made_on",
)
#: Person columns that can change over time.
PERSON_FIELDS = ("name", "id_number", "employee_no", "department", "company", "phone",
                 "address", "contact_confirmed_on")


def migrate(conn: sqlite3.Connection, from_version: int, to_version: int = SCHEMA_VERSION) -> None:
    """Apply migrations from_version+1 … to_version (the caller holds the transaction)."""
    chain.register(conn)  # the history triggers hash each row (migration 7)
    for version in range(from_version + 1, to_version + 1):
        for statement in _statements(MIGRATIONS[version - 1]):
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {version}")


def _statements(script: str) -> list[str]:
    """Split a migration into statements (triggers contain semicolons: use sqlite3's parser)."""
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        if line.strip().startswith("--"):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
