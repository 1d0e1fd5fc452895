/// A point in wall time as rbx's stores keep it: milliseconds since the Unix epoch.
///
/// The server's clock gives these, and a stored run's lifecycle is rebuilt with its start as
/// one, so offsets from the run's start come out the same as in the run's own task.
public struct EpochInstant: InstantProtocol, Sendable, Hashable, Codable {
    public var milliseconds: Int64

    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    public func advanced(by duration: Duration) -> EpochInstant {
        EpochInstant(
            milliseconds: milliseconds + duration.components.seconds * 1000
                + duration.components.attoseconds / 1_000_000_000_000_000)
    }

    public func duration(to other: EpochInstant) -> Duration { .milliseconds(other.milliseconds - milliseconds) }

    public static func < (lhs: EpochInstant, rhs: EpochInstant) -> Bool { lhs.milliseconds < rhs.milliseconds }
}
