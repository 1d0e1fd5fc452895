import Foundation

/// The JSON Schema (draft-07) of the rbx/v1 formats, for editors: with
/// `# yaml-language-server: $schema=…` at the top of a file, yaml-language-server completes
/// keys and flags mistakes as you type.
///
/// Object properties come from ``FormatKeys`` (the lists the decoders use), so the schema
/// and `rbx lint` agree on which keys exist. The schema checks shape only; references between
/// files, expressions and ordering are `rbx lint`'s job.
public enum CatalogSchema {
    public static let identifier = "https://rbx.dev/schema/rbx-v1.json"

    public static func json() -> String {
        DiagnosticRenderer.serialize(document())
    }

    /// Keys of `FormatKeys` that have no property schema here; a test keeps this empty.
    public static var keysWithoutSchema: [String] {
        specs.flatMap { keys, properties in keys.filter { properties[$0] == nil } }
    }

    static func document() -> [String: Any] {
        [
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$id": identifier,
            "title": "rbx/v1 runbook, check, playbook, configuration or runbook test",
            "type": "object",
            "required": ["apiVersion", "kind"],
            "properties": [
                "apiVersion": ["const": "rbx/v1"],
                "kind": [
                    "enum": ["Runbook", "Check", "Playbook", "Config", "RunbookTest"],
                    "description":
                        "Runbook or Check (runbooks/), Playbook (playbooks/), Config (rbx.yaml) or RunbookTest (tests/)",
                ],
            ],
            "allOf": ["Runbook", "Check", "Playbook", "Config", "RunbookTest"].map { kind in
                [
                    "if": ["properties": ["kind": ["const": kind]]],
                    "then": ["$ref": "#/definitions/\(kind.prefix(1).lowercased() + kind.dropFirst())"],
                ]
            },
            "definitions": definitions,
        ]
    }

    static func object(
        _ keys: FormatKeys.KeySet, _ properties: [String: Any], required: [String] = [], description: String? = nil
    ) -> [String: Any] {
        var result: [String: Any] = [
            "type": "object", "additionalProperties": false,
            "properties": Dictionary(uniqueKeysWithValues: keys.map { ($0, properties[$0] ?? [:]) }),
        ]
        if !required.isEmpty { result["required"] = required }
        if let description { result["description"] = description }
        return result
    }

    static func ref(_ name: String) -> [String: Any] { ["$ref": "#/definitions/\(name)"] }
    static func string(_ description: String) -> [String: Any] {
        ["type": "string", "description": description]
    }
    private static var stringList: [String: Any] { ["type": "array", "items": ["type": "string"]] }
    private static var notifierList: [String: Any] {
        ["type": "array", "items": ["$ref": "#/definitions/name"], "description": "notifier names from rbx.yaml"]
    }

    static var documentProperties: [String: Any] {
        ["apiVersion": ["const": "rbx/v1"], "kind": ["type": "string"]]
    }

    private static var metadataProperties: [String: Any] {
        [
            "name": ref("name"), "title": string("human title"), "owner": string("owning team"),
            "summary": string("one line"), "description": string("longer text (Markdown)"), "links": stringList,
            "tags": stringList,
        ]
    }

    private static var stepProperties: [String: Any] {
        [
            "id": ["type": "string", "pattern": "^[a-z][a-z0-9_-]*$"],
            "name": string("human title"), "description": string("why this step exists"),
            "kind": ["enum": StepKind.allCases.map(\.rawValue)],
            "run": [
                "type": "array", "minItems": 1, "items": ["type": "string"],
                "description": "argv; never given to a shell",
            ],
            "shell": string("a /bin/sh script; interpolated values are shell-quoted"),
            "uses": ref("name"),
            "with": ["type": "object", "additionalProperties": ["type": ["string", "number", "boolean"]]],
            "env": ["type": "object", "additionalProperties": ["type": "string"]],
            "when": ref("condition"), "until": ref("condition"),
            "timeout": ref("stepDuration"), "interval": ref("stepDuration"), "backoff": ref("stepDuration"),
            "duration": ref("stepDuration"),
            "workdir": string("the directory run: and shell: start in; absolute; may interpolate {{…}}"),
            "stop": string("for kind: stop: why the run ends here without being resolved; may interpolate {{…}}"),
            "handoff": [
                "$ref": "#/definitions/name",
                "description": "for kind: stop: the runbook that then starts for the same alert",
            ],
            "query": string(
                "for kind: diagnostic: a PromQL instant query; {{…}} values are escaped inside quotes, numbers elsewhere"
            ),
            "prometheus": ref("name"),
            "retries": ["type": "integer", "minimum": 0],
            "continue_on_error": ["type": "boolean"], "safe": ["type": "boolean"], "idempotent": ["type": "boolean"],
            "outputs": [
                "type": "object",
                "additionalProperties": [
                    "oneOf": [
                        ["type": "string", "description": "regex over stdout; first capture group (a string)"],
                        outputMapping,
                    ]
                ],
            ],
            "notify": notifierList, "template": ref("name"), "message": string("short text; may interpolate {{…}}"),
            "approvers": stringList, "on_timeout": ["enum": Step.ApprovalTimeout.allCases.map(\.rawValue)],
            "min_approvers": ["type": "integer", "minimum": 1, "description": "distinct people who must approve"],
            "allow_leading_dash": [
                "type": "boolean",
                "description": "run: elements that begin with an interpolated value may begin with -",
            ],
            "budget": ref("budget"),
            "raise": object(
                FormatKeys.raise,
                [
                    "alertname": string("the alert's name (its alertname label); may interpolate {{…}}"),
                    "severity": string("a level of the severity ladder; may interpolate {{…}}"),
                    "labels": ["type": "object", "additionalProperties": ["type": "string"]],
                    "annotations": ["type": "object", "additionalProperties": ["type": "string"]],
                    "expires": ref("duration"),
                    "resolve": ["type": "boolean", "description": "send the alert resolved"],
                ], required: ["alertname"],
                description: "for kind: raise: an alert into rbx's own intake"),
        ]
    }

    private static var statusMessageProperties: [String: Any] {
        [
            "template": ref("name"), "state": ["enum": StatusMessage.State.allCases.map(\.rawValue)],
            "every": ref("duration"), "notify": notifierList,
        ]
    }

    private static var inputProperties: [String: Any] {
        [
            "type": ["enum": PlaybookInput.ValueType.allCases.map(\.rawValue)], "required": ["type": "boolean"],
            "default": ["type": ["string", "number", "boolean"]],
            "pattern": string("regex the rendered value must match"),
            "allow_leading_dash": ["type": "boolean"], "description": string("what the input is"),
        ]
    }

    private static var notifierProperties: [String: Any] {
        [
            "type": ["enum": CatalogConfig.Notifier.Kind.allCases.map(\.rawValue)], "url": string("webhook URL"),
            "headers": ["type": "object", "additionalProperties": ["type": "string"]], "timeout": ref("duration"),
            "run": ["type": "array", "minItems": 1, "items": ["type": "string"]], "path": string("file to append to"),
            "drill": ["enum": CatalogConfig.Notifier.DrillDelivery.allCases.map(\.rawValue)],
        ]
    }

    private static var configSections: [String: Any] {
        [
            "severity": object(
                FormatKeys.configSeverity,
                [
                    "levels": stringList, "aliases": ["type": "object", "additionalProperties": ["type": "string"]],
                    "label": string("label that carries the severity"),
                    "default": string("level for alerts without one"),
                ]),
            "source": object(
                FormatKeys.configSource,
                ["label": string("label that carries the source"), "default": string("source of alerts without one")]),
            "defaults": object(
                FormatKeys.configDefaults,
                [
                    "dedup_window": ref("duration"), "cooldown": ref("duration"), "step_timeout": ref("duration"),
                    "interval": ref("duration"), "backoff": ref("duration"), "output_limit": ref("size"),
                ]),
            "notifiers": [
                "type": "object", "propertyNames": ref("name"),
                "additionalProperties": object(FormatKeys.notifier, notifierProperties, required: ["type"]),
            ],
            "escalation": object(
                FormatKeys.configEscalation,
                [
                    "policies": [
                        "type": "object", "propertyNames": ref("name"),
                        "additionalProperties": object(
                            FormatKeys.escalationPolicy,
                            ["rungs": ref("escalationLadder"), "status": ref("status")], required: ["rungs"]),
                    ],
                    "default": ref("name"),
                    "by_severity": [
                        "type": "object", "additionalProperties": ref("name"),
                        "description": "severity level or alias → policy, for runbooks without escalation:",
                    ],
                ]),
            "prometheus": [
                "type": "object", "propertyNames": ref("name"),
                "additionalProperties": object(
                    FormatKeys.prometheusServer,
                    [
                        "url": string("http(s):// base URL; rbx asks URL/api/v1/query"),
                        "token": string("a ${NAME} reference, sent as Authorization: Bearer"),
                        "timeout": ref("duration"),
                    ], required: ["url"]),
            ],
            "delivery": object(
                FormatKeys.delivery,
                [
                    "attempts": [
                        "type": "integer", "minimum": 1,
                        "description": "deliveries tried per notifier, the first included",
                    ],
                    "backoff": ref("duration"), "fallback": string("notifier paged when a rung reached nobody"),
                ]),
            "status_page": object(
                FormatKeys.statusPage,
                [
                    "type": ["enum": CatalogConfig.StatusPage.Kind.allCases.map(\.rawValue)],
                    "path": string("directory"), "url": string("webhook URL"),
                ]),
            "store": ["type": "string", "pattern": "^(sqlite:|postgres(ql)?://)"],
            "auth": object(
                FormatKeys.auth,
                [
                    "token": string("a ${NAME} reference"), "token_file": string("file holding the token"),
                    "tokens": [
                        "type": "array",
                        "items": object(
                            FormatKeys.namedToken,
                            [
                                "name": string("who presents this token"), "token": string("a ${NAME} reference"),
                                "as": [
                                    "type": "array", "items": ["type": "string"],
                                    "description": "roles approvers: may list",
                                ],
                            ]),
                    ],
                ]),
            "server": object(
                FormatKeys.server,
                [
                    "listen": string("host:port"), "max_body": ref("size"),
                    "workers": ["type": "integer", "minimum": 1],
                    "retry_limit": ["type": "integer", "minimum": 0], "retry_delay": ref("duration"),
                    "claim_lock": ref("duration"),
                    "shutdown_grace": ref("duration"),
                    "label_names": ["enum": LabelNameRule.allCases.map(\.rawValue)],
                    "max_connections": ["type": "integer", "minimum": 16],
                    "header_timeout": ref("duration"), "body_timeout": ref("duration"),
                    "idle_timeout": ref("duration"),
                    "external_url": string("the http(s) URL people reach rbx at; https makes console cookies Secure"),
                    "session_lifetime": ref("duration"),
                ]),
            "env": object(FormatKeys.env, ["allow": stringList]),
            "secrets": object(FormatKeys.secrets, ["patterns": stringList]),
            "sample_alerts": string("directory of example alerts for rbx docs and rbx diff (examples/alerts)"),
            "evidence": object(
                FormatKeys.evidence,
                [
                    "dir": string("where evidence bundles go"),
                    "signing_key": string("${NAME}: an Ed25519 private key (PEM) that signs each bundle's manifest"),
                ]),
        ]
    }

    private static var runbookProperties: [String: Any] {
        documentProperties.merging([
            "metadata": ref("metadata"),
            "match": object(
                FormatKeys.match,
                [
                    "source": ["oneOf": [["type": "string"], stringList]],
                    "severity": [
                        "oneOf": [["type": "string"], stringList],
                        "description": "\">= P2\", a level, or a list of levels",
                    ],
                    "labels": [
                        "type": "object", "additionalProperties": ["type": "string"],
                        "description": "value, =value, !=value, =~regex, !~regex",
                    ],
                ]),
            "priority": ["type": "integer"], "concurrency": string("key; one run per rendered key"),
            "cooldown": ref("duration"),
            "cooldown_key": string(
                "what the cooldown counts runs by, instead of the fingerprint; may interpolate {{…}}"),
            "dedup_window": ref("duration"),
            "steps": ["type": "array", "minItems": 1, "items": ref("step")], "resolved_when": ref("condition"),
            "on_failure": cleanupSteps("after a step failed and stopped the steps"),
            "finally": cleanupSteps("after the steps, whatever happened"),
            "on_budget_exhausted": cleanupSteps("instead of on_failure when a budget is exhausted"),
            "budget": ref("budget"),
            "schedule": ref("schedule"),
            "escalation": [
                "anyOf": [
                    ref("escalationLadder"),
                    object(FormatKeys.escalationChoice, ["policy": ref("name")], required: ["policy"]),
                ],
                "description": "a ladder of rungs, or {policy: NAME} from rbx.yaml; absent: the catalog's default",
            ],
            "status": ref("status"),
        ]) { _, new in new }
    }

    private static var playbookProperties: [String: Any] {
        documentProperties.merging([
            "metadata": ref("metadata"),
            "inputs": ["type": "object", "additionalProperties": object(FormatKeys.playbookInput, inputProperties)],
            "steps": ["type": "array", "minItems": 1, "items": ref("step")],
            "on_failure": cleanupSteps("after a step failed and stopped the steps"),
            "finally": cleanupSteps("after the steps, whatever happened"),
            "outputs": [
                "type": "object", "additionalProperties": ref("condition"),
                "description": "what the call returns: steps.CALL.outputs.NAME in the caller",
            ],
        ]) { _, new in new }
    }

    private static func cleanupSteps(_ when: String) -> [String: Any] {
        ["type": "array", "minItems": 1, "items": ref("step"), "description": "steps that run " + when]
    }

    private static var configProperties: [String: Any] {
        documentProperties.merging(configSections) { _, new in new }
    }

    private static var outputProperties: [String: Any] {
        [
            "regex": string("first match (its first capture group), or every match with all"),
            "all": ["type": "boolean", "description": "every match, as a list"],
            "lines": ["const": true, "description": "every non-blank line, as a list"],
            "json": [
                "type": "string", "pattern": "^\\.",
                "description": "jq-like path into the output read as JSON: .data.result[0].value",
            ],
            "from": ["enum": StepOutput.Stream.allCases.map(\.rawValue)],
        ]
    }

    /// A structured output: exactly one of regex, lines and json.
    private static var outputMapping: [String: Any] {
        var mapping = object(FormatKeys.output, outputProperties)
        mapping["oneOf"] = [["required": ["regex"]], ["required": ["lines"]], ["required": ["json"]]]
        return mapping
    }

    /// Each key list with the property schemas that describe it.
    private static var specs: [(FormatKeys.KeySet, [String: Any])] {
        [
            (FormatKeys.runbook, runbookProperties), (FormatKeys.playbook, playbookProperties),
            (FormatKeys.config, configProperties),
            (FormatKeys.metadata, metadataProperties), (FormatKeys.step, stepProperties),
            (FormatKeys.statusMessage, statusMessageProperties),
            (FormatKeys.playbookInput, inputProperties), (FormatKeys.notifier, notifierProperties),
            (FormatKeys.output, outputProperties),
            (FormatKeys.testSuite, testSuiteProperties), (FormatKeys.testCase, testCaseProperties),
            (FormatKeys.testAssumption, testAssumptionProperties), (FormatKeys.testExpect, testExpectProperties),
        ]
    }

    private static var definitions: [String: Any] {
        [
            "runbook": object(
                FormatKeys.runbook, runbookProperties, required: ["apiVersion", "kind", "metadata", "match", "steps"]),
            "check": object(
                FormatKeys.check, runbookProperties, required: ["apiVersion", "kind", "metadata", "schedule", "steps"],
                description: "a runbook its schedule starts, without an alert"),
            "schedule": string(
                "every DURATION (ticks at multiples of it since the epoch), a 5-field cron expression in UTC, "
                    + "or @hourly, @daily, @weekly, @monthly, @yearly"),
            "playbook": object(
                FormatKeys.playbook, playbookProperties, required: ["apiVersion", "kind", "metadata", "steps"]),
            "config": object(FormatKeys.config, configProperties, required: ["apiVersion", "kind"]),
            "runbookTest": object(
                FormatKeys.testSuite, testSuiteProperties, required: ["apiVersion", "kind", "tests"]),
            "metadata": object(FormatKeys.metadata, metadataProperties, required: ["name"]),
            "step": object(FormatKeys.step, stepProperties, required: ["id", "kind"]),
            "statusMessage": object(FormatKeys.statusMessage, statusMessageProperties, required: ["template"]),
            "status": object(
                FormatKeys.status,
                [
                    "on_start": ref("statusMessage"), "on_update": ref("statusMessage"),
                    "on_resolved": ref("statusMessage"),
                ]),
            "escalationLadder": [
                "type": "array",
                "items": object(
                    FormatKeys.escalationRung,
                    [
                        "after": ref("duration"),
                        "notify": [
                            "type": "array", "items": ["type": "string"],
                            "description": "notifier names; team-{{ alert.labels.team }} picks a declared one",
                        ],
                        "repeat": ref("duration"), "template": ref("name"),
                        "when": ref("condition"), "fallback": notifierList,
                    ], required: ["after", "notify"]),
            ],
            "name": ["type": "string", "pattern": "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$"],
            "duration": [
                "type": "string", "pattern": "^([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?([0-9]+ms)?$", "minLength": 2,
                "description": "like 30s, 5m, 1h30m",
            ],
            "stepDuration": [
                "anyOf": [
                    ref("duration"),
                    [
                        "type": "string", "pattern": "\\{\\{",
                        "description": "from a playbook input: {{ inputs.grace }}",
                    ],
                ]
            ],
            "size": ["type": ["string", "integer"], "pattern": "^[0-9]+ ?(B|KiB|MiB|GiB|KB|MB|GB)?$"],
            "condition": string("a condition: steps.check.ok and alert.labels.env == \"prod\""),
            "budget": object(
                FormatKeys.budget,
                [
                    "max": ["type": "integer", "minimum": 1, "description": "uses allowed in the window"],
                    "per": [
                        "allOf": [ref("duration")], "description": "the sliding window; longer than 0s, at most 30d",
                    ],
                    "key": string(
                        "what uses are counted by; may interpolate {{…}}; default: one budget for all alerts"),
                ], required: ["max", "per"],
                description: "at most max runs per window, counted across runs by the server's store"),
        ]
    }
}
