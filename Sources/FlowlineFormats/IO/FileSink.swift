#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A buffered, append-only file writer over a raw file descriptor.
///
/// Writers for every format append bytes here; `bytesWritten` counts what reached the sink.
/// `sync()` flushes and fsyncs so a later rename publishes a complete file.
public final class FileSink {
    public let path: String
    public private(set) var bytesWritten: Int64 = 0
    private var fd: Int32
    private var buffer: [UInt8] = []
    private let capacity: Int

    /// Opens `path` for writing, truncating what is there; `exclusive` creates a new file instead
    /// and fails if anything (a file, a link) is already at `path`, as temporary files must.
    public init(path: String, bufferSize: Int = 1 << 20, exclusive: Bool = false) throws {
        self.path = path
        self.capacity = bufferSize
        let creation = exclusive ? O_EXCL | O_NOFOLLOW : O_TRUNC
        fd = Glibc.open(path, O_WRONLY | O_CREAT | creation | O_CLOEXEC, 0o644)
        if fd < 0 { throw FileSinkError(path: path, operation: "open", errno: errno) }
        buffer.reserveCapacity(bufferSize)
    }

    deinit {
        if fd >= 0 { _ = Glibc.close(fd) }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        bytesWritten += Int64(bytes.count)
        if buffer.count + bytes.count > capacity { try flush() }
        if bytes.count >= capacity {
            try writeFully(bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { (raw) throws in try write(raw) }
    }

    public func write(_ string: String) throws {
        var s = string
        try s.withUTF8 { (utf8) throws in try write(UnsafeRawBufferPointer(utf8)) }
    }

    public func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { (raw) throws in try writeFully(raw) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes the buffer and asks the kernel to put the file on disk.
    public func sync() throws {
        try flush()
        if fsync(fd) != 0 { throw FileSinkError(path: path, operation: "fsync", errno: errno) }
    }

    public func close() throws {
        guard fd >= 0 else { return }
        try flush()
        let rc = Glibc.close(fd)
        fd = -1
        if rc != 0 { throw FileSinkError(path: path, operation: "close", errno: errno) }
    }

    private func writeFully(_ raw: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < raw.count {
            let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw FileSinkError(path: path, operation: "write", errno: errno)
            }
            offset += n
        }
    }
}

public struct FileSinkError: Error, CustomStringConvertible {
    public let path: String
    public let operation: String
    public let errno: Int32

    public var description: String {
        "\(operation) \(path): \(String(cString: strerror(errno)))"
    }
}
