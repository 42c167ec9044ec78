import Foundation
import Synchronization

/// What the Marketo emulator remembers beyond the tables: the documented limits a test switched on,
/// the calls counted against them, and the Bulk Extract jobs. One lock, never held across I/O.
final class MarketoState: Sendable {
    /// Switches set by `POST /_sandbox/marketo` (or `flowline-sandbox --marketo`). The defaults keep
    /// the sandbox as lenient as it always was; each limit is the documented one once switched on.
    struct Settings: Sendable {
        /// Error 1003 when more than 1,000 leads match a Get Leads by Filter Type call.
        var matchLimit = false
        /// 606 past `rateCalls` counted calls in the past `rateSeconds`; 615 past `concurrentCalls` at once.
        var rateLimit = false
        var rateCalls = 100
        var rateSeconds = 20
        var concurrentCalls = 10
        /// 607 once this many calls were counted (nil: no quota).
        var dailyQuota: Int?
        /// Calls wait until switched off again (so a test can hold calls open to reach the concurrency limit).
        var hold = false
        /// The `access_token` query parameter is refused (601), as Marketo announced for 30 June 2025.
        var headerTokensOnly = false
        /// Status polls a bulk export job stays Queued and Processing for.
        var exportPolls = 1
        /// Bytes of export files a day (Marketo's default allocation is 500 MB); 1029 past it.
        var exportQuotaBytes = 500_000_000
        /// The next N enqueued export jobs end Failed.
        var failExports = 0
    }

    enum ExportStatus: String, Sendable { case created = "Created", queued = "Queued", processing = "Processing",
                                               completed = "Completed", failed = "Failed", cancelled = "Cancelled" }

    /// One bulk export job. The file is written once, when the job completes.
    struct ExportJob: Sendable {
        var id: String
        var entity: String            // "leads" or "activities"
        var format: String            // CSV, TSV or SSV
        var filter: MarketoExportFilter
        var rows: [Int] = []          // the matching rows, chosen when the job starts processing
        var columns: [MarketoExportColumn]
        var status: ExportStatus = .created
        var createdAt: Int64
        var queuedAt: Int64?
        var startedAt: Int64?
        var finishedAt: Int64?
        var polls = 0
        var willFail = false
        var file: [UInt8]?
        var checksum: String?
    }

    struct Data: Sendable {
        var settings = Settings()
        var counted: [Int64] = []     // times (ms) of the calls inside the rate window
        var countedToday = 0
        var inFlight = 0
        var exports: [String: ExportJob] = [:]
        var exportOrder: [String] = []
        var exportBytesToday = 0
        var nextExport = 1
        /// Lead partitions (`leadPartitionId` 1…n); 1 until a test lays leads out in more.
        var partitions = 1
    }

    let state = Mutex(Data())

    func with<T>(_ body: (inout Data) throws -> T) rethrows -> T { try state.withLock { try body(&$0) } }

    var settings: Settings { with { $0.settings } }

    enum Admission: Sendable { case admitted(Int64), concurrent, rate, quota }

    /// Takes a call in (it counts and is in flight) unless a switched-on limit refuses it.
    func admit(now: Int64 = MarketoState.now()) -> Admission {
        with { d in
            let s = d.settings
            d.counted.removeAll { $0 <= now - Int64(s.rateSeconds) * 1000 }
            if s.rateLimit {
                if d.inFlight >= s.concurrentCalls { return .concurrent }
                if d.counted.count >= s.rateCalls { return .rate }
            }
            if let quota = s.dailyQuota, d.countedToday >= quota { return .quota }
            d.inFlight += 1
            d.counted.append(now)
            d.countedToday += 1
            return .admitted(now)
        }
    }

    /// Ends a call; a call that answered an error is not counted against the rate limit or the quota,
    /// as Marketo documents for response-level errors.
    func finish(_ at: Int64, counted: Bool) {
        with { d in
            d.inFlight -= 1
            if !counted {
                if let i = d.counted.lastIndex(of: at) { d.counted.remove(at: i) }
                d.countedToday -= 1
            }
        }
    }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
}
