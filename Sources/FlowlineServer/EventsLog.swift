import Foundation

/// Appends one JSON document per line to the events file (created 0600), one writer at a time.
final class EventsLog: @unchecked Sendable {
    // @unchecked: the file is only written while `lock` is held.
    let url: URL
    private let lock = NSLock()

    init(url: URL) {
        self.url = url
    }

    func append(_ line: Data) throws {
        try lock.withLock {
            let fd = open(url.path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path]) }
            defer { close(fd) }
            var bytes = line
            bytes.append(0x0A)
            // O_APPEND writes of one line land whole; loop only for a short write.
            try bytes.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
                    }
                    offset += n
                }
            }
        }
    }
}
