"""deploy/prometheus/kiosk-alerts.yml: valid Prometheus rules, and only metric names that its
header declares for the metrics code (so the two cannot drift apart unnoticed).

promtool is not installed for this (it comes with the whole Prometheus server package); when a
machine has it anyway, it checks the rules too.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

RULES = Path(__file__).resolve().parents[2] / "deploy" / "prometheus" / "kiosk-alerts.yml"
DURATION = re.compile(r"([0-9]+(ms|s|m|h|d|w|y))+")


@pytest.fixture(scope="module")
def text() -> str:
    return RULES.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def rules(text: str) -> list[dict[str, Any]]:
    loaded = yaml.safe_load(text)
    assert set(loaded) == {"groups"}
    found = []
    for group in loaded["groups"]:
        assert set(group) == {"name", "rules"} and group["name"]
        found += group["rules"]
    return found


def declared(text: str) -> dict[str, set[str]]:
    """The metrics the header comment declares: name -> its labels."""
    return {name: {label.strip() for label in labels.split(",")}
            for name, labels in re.findall(r"^# - `(kiosk_\w+)\{([\w, ]+)\}`", text, flags=re.M)}


def test_the_header_declares_the_fleet_metrics_with_their_labels(text: str) -> None:
    assert declared(text) == {
        "kiosk_unit_up": {"unit", "site"},
        "kiosk_heartbeat_age_seconds": {"unit", "site"},
        "kiosk_site_open": {"site"},
        "kiosk_device_fault": {"unit", "site", "device", "kind"},
    }


def test_every_rule_is_a_complete_alert(rules: list[dict[str, Any]]) -> None:
    assert rules
    for rule in rules:
        assert set(rule) <= {"alert", "expr", "for", "labels", "annotations"}, rule
        assert re.fullmatch(r"[A-Z][A-Za-z0-9]+", rule["alert"])
        assert isinstance(rule["expr"], str) and rule["expr"].strip()
        assert DURATION.fullmatch(rule["for"]), rule["for"]
        assert rule["labels"]["severity"] in {"page", "warning"}
        assert rule["annotations"]["summary"] and rule["annotations"]["description"]
        # Balanced brackets and template braces: the commonest slip in a hand-written rule.
        for opening, closing in ("()", "{}", "[]"):
            assert rule["expr"].count(opening) == rule["expr"].count(closing), rule["alert"]
        for note in rule["annotations"].values():
            assert note.count("{{") == note.count("}}"), rule["alert"]


def test_a_unit_down_for_five_minutes_alerts_but_not_while_its_site_is_closed(
    rules: list[dict[str, Any]],
) -> None:
    (down,) = [rule for rule in rules if rule["alert"] == "KioskUnitDown"]
    assert down["for"] == "5m"
    assert "kiosk_unit_up == 0" in down["expr"] and "kiosk_site_open == 1" in down["expr"]
    (fault,) = [rule for rule in rules if rule["alert"] == "KioskDeviceFault"]
    assert "kiosk_device_fault == 1" in fault["expr"]


def test_the_rules_use_only_declared_metrics_and_labels(
    text: str, rules: list[dict[str, Any]]
) -> None:
    metrics = declared(text)
    labels = set().union(*metrics.values())
    for rule in rules:
        notes = " ".join(rule["annotations"].values())
        for name in re.findall(r"\bkiosk_\w+", rule["expr"] + " " + notes):
            assert name in metrics, f"{rule['alert']} uses {name}, which the header lacks"
        for label in re.findall(r"\$labels\.(\w+)", notes):
            assert label in labels, f"{rule['alert']} shows the label {label}"
        for label in re.findall(r"on \(([\w, ]+)\)", rule["expr"]):
            assert set(label.replace(" ", "").split(",")) <= labels


def test_promtool_accepts_the_rules_where_it_is_installed() -> None:
    promtool = shutil.which("promtool")
    if promtool is None:
        pytest.skip("promtool is not installed (Debian's prometheus); the checks above apply")
    done = subprocess.run([promtool, "check", "rules", str(RULES)], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
