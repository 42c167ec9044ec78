import Foundation
import FlowlineCore

/// Records the warehouse could not take, as JSON lines with the reason, in the flow's error
/// location. Written beside its final name and renamed there when the run commits, so a failed
/// run leaves no half file.
final class RejectedRecordFile {
    let finalPath: String
    private let partialPath: String
    private var handle: FileHandle?
    private(set) var count: Int64 = 0

    init(directory: String, flowName: String, executionId: String) {
        finalPath = "\(directory)/\(flowName)/\(executionId)/rejected-records.jsonl"
        partialPath = finalPath + ".partial"
    }

    func append(record: Int64, column: String, reason: String, fields: [String], values: [Value]) throws {
        if handle == nil {
            let folder = (partialPath as NSString).deletingLastPathComponent
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                // Owner-only (the rejected values are the run's data), created anew, never through a link.
                unlink(partialPath)
                let fd = open(partialPath, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
                guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
                handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
            } catch {
                throw RedshiftLoadError.rejectedFile("\(error)")
            }
        }
        var object: [String: Any] = [:]
        for (name, value) in zip(fields, values) { object[name] = value.text ?? NSNull() }
        let line: [String: Any] = ["record": record, "column": column, "reason": reason, "values": object]
        var data = try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys, .withoutEscapingSlashes])
        data.append(0x0A)
        handle?.write(data)
        count += 1
    }

    /// Publishes the file; returns its path, or nil when nothing was rejected.
    func commit() throws -> String? {
        guard let handle else { return nil }
        try handle.synchronize()
        try handle.close()
        self.handle = nil
        if FileManager.default.fileExists(atPath: finalPath) { try FileManager.default.removeItem(atPath: finalPath) }
        try FileManager.default.moveItem(atPath: partialPath, toPath: finalPath)
        return finalPath
    }

    func discard() {
        try? handle?.close()
        handle = nil
        try? FileManager.default.removeItem(atPath: partialPath)
    }
}
