"""A finding records the other answers it rests on (`judged_with`), so that replay can re-send them: the
valid request a check compared the case with, never one it did not look at."""

from __future__ import annotations

import dataclasses

from fcvalidate.checks import CheckContext, run_checks
from tests.checks.conftest import error, make_case, make_exchange


def test_a_refused_valid_request_rests_on_the_valid_request_that_succeeded(ops):
    op = ops["/service-problem-amendments"]
    baseline = make_exchange(make_case(op), 201, {})
    refused = make_exchange(dataclasses.replace(make_case(op), id="t.valid.003"), 400, error())
    ctx = CheckContext(op, baseline, baseline_ok=True)
    (found,) = [v for v in run_checks(ctx, refused) if v.title == "Some valid requests were refused"]
    assert found.case_id == "t.valid.003" and found.judged_with == ("t.valid.000",)


def test_a_server_error_rests_on_its_own_answer_alone(ops):
    op = ops["/service-problem-amendments"]
    baseline = make_exchange(make_case(op), 201, {})
    crashed = make_exchange(dataclasses.replace(make_case(op), id="t.valid.004"), 500, error())
    found = [v for v in run_checks(CheckContext(op, baseline, baseline_ok=True), crashed)]
    crashes = [v for v in found if v.requirement == "no-server-errors"]
    assert crashes and all(v.judged_with == () for v in crashes)
