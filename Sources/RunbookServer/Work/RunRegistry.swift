import RunbookEngine

/// The runs executing steps in this process, with their controls, so the API can approve,
/// deny, acknowledge or resolve a run while its steps are still going.
actor RunRegistry {
    private var controls: [String: RunControl] = [:]

    func add(_ runID: String, control: RunControl) { controls[runID] = control }
    func remove(_ runID: String) { controls[runID] = nil }
    func control(for runID: String) -> RunControl? { controls[runID] }
    var count: Int { controls.count }
    var runIDs: [String] { Array(controls.keys) }
}
