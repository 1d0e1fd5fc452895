/// What intake learned from routing one alert, for the store's decision on it: whether a
/// runbook takes it (an alert none takes is stored as handled), and the runbook's own
/// `dedup_window` (nil: the catalog default the store is given).
public struct AlertRoute: Sendable, Hashable {
    public var hasRunbook: Bool
    public var dedupWindow: Duration?

    public init(hasRunbook: Bool, dedupWindow: Duration? = nil) {
        self.hasRunbook = hasRunbook
        self.dedupWindow = dedupWindow
    }

    /// A runbook takes it, with the default window.
    public static let runbook = AlertRoute(hasRunbook: true)
    /// No runbook takes it.
    public static let unrouted = AlertRoute(hasRunbook: false)
}
