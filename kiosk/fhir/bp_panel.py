"""A blood-pressure result as a FHIR R4 Observation, both ways.

The kiosk's result is the LOINC 85354-9 panel (DESIGN.md "Interoperability"), category
vital-signs, with three components: 8480-6 systolic and 8462-4 diastolic in mm[Hg], and 8867-4
heart rate in /min (left out when the cuff gave none). An irregular pulse the cuff noticed is
the note ``IRREGULAR_NOTE``, word for word.

``observation_resource`` builds it from a stored result; ``reading`` checks one a client sends
(``POST /fhir/Observation``): the same shape, whole numbers within what a body can show, a
subject ``Patient/<id>`` and an ``effectiveDateTime`` with its offset. Every failure is an
``Invalid`` (400) whose sentence names the element, never the value.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from decimal import Decimal
from typing import Any

from fhir.resources.R4B.observation import Observation, ObservationComponent

from kiosk.fhir.outcome import Invalid
from kiosk.fhir.parse import parse_reference
from kiosk.vitals.measurements import Result

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
PANEL = "85354-9"
SYSTOLIC, DIASTOLIC, HEART_RATE = "8480-6", "8462-4", "8867-4"
IRREGULAR_NOTE = "Irregular pulse reported by the cuff."
# What each component is called and measured in, and the values a living person can show
# (SECURITY.md item 9: anything else is a mistake, refused rather than kept).
COMPONENTS = {
    SYSTOLIC: ("Systolic blood pressure", "mmHg", "mm[Hg]", (40, 300)),
    DIASTOLIC: ("Diastolic blood pressure", "mmHg", "mm[Hg]", (20, 200)),
    HEART_RATE: ("Heart rate", "/min", "/min", (20, 250)),
}
# Observation.value[x]: valueQuantity, valueString, ... (a panel carries its values in component).
VALUE_ELEMENTS = tuple(name for name in Observation.model_fields if name.startswith("value"))
# A reading may be sent a little after it was taken, never before: a clock a bit ahead is
# tolerated, a reading from the future is not.
CLOCK_SKEW = timedelta(minutes=5)


def observation_resource(
    result: Result,
    taken_at: datetime,
    tz: tzinfo | None = None,
    *,
    patient_id: int | None = None,
    resource_id: int | None = None,
) -> Observation:
    """The result as a validated Observation (times with ``tz``'s offset, if given)."""

    def component(code: str, value: int) -> dict[str, Any]:
        display, unit, ucum, _range = COMPONENTS[code]
        return {
            "code": {"coding": [{"system": LOINC, "code": code, "display": display}]},
            "valueQuantity": {"value": value, "unit": unit, "system": UCUM, "code": ucum},
        }

    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "final",
        "category": [{"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": "vital-signs", "display": "Vital Signs"}]}],
        "code": {"coding": [{"system": LOINC, "code": PANEL,
                             "display": "Blood pressure panel with all children optional"}]},
        "effectiveDateTime": (taken_at.astimezone(tz) if tz else taken_at).isoformat(
            timespec="seconds"),
        "component": [component(SYSTOLIC, result.systolic),
                      component(DIASTOLIC, result.diastolic)],
    }
    if result.pulse:
        resource["component"].append(component(HEART_RATE, result.pulse))
    if resource_id is not None:
        resource["id"] = str(resource_id)
    if patient_id is not None:
        resource["subject"] = {"reference": f"Patient/{patient_id}"}
    if result.irregular:
        resource["note"] = [{"text": IRREGULAR_NOTE}]
    return Observation.model_validate(resource)


@dataclass(frozen=True)
class Reading:
    """A blood-pressure reading a client sent: whose, when, and the values."""

    patient_id: int
    taken_at: datetime
    result: Result


def _is_code(concept: Any, code: str) -> bool:
    return any(c.system == LOINC and c.code == code for c in (concept.coding or []))


def _value(component: ObservationComponent, index: int, code: str) -> int:
    display, _unit, ucum, (low, high) = COMPONENTS[code]
    quantity = component.valueQuantity
    where = f"Observation.component[{index}]"
    if quantity is None or quantity.value is None:
        raise Invalid(f"{where}.valueQuantity is required ({display}).")
    if quantity.system != UCUM or quantity.code != ucum:
        raise Invalid(f"{where}.valueQuantity: the unit must be {ucum} (system {UCUM}).")
    value = Decimal(str(quantity.value))
    if value != value.to_integral_value() or not low <= value <= high:
        raise Invalid(f"{where}.valueQuantity: {display} is a whole number from {low} to {high}.")
    return int(value)


def _values(observation: Observation) -> dict[str, int]:
    values: dict[str, int] = {}
    for index, component in enumerate(observation.component or []):
        code = next((c for c in COMPONENTS if _is_code(component.code, c)), None)
        if code is None:
            raise Invalid(
                f"Observation.component[{index}].code must be LOINC {SYSTOLIC}, {DIASTOLIC} "
                f"or {HEART_RATE}."
            )
        if code in values:
            raise Invalid(f"Observation.component: {code} is given twice.")
        values[code] = _value(component, index, code)
    if SYSTOLIC not in values or DIASTOLIC not in values:
        raise Invalid(
            f"Observation.component needs the systolic ({SYSTOLIC}) and the diastolic "
            f"({DIASTOLIC}) pressure."
        )
    if values[DIASTOLIC] >= values[SYSTOLIC]:
        raise Invalid("Observation.component: the diastolic pressure must be below the systolic.")
    return values


def _irregular(observation: Observation) -> bool:
    notes = [note.text for note in observation.note or []]
    if any(text != IRREGULAR_NOTE for text in notes):
        raise Invalid(f"Observation.note: the only note kept is {IRREGULAR_NOTE!r}.")
    return bool(notes)


def reading(observation: Observation, now: datetime) -> Reading:
    """Check a blood-pressure Observation a client sends; other elements are not stored."""
    if observation.status != "final":
        raise Invalid("Observation.status must be final: the reading is done.")
    if not _is_code(observation.code, PANEL):
        raise Invalid(f"Observation.code must be LOINC {PANEL} (blood pressure panel).")
    subject = observation.subject.reference if observation.subject else None
    patient_id = parse_reference(subject, "Patient")
    if patient_id is None:
        raise Invalid("Observation.subject.reference must be Patient/<id>.")
    taken_at = observation.effectiveDateTime
    if not isinstance(taken_at, datetime) or taken_at.tzinfo is None:
        raise Invalid(
            "Observation.effectiveDateTime is required, with its time and offset "
            "(2026-12-01T09:30:00+01:00)."
        )
    if taken_at > now + CLOCK_SKEW:
        raise Invalid("Observation.effectiveDateTime is in the future.")
    if any(getattr(observation, name) is not None for name in VALUE_ELEMENTS):
        raise Invalid(
            "Observation.value[x]: the panel has no value of its own; the pressures and the "
            "heart rate go in component."
        )
    values = _values(observation)
    systolic, diastolic = values[SYSTOLIC], values[DIASTOLIC]
    pulse = values.get(HEART_RATE, 0)
    result = Result(systolic, diastolic, pulse, ((systolic, diastolic, pulse),),
                    _irregular(observation))
    return Reading(patient_id, taken_at, result)
