import RunbookCore

/// A time for a page: `<time>` carries the RFC 3339 instant, its text and title are UTC; the
/// page script rewrites the text in the reader's zone and leaves the UTC value on hover.
struct HTMLTime {
    var iso: String
    var utc: String

    init(epochMilliseconds milliseconds: Int64) {
        iso = RFC3339.format(epochMilliseconds: milliseconds)
        // 2026-12-07T03:40:12.345Z → 2026-12-07 03:40:12 UTC
        utc = String(iso.prefix(10)) + " " + String(iso.dropFirst(11).prefix(8)) + " UTC"
    }

    /// For templates: `{{#time}}<time datetime="{{iso}}" title="{{utc}}">{{utc}}</time>{{/time}}`.
    var values: [String: Any] { ["iso": iso, "utc": utc] }
}
