"""The CapabilityStatement (issue 16) lists every interaction and search parameter the FHIR API
serves, and nothing else: checked against the routes themselves and against real requests."""

from __future__ import annotations

import pytest
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir_support import Api, outcome_of
from flask import Flask

from kiosk.fhir.params import SPECS

# What a route's method and shape mean in FHIR terms.
INTERACTION = {("GET", "type"): "search-type", ("GET", "instance"): "read",
               ("POST", "type"): "create", ("PUT", "instance"): "update",
               ("PATCH", "instance"): "patch", ("DELETE", "instance"): "delete"}
# A value each search parameter accepts, to show it is served.
SAMPLES = {"token": "x|y", "date": "ge2026-12-01", "reference": "1", "string": "mar"}


def statement(api: Api) -> CapabilityStatement:
    response = api.call("GET", "/fhir/metadata", token=None)
    assert response.status_code == 200
    return CapabilityStatement.model_validate(response.json)


def routed(app: Flask) -> set[tuple[str, str]]:
    """(resource type, interaction) for every view of the API, read from the URL map."""
    found = set()
    for rule in app.url_map.iter_rules():
        name = rule.endpoint.removeprefix("fhir.")
        if not rule.endpoint.startswith("fhir.") or name.startswith("not_allowed_") or name in (
            "unknown", "metadata"
        ):
            continue
        parts = rule.rule.removeprefix("/fhir/").split("/")
        if parts[-1] == "_search":
            assert rule.methods >= {"POST"} and name.endswith("_by_post")
            continue
        shape = "instance" if len(parts) == 2 else "type"
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            found.add((parts[0], INTERACTION[(method, shape)]))
    return found


def test_the_statement_lists_every_routed_interaction_and_nothing_else(api: Api) -> None:
    listed = statement(api)
    assert listed.fhirVersion == "4.0.1" and listed.kind == "instance"
    assert listed.format == ["application/fhir+json"]
    assert listed.patchFormat == ["application/json-patch+json"]
    resources = listed.rest[0].resource
    declared = {(r.type, i.code) for r in resources for i in r.interaction}
    assert declared == routed(api.client.application)
    assert ("Appointment", "update") in declared and ("Observation", "search-type") in declared
    by_type = {r.type: r for r in resources}
    assert {t for t, r in by_type.items() if r.conditionalCreate} == {"Patient"}
    assert {t for t, r in by_type.items() if r.versioning == "versioned-update"} == {"Appointment"}
    # The booking code's and the RPPS number's systems are written where a client looks.
    documented = " ".join(p.documentation for r in resources for p in r.searchParam or [])
    assert "urn:kiosk:booking-code" in documented and "https://rpps.esante.gouv.fr" in documented


def search_params(api: Api) -> list[tuple[str, str, str]]:
    resources = statement(api).rest[0].resource
    return sorted((r.type, p.name, p.type) for r in resources for p in r.searchParam or [])


# The searches as the code declares them (the statement must list exactly these, see below).
DECLARED = sorted((kind, p.name, p.type) for kind, spec in SPECS.items() for p in spec.params)


def test_the_statement_lists_the_declared_search_parameters(api: Api) -> None:
    assert search_params(api) == DECLARED
    assert len(DECLARED) == 17


@pytest.mark.parametrize(("kind", "name", "kind_of_value"), DECLARED)
def test_every_listed_search_parameter_is_served(
    api: Api, kind: str, name: str, kind_of_value: str
) -> None:
    query = f"{name}={SAMPLES[kind_of_value]}"
    if kind == "Patient":  # never one parameter alone (no listing people by name)
        query = "identifier=253072B07300470&family=mar&birthdate=1953-07-15"
    token = "doctor" if kind == "Observation" else "staff"
    response = api.call("GET", f"/fhir/{kind}?{query}", token=token)
    assert response.status_code in (200, 400), response.json
    if response.status_code == 400:
        assert "Unsupported search parameter" not in outcome_of(response)


def test_the_listed_parameters_are_all_the_searches_take(api: Api) -> None:
    for kind in {k for k, _name, _type in DECLARED}:
        token = "doctor" if kind == "Observation" else "staff"
        response = api.call("GET", f"/fhir/{kind}?subject=Patient/1", token=token)
        assert response.status_code == 400
        names = [n for k, n, _t in search_params(api) if k == kind]
        assert sorted(outcome_of(response).split("supported: ")[1].rstrip(".").split(", ")) == \
            sorted([*names, "_count", "_offset", "_include"])


def test_every_listed_include_is_served(api: Api) -> None:
    for resource in statement(api).rest[0].resource:
        for include in resource.searchInclude or []:
            token = "doctor" if resource.type == "Observation" else "staff"
            query = "identifier=253072B07300470&" if resource.type == "Patient" else ""
            response = api.call("GET", f"/fhir/{resource.type}?{query}_include={include}",
                                token=token)
            assert response.status_code == 200, (include, response.json)
