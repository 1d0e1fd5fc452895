import RunbookCore

/// How long a step may run, how often it polls and how long it backs off: its own settings
/// (rendered from playbook inputs where written as `{{ inputs.… }}`) or the catalog defaults.
/// Resolved once when the step starts, so every attempt of the step sees the same values.
struct StepTiming: Sendable {
    var timeout: Duration
    var interval: Duration
    var backoff: Duration

    init(
        _ step: Step, defaults: CatalogConfig.Defaults, render: (InterpolatedText) -> String
    ) throws(StepDurationError) {
        timeout = try Self.resolve(step.timeout?.value, default: defaults.stepTimeout, render)
        interval = try Self.resolve(step.interval, default: defaults.interval, render)
        backoff = try Self.resolve(step.backoff, default: defaults.backoff, render)
    }

    static func resolve(
        _ setting: StepDuration?, default fallback: Duration, _ render: (InterpolatedText) -> String
    ) throws(StepDurationError) -> Duration {
        guard let setting else { return fallback }
        return try setting.resolve(render).get()
    }
}
