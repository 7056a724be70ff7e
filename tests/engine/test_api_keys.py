"""API keys: given as --api-key NAME=VALUE (or FCVALIDATE_API_KEY), delivered where the contract says,
and never shown: not in a report, not on the console, not in a reproducer."""

from __future__ import annotations

from dataclasses import replace

import pytest
from click.testing import CliRunner

from fcvalidate.cli import main
from fcvalidate.engine.credentials import Credentials, parse_api_keys
from fcvalidate.engine.transport import build_url
from fcvalidate.errors import UsageError
from fcvalidate.exchange import Case, Credential, Exchange, Expect, Response, Source
from fcvalidate.report.exchanges import exchange_data
from fcvalidate.requirements import RequirementId as R
from tests.engine.shapes_app import API_KEY, serve_shapes


def test_parse_api_keys():
    assert parse_api_keys(["ApiKeyAuth=a=b", " X-Key =v"]) == (("ApiKeyAuth", "a=b"), ("X-Key", "v"))
    for bad in ("novalue", "=v", "name="):
        with pytest.raises(UsageError, match="NAME=VALUE") as error:
            parse_api_keys([bad])
        assert error.value.setting == "api_key"


def test_api_keys_count_as_secrets():
    assert "k-123456" in Credentials(api_keys=(("A", "k-123456"),)).secrets()


def test_a_key_sent_in_the_query_is_scrubbed_from_report_data():
    case = Case(
        "c.1",
        "GET /x",
        R.VALID_REQUESTS,
        "valid",
        "t",
        "GET",
        "/x",
        (("H", "1"),),
        None,
        Expect("success"),
        Source("", ""),
        query=(("q", "1"),),
        credential=Credential("api-key", "Key", "query", "api_key"),
    )
    url = build_url("http://h", case, "query-key-5551")
    echoed = Response(200, (("X-Echo", "query-key-5551"),), b'{"url": "%s"}' % url.encode(), 0.01)
    data = exchange_data(Exchange(case, url, echoed), ["query-key-5551"])
    assert "query-key-5551" not in repr(data)
    assert data["request"]["url"] == "http://h/x?q=1&api_key=***"
    rebuilt = replace(case)
    assert rebuilt.credential.location == "query"


def test_a_key_never_appears_in_reports_or_console(tmp_path, corpus_contracts_dir, monkeypatch):
    monkeypatch.setenv("FCVALIDATE_API_KEY", f"ApiKeyAuth={API_KEY}")
    with serve_shapes("any-pet-exists") as url:  # a failure, so requests are written to the reports
        result = CliRunner().invoke(
            main,
            [
                "certify",
                "--base-url",
                url,
                "--contracts",
                str(corpus_contracts_dir),
                "--operation",
                "GET /pets/{petId}",
                "--max-examples",
                "2",
                "--no-cache",
                "--report-dir",
                str(tmp_path),
            ],
        )
    assert result.exit_code == 1, result.output
    assert API_KEY not in result.output
    files = [p for p in tmp_path.iterdir() if p.is_file()]
    assert {p.name for p in files} >= {"report.json", "report.html", "junit.xml", "summary.md"}
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert API_KEY not in text, path.name
    assert "ApiKeyAuth" in (tmp_path / "report.json").read_text(encoding="utf-8")


def test_a_missing_api_key_names_the_option(corpus_contracts_dir):
    result = CliRunner().invoke(
        main,
        [
            "certify",
            "--base-url",
            "http://127.0.0.1:9",
            "--contracts",
            str(corpus_contracts_dir),
            "--operation",
            "HEAD /stations/{stationId}",
        ],
        env={"FCVALIDATE_API_KEY": "", "FCVALIDATE_TOKEN": ""},
    )
    assert result.exit_code == 2
    assert (
        "--api-key: HEAD /stations/{stationId} needs a credential: give --api-key X-Api-Key=…"
        in result.output
    )


def test_report_data_rebuilds_the_same_case_for_replay():
    from fcvalidate.engine.replay import case_from_report

    case = Case(
        "getPets.invalid.003",
        "GET /pets/{petId}",
        R.INVALID_REQUESTS,
        "invalid",
        "t",
        "GET",
        "/pets/a%2Fb",
        (("X", "1"),),
        None,
        Expect("rejected", statuses=(404,)),
        Source("f.md:1:1", "c"),
        content_type=None,
        query=(("species", "cat"), ("species", "dog")),
        cookies=(("basket", "b1"),),
        credential=Credential("api-key", "ApiKeyAuth", "cookie", "key"),
    )
    url = build_url("http://h", case, "cookie-key-777")
    data = exchange_data(Exchange(case, url, None, "no response"), ["cookie-key-777"])
    rebuilt = case_from_report(data)
    assert rebuilt == replace(case, parent=None)
    assert data["request"]["headers"]["Cookie"] == "basket=b1; key=***"


def test_a_key_the_document_does_not_place_goes_where_the_user_says():
    from fcvalidate.contract.operation import SecurityScheme

    guessed = SecurityScheme("ApiKeyAuth", "api-key", "header", "ApiKeyAuth", documented=False)
    documented = SecurityScheme("ShopKey", "api-key", "query", "key")

    def sent(*options: str) -> tuple[str, str]:
        return Credentials(api_keys=parse_api_keys(options)).delivery(guessed)

    assert sent("ApiKeyAuth=k") == ("header", "ApiKeyAuth")  # the contract's guess
    assert sent("ApiKeyAuth@X-Api-Key=k") == ("header", "X-Api-Key")
    assert sent("ApiKeyAuth@query:api_key=k") == ("query", "api_key")
    assert sent("ApiKeyAuth@cookie:sid=k") == ("cookie", "sid")
    assert Credentials(api_keys=parse_api_keys(["ApiKeyAuth@X-Api-Key=k"])).api_key(guessed) == "k"
    assert not Credentials(api_keys=parse_api_keys(["ApiKeyAuth@X-Api-Key=k"])).guessed(guessed)
    for bad in ("ApiKeyAuth@=k", "ApiKeyAuth@path:x=k", "@X=k"):
        with pytest.raises(UsageError, match="SCHEME@"):
            parse_api_keys([bad])

    class Op:
        security = (guessed, documented)

    with pytest.raises(UsageError, match="says where ShopKey's key goes"):
        Credentials(api_keys=parse_api_keys(["ShopKey@X-Key=k"])).api_keys_by_scheme([Op()])
    with pytest.raises(UsageError, match="give --api-key ApiKeyAuth@X-Api-Key="):
        Credentials(api_keys=parse_api_keys(["X-Api-Key=k"])).api_keys_by_scheme([Op()])
