import RunbookLifecycle
import Testing

/// Repeat or new incident: (last seen, now, window, in hand) → repeat?
struct AlertOccurrenceTests {
    struct Row: Sendable {
        var lastSeen: Int64
        var now: Int64
        var inHand: Bool
        var isRepeat: Bool
    }

    @Test(arguments: [
        Row(lastSeen: 0, now: 30_000, inHand: false, isRepeat: true),  // within the window
        Row(lastSeen: 0, now: 60_000, inHand: false, isRepeat: true),  // the window's last millisecond
        Row(lastSeen: 0, now: 60_001, inHand: false, isRepeat: false),  // past it, nothing in hand: new
        Row(lastSeen: 0, now: 4 * 3_600_000, inHand: true, isRepeat: true),  // Alertmanager's 4 h re-send, run open
        Row(lastSeen: 0, now: 60_001, inHand: true, isRepeat: true),
    ])
    func repeatOrNew(_ row: Row) {
        var asked = false
        let isRepeat = AlertOccurrence.isRepeat(lastSeenAt: row.lastSeen, now: row.now, dedupWindow: 60_000) {
            asked = true
            return row.inHand
        }
        #expect(isRepeat == row.isRepeat)
        // Within the window the store is not asked whether the alert is in hand.
        #expect(asked == (row.now - row.lastSeen > 60_000))
    }
}
