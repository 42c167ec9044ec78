import CSnappy
import CZstd

/// A block compression codec backed by the system libraries; the only place their C calls are made.
public enum Codec: String, Sendable, Hashable, CaseIterable {
    case uncompressed
    case snappy
    case zstd

    /// The zstd level used by default; 1 favours speed, as Arrow's writer does.
    public static let defaultZstdLevel: Int32 = 1

    /// Compresses `input` into a new array.
    public func compress(_ input: [UInt8], zstdLevel: Int32 = Codec.defaultZstdLevel) throws -> [UInt8] {
        var output: [UInt8] = []
        try input.withUnsafeBytes { raw in
            try compress(raw, appendingTo: &output, zstdLevel: zstdLevel)
        }
        return output
    }

    /// Compresses `input` and appends the result to `output`, so callers can reuse one buffer.
    public func compress(_ input: UnsafeRawBufferPointer, appendingTo output: inout [UInt8],
                         zstdLevel: Int32 = Codec.defaultZstdLevel) throws {
        switch self {
        case .uncompressed:
            output.append(contentsOf: input)
        case .snappy:
            let bound = snappy_max_compressed_length(input.count)
            try appendCompressed(into: &output, bound: bound) { dst in
                var length = bound
                let status = snappy_compress(input.baseAddress?.assumingMemoryBound(to: CChar.self), input.count,
                                             dst.assumingMemoryBound(to: CChar.self), &length)
                guard status == SNAPPY_OK else {
                    throw CodecError(codec: self, inputBytes: input.count, reason: "snappy_compress status \(status.rawValue)")
                }
                return length
            }
        case .zstd:
            let bound = ZSTD_compressBound(input.count)
            try appendCompressed(into: &output, bound: bound) { dst in
                let written = ZSTD_compress(dst, bound, input.baseAddress, input.count, zstdLevel)
                if ZSTD_isError(written) != 0 {
                    let reason = String(cString: ZSTD_getErrorName(written))
                    throw CodecError(codec: self, inputBytes: input.count, reason: reason)
                }
                return written
            }
        }
    }

    /// Grows `output` by `bound` bytes, lets `body` fill them, then trims to what it wrote.
    private func appendCompressed(into output: inout [UInt8], bound: Int,
                                  _ body: (UnsafeMutableRawPointer) throws -> Int) throws {
        let start = output.count
        var written = 0
        output.append(contentsOf: repeatElement(0, count: bound))
        defer { output.removeLast(bound - written) }
        try output.withUnsafeMutableBytes { raw in
            written = try body(raw.baseAddress! + start)
        }
    }
}

public struct CodecError: Error, CustomStringConvertible {
    public let codec: Codec
    public let inputBytes: Int
    public let reason: String

    public var description: String {
        "\(codec.rawValue) compression of \(inputBytes) bytes failed: \(reason)"
    }
}
