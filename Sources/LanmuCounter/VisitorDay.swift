import Foundation

/// The day a hit belongs to: days since 1970-01-01 in a fixed UTC offset (the server's time zone when it starts),
/// so that "once per day" turns over at local midnight.
public struct VisitorDay: Sendable {
    let offsetSeconds: Int
    let now: @Sendable () -> Date

    /// - Parameters:
    ///   - timeZone: where midnight is.
    ///   - now: the clock (injected in tests).
    public init(timeZone: TimeZone = .current, now: @escaping @Sendable () -> Date = { Date() }) {
        self.offsetSeconds = timeZone.secondsFromGMT()
        self.now = now
    }

    /// Today's day number.
    public var today: Int {
        let seconds = Int(now().timeIntervalSince1970.rounded(.down)) + offsetSeconds
        return seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    }
}
