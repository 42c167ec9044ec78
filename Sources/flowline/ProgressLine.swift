import Foundation
import FlowlineService

/// A one-line progress report on stderr while a run goes, only when stderr is a terminal.
final class ProgressLine: Sendable {
    static let shared = ProgressLine()

    let isEnabled = isatty(STDERR_FILENO) != 0
    private let started = Date()

    func report(_ executionId: String, _ progress: RunProgress) {
        let seconds = max(Date().timeIntervalSince(started), 0.001)
        let rate = Double(progress.recordsRead) / seconds
        let line = String(format: "\r%@: %lld records, %.1f MB read, %.0f records/s ",
                          String(executionId.prefix(8)), progress.recordsRead, Double(progress.bytesRead) / 1e6, rate)
        FileHandle.standardError.write(Data(line.utf8))
    }
}
