"""The configurable figures of the process and the date arithmetic built on them.

Defaults come from ../shared/docs/domain.md ("Configurable rules"). The notices and
deadlines work loads overrides from TOML; this module only knows the figures and dates.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, timedelta


@dataclass(frozen=True)
class Rules:
    #: R2: all subjects within this many consecutive exam years.
    exam_window_years: int = 2
    #: R9 / 注册建造师管理规定: a registration is valid this many years from approval.
    registration_validity_years: int = 3
    #: Renewal must be applied for at least this many days before expiry.
    renewal_cutoff_days: int = 30
    #: The sweep opens renewal (registered -> renewal_due) this many days before expiry.
    renewal_window_days: int = 90
    #: A first registration later than this many years after the certificate needs CE proof.
    first_registration_ce_years: int = 3
    #: Continuing-education hours required per registration period. No trustworthy Shanghai
    #: figure exists (Grade 1 is 120 h); the officer should set the local figure.
    ce_hours_required: float = 120.0
    #: Reminder stages before an ordinary deadline, in days.
    reminder_stages: tuple[int, ...] = field(default=(30, 7, 1))
    #: Reminder stages before a registration expires, in days.
    expiry_reminder_stages: tuple[int, ...] = field(default=(90, 60, 30))

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]


DEFAULT_RULES = Rules()


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def registration_valid_until(valid_from: date, rules: Rules = DEFAULT_RULES) -> date:
    """Last valid day of a registration approved on `valid_from` (e.g. 2026-05-10 -> 2029-05-09)."""
    return add_years(valid_from, rules.registration_validity_years) - timedelta(days=1)


def renewal_valid_until(old_valid_until: date, rules: Rules = DEFAULT_RULES) -> date:
    """A renewal extends the validity from the old expiry, not from the approval date."""
    return add_years(old_valid_until, rules.registration_validity_years)


def renewal_opens_on(valid_until: date, rules: Rules = DEFAULT_RULES) -> date:
    return valid_until - timedelta(days=rules.renewal_window_days)


def renewal_cutoff(valid_until: date, rules: Rules = DEFAULT_RULES) -> date:
    """Last day on which the renewal can still be applied for."""
    return valid_until - timedelta(days=rules.renewal_cutoff_days)


def exam_window_years(latest_year: int, rules: Rules = DEFAULT_RULES) -> range:
    """The exam years that still count when the latest pass was in `latest_year` (R2)."""
    return range(latest_year - rules.exam_window_years + 1, latest_year + 1)


def needs_ce_proof_for_first_registration(
    certificate_date: date | None, today: date, rules: Rules = DEFAULT_RULES
) -> bool:
    if certificate_date is None:
        return False
    return add_years(certificate_date, rules.first_registration_ce_years) < today
