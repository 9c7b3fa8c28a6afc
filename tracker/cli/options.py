"""Options several commands share: which cases (the filters of `tracker list`)."""
from __future__ import annotations

import click

from ..services import cases as service
from ..services.query import CaseQuery


def state_names(values: tuple[str, ...]) -> list[str]:
    return [service.clean_state(v) for v in values]


def case_filter_options(function):
    """The filters `list` shares with commands that select cases."""
    for option in reversed([
        click.option("--state", "states", multiple=True,
                     help="Only this state (name or label); repeatable."),
        click.option("--search", help="Name, employee number, ID number, or pinyin (zw / zhangwei)."),
        click.option("--department", help="Only this department."),
        click.option("--company", help="Only this company."),
        click.option("--specialty", help="Only this specialty."),
    ]):
        function = option(function)
    return function


def build_query(states, search, department, company, specialty, **more) -> CaseQuery:
    """The cases the shared filter options select (`case_filter_options`)."""
    return CaseQuery(states=state_names(states), search=search, department=department,
                     company=company,
                     specialty=service.clean_specialty(specialty) if specialty else None,
                     **more)
