"""FHIR R5: a Bundle (type `collection`) with a PlanDefinition for the protocol and an
ActivityDefinition per exercise level, validated with `fhir.resources` (R5 models).

Mappings and losses are documented in docs/exports.md. What FHIR has no element for is carried
in extensions under ``urn:protodsl:fhir:`` (documented there) and in text.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from typing import Any

from protodsl.export import Options
from protodsl.export import text as t

EXT = "urn:protodsl:fhir:"
LANGUAGE = "application/x-protodsl-expression+json"
UCUM = "http://unitsofmeasure.org"
UNITS = {  # dosage range -> (UCUM code, unit shown)
    "sets": ("{sets}", "sets"), "reps": ("{reps}", "reps"), "total_reps": ("{reps}", "reps"),
    "hold_s": ("s", "s"), "duration_s": ("s", "s"), "breaths": ("{breaths}", "breaths"),
    "distance_m": ("m", "m"), "rest_between_sets_s": ("s", "s"),
    "rest_between_sides_s": ("s", "s"), "rpe": ("{score}", "RPE"),
}
NAMESPACE = uuid.UUID("6f1f3c1e-1b8e-4a59-9a57-0d5c8f3a4e21")


def fhir_id(*parts: Any) -> str:
    """A FHIR id ([A-Za-z0-9-.]{1,64}) for the parts, deterministic."""
    raw = "-".join(str(p) for p in parts)
    clean = re.sub(r"[^A-Za-z0-9.-]", "-", raw)
    if len(clean) > 64:
        clean = clean[:55] + "-" + hashlib.sha1(raw.encode()).hexdigest()[:8]
    return clean


def quantity(value: float, key: str) -> dict[str, Any]:
    code, unit = UNITS.get(key, (key, key))
    return {"value": value, "unit": unit, "system": UCUM, "code": code}


def value_range(r: dict[str, Any], key: str) -> dict[str, Any]:
    out = {"low": quantity(r["min"], key)}
    if r["max"] is not None:
        out["high"] = quantity(r["max"], key)
    return out


def expression(expr: dict[str, Any], document: dict[str, Any], what: str = ""
               ) -> dict[str, Any]:
    """A FHIR Expression: the words (with the conditions' texts) and the compiled JSON."""
    words = t.condition_text(expr, document)
    return {"description": f"{what}{words}", "language": LANGUAGE,
            "expression": json.dumps(expr, sort_keys=True, separators=(",", ":"))}


def timing(freq: dict[str, Any] | None, weeks: int | None) -> dict[str, Any] | None:
    """A Timing for a frequency (None without one); `as needed` is a Timing code."""
    if freq is None:
        return None
    repeat: dict[str, Any] = {}
    form, count = freq["form"], freq["count"]
    if form == "as_needed":
        out: dict[str, Any] = {"code": {"text": "as needed"}}
        if weeks:
            out["repeat"] = {"boundsDuration": {"value": weeks, "unit": "wk", "system": UCUM,
                                                "code": "wk"}}
        return out
    if form == "daily":
        repeat.update(frequency=1, period=1, periodUnit="d")
    elif form in ("times_daily", "times_weekly"):
        repeat.update(frequency=count["min"], period=1,
                      periodUnit="d" if form == "times_daily" else "wk")
        if count["max"] != count["min"]:
            repeat["frequencyMax"] = count["max"]
    else:  # every_days
        repeat.update(frequency=1, period=count["min"], periodUnit="d")
        if count["max"] != count["min"]:
            repeat["periodMax"] = count["max"]
    if weeks:
        repeat["boundsDuration"] = {"value": weeks, "unit": "wk", "system": UCUM, "code": "wk"}
    return {"repeat": repeat, "code": {"text": t.frequency(freq)}}


def window_ext(window: dict[str, Any] | None) -> list[dict[str, Any]]:
    if window is None:
        return []
    subs = [{"url": "first_week", "valueInteger": window["first_week"]}]
    if window["last_week"] is not None:
        subs.append({"url": "last_week", "valueInteger": window["last_week"]})
    return [{"url": EXT + "window", "extension": subs}]


def dosage_ext(d: dict[str, Any], document: dict[str, Any], side: str | None
               ) -> dict[str, Any]:
    subs: list[dict[str, Any]] = []
    for key in UNITS:
        if d.get(key) is not None:
            subs.append({"url": key, "valueRange": value_range(d[key], key)})
    for i, e in enumerate(d.get("reps_per_set") or []):
        subs.append({"url": "set_reps", "extension": [
            {"url": "set", "valueInteger": i + 1},
            {"url": "reps", "valueRange": value_range(e["reps"], "reps")},
            {"url": "as_many_as_possible", "valueBoolean": e["as_many_as_possible"]}]})
    if d.get("sides"):
        subs.append({"url": "sides", "valueCode": t.bind_side(d["sides"], side)})
    for s in d.get("side_order") or []:
        subs.append({"url": "side_order", "valueCode": t.bind_side(s, side)})
    if d.get("tempo"):
        subs.append({"url": "tempo",
                     "valueString": "-".join(str(p) for p in d["tempo"]["phases"])})
    for key in ("contraction", "intensity", "support", "eyes"):
        if d.get(key):
            subs.append({"url": key, "valueCode": d[key]})
    if d.get("range_until"):
        subs.append({"url": "range_until",
                     "valueExpression": expression(d["range_until"], document)})
    return {"url": EXT + "dosage", "extension": subs}


def load_ext(ld: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    subs: list[dict[str, Any]] = [{"url": "written", "valueString": ld["written"]},
                                  {"url": "optional", "valueBoolean": ld["optional"]}]
    if ld["kg"] is not None:
        subs.append({"url": "kg", "valueRange": {
            "low": {"value": ld["kg"]["min"], "unit": "kg", "system": UCUM, "code": "kg"},
            "high": {"value": ld["kg"]["max"], "unit": "kg", "system": UCUM, "code": "kg"}}})
    if ld["rm"] is not None:
        subs.append({"url": "rm", "valueRange": value_range(ld["rm"], "rm")})
    if ld["percent_1rm"] is not None:
        subs.append({"url": "percent_1rm", "valueRange": {
            "low": {"value": ld["percent_1rm"]["min"], "unit": "%", "system": UCUM, "code": "%"},
            "high": {"value": ld["percent_1rm"]["max"], "unit": "%", "system": UCUM,
                     "code": "%"}}})
    for key in ("equipment", "placement"):
        if ld.get(key):
            subs.append({"url": key, "valueString": ld[key]})
    if ld.get("requires") is not None:
        subs.append({"url": "requires", "valueExpression": expression(ld["requires"], document)})
    return {"url": EXT + "load", "extension": subs}


def activity(document: dict[str, Any], ex: dict[str, Any], lv: dict[str, Any],
             options: Options) -> dict[str, Any]:
    """The ActivityDefinition of one exercise level (its static dose)."""
    name = document["protocol"]["name"]
    d = lv["dosage"]
    side = options.side
    order = d.get("side_order") or ["both"]
    fill_side = order[0]
    steps = [t.fill(s, fill_side, side) for s in lv["steps"]]
    dose_text = t.dosage(d, lv["loads"], None, side, document)
    dosage: dict[str, Any] = {"sequence": 1, "text": dose_text}
    tm = timing(d.get("frequency"), None)
    if tm is not None:
        dosage["timing"] = tm
        if d["frequency"]["form"] == "as_needed":
            dosage["asNeeded"] = True
    if d.get("reps") is not None:
        dosage["doseAndRate"] = [{"doseRange": value_range(d["reps"], "reps")}]
    cues = [t.fill(c, fill_side, side) for c in lv["cues"]]
    if cues:
        dosage["patientInstruction"] = "\n".join(cues)
    extra = [{"text": f"Common error: {e['error']}" + (f" Fix: {e['fix']}" if e.get("fix") else "")}
             for e in lv["errors"]]
    extra += [{"text": f"Modification: {m['text'] if isinstance(m, dict) else m}"}
              for m in lv["modifications"]]
    if extra:
        dosage["additionalInstruction"] = extra
    title = ex["title"] or ex["name"]
    level_title = f"{title}, level {lv['level']}" + (f" ({lv['title']})" if lv["title"] else "")
    ident = fhir_id(name, ex["name"], lv["level"])
    extensions = [dosage_ext(d, document, side)] + [load_ext(ld, document) for ld in lv["loads"]]
    extensions += [{"url": EXT + "increase", "valueString":
                    f"increase {i['what']} by {t.number(i['by'])} every {i['every']}"
                    + (f" up to {t.number(i['up_to'])}" if i.get("up_to") is not None else "")}
                   for i in lv["increases"]]
    extensions.append({"url": EXT + "by_criterion", "valueBoolean": lv["by_criterion"]})
    extensions += window_ext(lv["window"])
    resource: dict[str, Any] = {
        "resourceType": "ActivityDefinition", "id": ident,
        "url": f"urn:protodsl:{name}:{ex['name']}:level-{lv['level']}",
        "name": re.sub(r"[^A-Za-z0-9_]", "_", f"{name}_{ex['name']}_{lv['level']}"),
        "title": level_title, "status": "draft", "kind": "ServiceRequest", "intent": "plan",
        "code": {"text": title, "coding": [{"system": "urn:protodsl:exercise",
                                            "code": ex["name"], "display": title}]},
        "topic": [{"text": ex["kind"]}] if ex.get("kind") else None,
        "dosage": [dosage], "extension": extensions,
    }
    if steps:
        resource["usage"] = "\n".join(steps)
    if lv["notes"]:
        resource["description"] = "\n".join(lv["notes"])
    return {k: v for k, v in resource.items() if v is not None}


def level_id(ex: dict[str, Any], level: int) -> str:
    """The id of an exercise level's action."""
    return fhir_id("exercise", ex["name"], "level", level)


def level_action(document: dict[str, Any], ex: dict[str, Any], lv: dict[str, Any]
                 ) -> dict[str, Any]:
    name = document["protocol"]["name"]
    conditions = []
    if lv["requires"] is not None and lv["requires"] != ex["requires"]:
        conditions.append({"kind": "applicability",
                           "expression": expression(lv["requires"], document, "requires: ")})
    related = []
    for other in ex["levels"]:
        for a in other["advance"]:
            if a["to"] == lv["level"]:
                conditions.append({"kind": "start", "expression": expression(
                    a["when"], document, f"advance from level {other['level']} when: ")})
                related.append({"targetId": level_id(ex, other["level"]),
                                "relationship": "after"})
        for r in other["regress"]:
            if r["to"] == lv["level"]:
                conditions.append({"kind": "start", "expression": expression(
                    r["when"], document, f"regress from level {other['level']} when: ")})
    for s in lv["stop_if"]:
        conditions.append({"kind": "stop", "expression": expression(s, document, "stop if: ")})
    action: dict[str, Any] = {
        "id": level_id(ex, lv["level"]),
        "title": f"Level {lv['level']}" + (f": {lv['title']}" if lv["title"] else ""),
        "textEquivalent": ("only when the criterion is met" if lv["by_criterion"]
                           else "from its first week"),
        "definitionCanonical": f"urn:protodsl:{name}:{ex['name']}:level-{lv['level']}",
    }
    if conditions:
        action["condition"] = conditions
    if related:
        action["relatedAction"] = related
    return action


def exercise_action(document: dict[str, Any], ex: dict[str, Any], weeks: int | None,
                    previous: str | None) -> dict[str, Any]:
    action: dict[str, Any] = {
        "id": fhir_id("exercise", ex["name"]), "title": ex["title"] or ex["name"],
        "groupingBehavior": "logical-group", "selectionBehavior": "exactly-one",
        "action": [level_action(document, ex, lv) for lv in ex["levels"]],
    }
    if ex["bout"] is not None:
        tm = timing(ex["bout"]["frequency"], weeks)
        if tm is not None:
            action["timingTiming"] = tm
    if ex["requires"] is not None:
        action["condition"] = [{"kind": "applicability", "expression": expression(
            ex["requires"], document, "requires: ")}]
    if previous is not None:
        action["relatedAction"] = [{"targetId": previous, "relationship": "after-end"}]
    ext = window_ext(ex["window"])
    if ext:
        action["extension"] = ext
    return action


def bundle(document: dict[str, Any], options: Options) -> dict[str, Any]:
    """The Bundle as a dict (FHIR JSON)."""
    p = document["protocol"]
    name = p["name"]
    sched = document["schedule"]
    weeks = sched["weeks"] if sched else None
    session: list[dict[str, Any]] = []
    bouts: list[dict[str, Any]] = []
    previous = None
    for ex in document["exercises"]:
        if ex["bout"] is None:
            session.append(exercise_action(document, ex, weeks, previous))
            previous = fhir_id("exercise", ex["name"])
        else:
            bouts.append(exercise_action(document, ex, weeks, None))
    actions: list[dict[str, Any]] = []
    if session:
        top: dict[str, Any] = {"id": "session", "title": "Session",
                               "groupingBehavior": "visual-group", "selectionBehavior": "all",
                               "action": session}
        tm = timing(sched["frequency"], weeks) if sched else None
        if tm is not None:
            top["timingTiming"] = tm
        if document["stop_if"]:
            top["condition"] = [{"kind": "stop", "expression": expression(
                s, document, "stop if: ")} for s in document["stop_if"]]
        actions.append(top)
    actions += bouts
    plan: dict[str, Any] = {
        "resourceType": "PlanDefinition", "id": fhir_id(name),
        "url": f"urn:protodsl:{name}", "name": re.sub(r"[^A-Za-z0-9_]", "_", name),
        "title": p["title"] or name, "status": "draft",
        "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/plan-definition-type",
                             "code": "clinical-protocol", "display": "Clinical Protocol"}]},
    }
    if p.get("version"):
        plan["version"] = p["version"]
    if p.get("purpose"):
        plan["purpose"] = p["purpose"]
    if p.get("author"):
        plan["author"] = [{"name": p["author"]}]
    if p.get("source"):
        plan["relatedArtifact"] = [{"type": "citation", "citation": p["source"]}]
    if p["notes"]:
        plan["description"] = "\n".join(p["notes"])
    if actions:
        plan["action"] = actions
    entries = [plan] + [activity(document, ex, lv, options)
                        for ex in document["exercises"] for lv in ex["levels"]]
    return {"resourceType": "Bundle", "id": fhir_id(name, "bundle"), "type": "collection",
            "entry": [{"fullUrl": "urn:uuid:" + str(uuid.uuid5(NAMESPACE, r["url"])),
                       "resource": r} for r in entries]}


def export(document: dict[str, Any], options: Options) -> bytes:
    """The Bundle as FHIR JSON (validated against the R5 models)."""
    from fhir.resources.bundle import Bundle

    data = bundle(document, options)
    Bundle.model_validate(data)  # raises on anything R5 does not allow
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()
