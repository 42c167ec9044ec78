#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A sliding window over a file read front to back in fixed-size chunks with `read(2)`.
///
/// Text readers (CSV, JSON lines) parse `bytes[start..<end]` in place and advance `start`;
/// `refill()` moves the unparsed tail to the front and appends the next chunk, growing the
/// window only when one record is larger than it, so memory stays bounded by
/// chunk size + the longest record, whatever the file size.
final class FileReadBuffer {
    let path: String
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    /// First byte not yet consumed by the parser.
    var start = 0
    /// One past the last valid byte.
    private(set) var end = 0
    /// True once `read(2)` has returned 0.
    private(set) var isAtEOF = false
    /// Bytes read from the file so far.
    private(set) var bytesRead: Int64 = 0
    private let chunkSize: Int
    private var fd: Int32

    init(path: String, chunkSize: Int) throws {
        self.path = path
        self.chunkSize = max(chunkSize, 16)
        capacity = self.chunkSize
        base = .allocate(capacity: capacity)
        fd = open(path, O_RDONLY | O_CLOEXEC)
        // deinit frees `base` even when this throws: every stored property is set by now.
        if fd < 0 { throw FileReadError(path: path, operation: "open", errno: errno) }
    }

    deinit {
        if fd >= 0 { _ = close(fd) }
        base.deallocate()
    }

    var available: Int { end - start }

    /// Moves unconsumed bytes to the front and reads the next chunk after them.
    /// Returns false when nothing more could be read (end of file).
    @discardableResult
    func refill() throws -> Bool {
        guard !isAtEOF else { return false }
        let pending = end - start
        if start > 0 {
            if pending > 0 { (base).update(from: base + start, count: pending) }
            start = 0
            end = pending
        }
        if capacity - end < chunkSize {
            // One record is larger than the window: grow so a full chunk fits after it.
            let newCapacity = max(capacity * 2, end + chunkSize)
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            grown.update(from: base, count: end)
            base.deallocate()
            base = grown
            capacity = newCapacity
        }
        while true {
            let n = read(fd, base + end, chunkSize)
            if n < 0 {
                if errno == EINTR { continue }
                throw FileReadError(path: path, operation: "read", errno: errno)
            }
            if n == 0 {
                isAtEOF = true
                closeFile()
                return false
            }
            end += n
            bytesRead += Int64(n)
            return true
        }
    }

    /// Drops every buffered byte (used to skip the rest of an oversized record).
    func discardAll() {
        start = 0
        end = 0
    }

    /// Shrinks the window back to one chunk after an oversized record has been consumed.
    func shrinkIfOversized() {
        guard capacity > chunkSize * 4, end - start <= chunkSize else { return }
        let pending = end - start
        let small = UnsafeMutablePointer<UInt8>.allocate(capacity: chunkSize * 2)
        small.update(from: base + start, count: pending)
        base.deallocate()
        base = small
        capacity = chunkSize * 2
        start = 0
        end = pending
    }

    func closeFile() {
        if fd >= 0 { _ = close(fd); fd = -1 }
    }
}

/// A failed system call while reading an input file.
public struct FileReadError: Error, CustomStringConvertible {
    public let path: String
    public let operation: String
    public let errno: Int32

    public var description: String {
        "\(operation) \(path): \(String(cString: strerror(errno)))"
    }
}
