/// `kind: RunbookTest` (tests/), so editors complete and check runbook tests as they do
/// runbooks; the keys come from ``FormatKeys`` and the value sets from the test decoder.
extension CatalogSchema {
    static var testSuiteProperties: [String: Any] {
        documentProperties.merging([
            "metadata": ref("metadata"),
            "tests": [
                "type": "array", "minItems": 1,
                "items": object(FormatKeys.testCase, testCaseProperties, required: ["name", "expect"]),
            ],
        ]) { _, new in new }
    }

    static var testCaseProperties: [String: Any] {
        let alert: [String: Any] = [
            "type": ["string", "object"],
            "description":
                "an alert inline (plain or Alertmanager JSON shape), or a JSON file relative to the catalog root",
        ]
        return [
            "name": string("what the test shows, in words"),
            "alert": alert,
            "check": string("a scheduled runbook or check, run for its tick at started_at, without an alert"),
            "alerts": [
                "type": "array", "minItems": 1,
                "items": object(FormatKeys.timedAlert, ["at": ref("duration"), "alert": alert], required: ["alert"]),
            ],
            "assume": [
                "type": "object",
                "description": "step outcomes by step id (CALL.STEP inside a playbook); a step not named is ok",
                "additionalProperties": [
                    "oneOf": [
                        string("ok, fail, exit:N or timeout, optionally :DURATION (ok:40s)"),
                        assumptionMapping,
                    ]
                ],
            ],
            "budgets": [
                "type": "object",
                "description":
                    "uses of budgets already in their window, by step id (_runbook: the runbook's own budget)",
                "additionalProperties": ["type": "integer", "minimum": 0],
            ],
            "ack_at": ref("duration"), "resolve_at": ref("duration"), "for": ref("duration"),
            "started_at": string("when the drill starts (RFC 3339), for tests of now, weekday() and hour()"),
            "expect": object(FormatKeys.testExpect, testExpectProperties),
        ]
    }

    static var testAssumptionProperties: [String: Any] {
        [
            "outcome": string("ok, fail, exit:N or timeout"),
            "stdout": string("what the step printed: its outputs are taken from it"),
            "took": ref("duration"),
            "value": [
                "type": ["number", "null"], "description": "for a query: step, the assumed scalar (steps.ID.value)",
            ],
            "samples": [
                "type": "array", "description": "for a query: step, the assumed vector (steps.ID.samples)",
                "items": object(
                    FormatKeys.testSample,
                    [
                        "labels": ["type": "object", "additionalProperties": ["type": "string"]],
                        "value": ["type": ["number", "null"]],
                    ]),
            ],
        ]
    }

    /// An assumption as a mapping: an outcome, an assumed query result, or both.
    private static var assumptionMapping: [String: Any] {
        var mapping = object(FormatKeys.testAssumption, testAssumptionProperties)
        mapping["anyOf"] = [["required": ["outcome"]], ["required": ["value"]], ["required": ["samples"]]]
        return mapping
    }

    static var testExpectProperties: [String: Any] {
        [
            "runbook": string("the runbook the alert routes to, or none"),
            "outcome": ["enum": DocumentDecoder.testOutcomes],
            "handoff": string("the runbook the run hands the alert to, or none"),
            "steps": ["type": "object", "additionalProperties": ["enum": DocumentDecoder.stepStatuses]],
            "argv": ["type": "object", "additionalProperties": ["type": "array", "items": ["type": "string"]]],
            "escalations": [
                "type": "array",
                "items": object(
                    FormatKeys.testEscalation,
                    ["at": ref("duration"), "notify": ["type": "array", "items": ["type": "string"]]],
                    required: ["at"]),
            ],
            "raised": [
                "type": "array",
                "items": object(
                    FormatKeys.testRaised,
                    [
                        "alertname": string("the raised alert's name"), "status": ["enum": ["firing", "resolved"]],
                        "labels": ["type": "object", "additionalProperties": ["type": "string"]],
                        "runbook": string("the runbook intake routes it to, or none"),
                    ], required: ["alertname"]),
            ],
            "status": [
                "type": "array",
                "items": object(
                    FormatKeys.testStatus,
                    [
                        "trigger": ["enum": DocumentDecoder.statusTriggers], "at": ref("duration"),
                        "contains": string("text the message contains"),
                    ], required: ["contains"]),
            ],
        ]
    }
}
