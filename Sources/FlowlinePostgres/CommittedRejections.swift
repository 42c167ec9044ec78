import Foundation

/// The records a destination's committed loads left out (bad values under the drop policy), so
/// the run can count them among its failures: the runner only sees records the plan refused.
public final class CommittedRejections: @unchecked Sendable {
    // @unchecked: `count` and `firstNote` are only touched under `lock`.
    private let lock = NSLock()
    private var count: Int64 = 0
    private var firstNote: String?

    public init() {}

    /// Called once a load committed with `count` records left out; `note` says where they went.
    func add(_ count: Int64, note: String) {
        guard count > 0 else { return }
        lock.lock()
        defer { lock.unlock() }
        self.count += count
        if firstNote == nil { firstNote = note }
    }

    /// How many records were left out, and a note for the run's message (nil when none).
    public var summary: (count: Int64, note: String?) {
        lock.lock()
        defer { lock.unlock() }
        return (count, firstNote)
    }
}
