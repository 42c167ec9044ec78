/// Where a value sits in a request, spelled the way AWS validation messages spell it:
/// `sourceFlowConfig.sourceConnectorProperties.S3`, `tasks.1.member.taskType` (list positions count from 1).
public struct ShapePath: Sendable, Equatable, CustomStringConvertible {
    public private(set) var components: [String]

    public init(_ components: [String] = []) { self.components = components }

    public func member(_ name: String) -> ShapePath { ShapePath(components + [name]) }
    public func element(_ index: Int) -> ShapePath { ShapePath(components + [String(index + 1), "member"]) }
    public func entry(_ key: String) -> ShapePath { ShapePath(components + [key]) }

    public var description: String { components.joined(separator: ".") }

    /// `'flowName'`, or `'bucketName' at 'sourceFlowConfig.sourceConnectorProperties.S3'` when nested.
    var quotedWithContainer: String {
        guard let last = components.last else { return "'(request)'" }
        let container = components.dropLast().joined(separator: ".")
        return container.isEmpty ? "'\(last)'" : "'\(last)' at '\(container)'"
    }
}
