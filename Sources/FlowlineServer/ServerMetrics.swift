import Foundation
import FlowlineService

/// Counters for `/metrics`, in Prometheus' text exposition format (version 0.0.4).
public final class ServerMetrics: @unchecked Sendable {
    // @unchecked: every field is read and written only while `lock` is held.
    private let lock = NSLock()
    private var requests: [String: Int] = [:]          // "operation|status"
    private var runsStarted: [String: Int] = [:]       // trigger
    private var runsFinished: [String: Int] = [:]      // status
    private var records: Int64 = 0
    private var recordFailures: Int64 = 0
    private var bytesRead: Int64 = 0
    private var bytesWritten: Int64 = 0
    private var durationBuckets: [Int] = Array(repeating: 0, count: ServerMetrics.bounds.count)
    private var durationSum: Double = 0
    private var durationCount = 0
    private var deactivations = 0

    static let bounds: [Double] = [0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600]

    public init() {}

    func request(operation: String, status: Int) {
        lock.withLock { requests["\(operation)|\(status)", default: 0] += 1 }
    }

    func record(_ event: RunEvent) {
        lock.withLock {
            switch event.kind {
            case .start:
                runsStarted[event.trigger.rawValue, default: 0] += 1
            case .deactivated:
                deactivations += 1
            case .end:
                guard let e = event.execution else { return }
                runsFinished[e.status.rawValue, default: 0] += 1
                records += e.recordsProcessed
                recordFailures += e.putFailuresCount
                bytesRead += e.bytesProcessed
                bytesWritten += e.bytesWritten
                let seconds = max(event.durationSeconds ?? 0, 0)
                for (i, bound) in Self.bounds.enumerated() where seconds <= bound { durationBuckets[i] += 1 }
                durationSum += seconds
                durationCount += 1
            }
        }
    }

    func exposition(runsInFlight: Int, consoleSessions: Int = 0) -> String {
        lock.withLock {
            var out = ""
            func family(_ name: String, _ type: String, _ help: String) {
                out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            }
            family("flowline_http_requests_total", "counter", "API requests by operation and HTTP status.")
            for (key, n) in requests.sorted(by: { $0.key < $1.key }) {
                let parts = key.split(separator: "|")
                out += "flowline_http_requests_total{operation=\"\(parts[0])\",status=\"\(parts[1])\"} \(n)\n"
            }
            family("flowline_runs_started_total", "counter", "Flow runs started, by trigger.")
            for (trigger, n) in runsStarted.sorted(by: { $0.key < $1.key }) {
                out += "flowline_runs_started_total{trigger=\"\(trigger)\"} \(n)\n"
            }
            family("flowline_runs_finished_total", "counter", "Flow runs finished, by final status.")
            for (status, n) in runsFinished.sorted(by: { $0.key < $1.key }) {
                out += "flowline_runs_finished_total{status=\"\(status)\"} \(n)\n"
            }
            family("flowline_runs_in_flight", "gauge", "Flow runs being performed now.")
            out += "flowline_runs_in_flight \(runsInFlight)\n"
            family("flowline_console_sessions", "gauge", "Signed-in web console sessions kept in memory.")
            out += "flowline_console_sessions \(consoleSessions)\n"
            family("flowline_records_processed_total", "counter", "Records written by finished runs.")
            out += "flowline_records_processed_total \(records)\n"
            family("flowline_record_failures_total", "counter", "Records rejected by finished runs.")
            out += "flowline_record_failures_total \(recordFailures)\n"
            family("flowline_bytes_read_total", "counter", "Source bytes read by finished runs.")
            out += "flowline_bytes_read_total \(bytesRead)\n"
            family("flowline_bytes_written_total", "counter", "Bytes written by finished runs.")
            out += "flowline_bytes_written_total \(bytesWritten)\n"
            family("flowline_flow_deactivations_total", "counter", "Flows suspended after repeated failures.")
            out += "flowline_flow_deactivations_total \(deactivations)\n"
            family("flowline_run_duration_seconds", "histogram", "Duration of finished runs.")
            for (i, bound) in Self.bounds.enumerated() {
                out += "flowline_run_duration_seconds_bucket{le=\"\(bound)\"} \(durationBuckets[i])\n"
            }
            out += "flowline_run_duration_seconds_bucket{le=\"+Inf\"} \(durationCount)\n"
            out += "flowline_run_duration_seconds_sum \(durationSum)\n"
            out += "flowline_run_duration_seconds_count \(durationCount)\n"
            return out
        }
    }
}
