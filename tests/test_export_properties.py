"""Every generated valid protocol (tests/strategies.py `protocols()`) exports to all four
formats, and each export reads back with the format's own library without error."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import protocols

icalendar = pytest.importorskip("icalendar")
recurring_ical_events = pytest.importorskip("recurring_ical_events")
pytest.importorskip("fhir.resources")
garmin_fit_sdk = pytest.importorskip("garmin_fit_sdk")
pytest.importorskip("fit_tool")

from fhir.resources.bundle import Bundle  # noqa: E402
from test_export_ics import check_counts, occurrences  # noqa: E402

import protodsl  # noqa: E402
from protodsl.export import Options, export_files  # noqa: E402

SETTINGS = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@SETTINGS
@given(protocols(), st.dates(dt.date(2020, 1, 1), dt.date(2035, 12, 31)),
       st.sampled_from([None, "left", "right"]), st.integers(1, 3))
def test_generated_protocols_export_and_read_back(text: str, start: dt.date, side: str | None,
                                                  level: int) -> None:
    document = protodsl.compile_text(text)
    options = Options(start=start, side=side, level=level)

    (( _, data),) = export_files("csv", document, options)
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    n_week = sum(len(e["levels"]) for w in document["weeks"] for e in w["exercises"])
    n_level = sum(len(e["levels"]) for e in document["exercises"])
    assert len(rows) == n_week + n_level

    ((_, data),) = export_files("ics", document, options)
    calendar = data.decode("utf-8")
    icalendar.Calendar.from_ical(calendar)
    if document["weeks"]:
        check_counts(document, calendar, start)
    else:
        occurrences(calendar, start, 2)

    ((_, data),) = export_files("fhir", document, options)
    bundle = Bundle.model_validate_json(data, strict=True)
    assert len(bundle.entry) == 1 + n_level

    workouts = export_files("fit", document, options)
    assert len(workouts) == (any(e["bout"] is None for e in document["exercises"])
                             + sum(e["bout"] is not None for e in document["exercises"]))
    for _, data in workouts:
        decoder = garmin_fit_sdk.Decoder(garmin_fit_sdk.Stream.from_byte_array(bytearray(data)))
        assert decoder.is_fit() and decoder.check_integrity()
        decoder = garmin_fit_sdk.Decoder(garmin_fit_sdk.Stream.from_byte_array(bytearray(data)))
        messages, errors = decoder.read()
        assert errors == []
        assert len(messages["workout_mesgs"]) == 1
        assert messages["workout_step_mesgs"]
