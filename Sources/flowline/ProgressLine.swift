import Foundation
import FlowlineConnectors
import FlowlineService
import Synchronization

/// One line of progress on stderr, only when stderr is a terminal (never in pipes, files or
/// logs): a run's records and rate as it goes, and for any command that waits more than a
/// second, how long it has waited and the retries of the service it waits for.
final class ProgressLine: Sendable {
    static let shared = ProgressLine()

    let isEnabled = isatty(STDERR_FILENO) != 0

    private struct State {
        var started = Date()
        /// When a run last reported; the waiting line stays out of its way.
        var lastRunReport: Date?
        var lastRetry: RetryNotice?
        var waitingShown = false
    }

    private let state = Mutex(State())

    func report(_ executionId: String, _ progress: RunProgress) {
        let seconds = max(Date().timeIntervalSince(state.withLock { $0.started }), 0.001)
        state.withLock { $0.lastRunReport = Date() }
        let rate = Double(progress.recordsRead) / seconds
        draw(String(format: "%@: %lld records, %.1f MB read, %.0f records/s",
                    String(executionId.prefix(8)), progress.recordsRead, Double(progress.bytesRead) / 1e6, rate))
    }

    /// Runs `body`; while it waits (after a first second) the line shows `label`, the seconds
    /// waited and the last retry. Afterwards a run's line is kept and a waiting line erased.
    func whileWaiting<T>(_ label: String, _ body: () async throws -> T) async rethrows -> T {
        guard isEnabled else { return try await body() }
        state.withLock { $0 = State() }
        let ticker = Task { [self] in
            var seconds = 0
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: 1_000_000_000)
                seconds += 1
                guard !Task.isCancelled else { break }
                drawWaiting(label, seconds: seconds)
            }
        }
        defer {
            ticker.cancel()
            let (ran, waited) = state.withLock { ($0.lastRunReport != nil, $0.waitingShown) }
            if ran {
                FileHandle.standardError.write(Data("\n".utf8))
            } else if waited {
                FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
            }
        }
        return try await HTTPTransport.$retryObserver.withValue({ [self] notice in
            state.withLock { $0.lastRetry = notice }
        }) {
            try await body()
        }
    }

    private func drawWaiting(_ label: String, seconds: Int) {
        let (lastRun, retry) = state.withLock { ($0.lastRunReport, $0.lastRetry) }
        if let lastRun, Date().timeIntervalSince(lastRun) < 2 { return }
        var line = "\(label): waiting \(seconds) s"
        if let retry {
            line += String(format: "; %@ at %@: %@, try %d of %d after %.1f s",
                           retry.service, retry.url, retry.reason, retry.attempt + 1, retry.maxAttempts, retry.wait)
        }
        state.withLock { $0.waitingShown = true }
        draw(line)
    }

    private func draw(_ text: String) {
        FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
    }
}
