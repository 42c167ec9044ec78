import FlowlineAPI

/// A deploy, delete or describe that could not be done, in CloudFormation's vocabulary.
///
/// Messages name the resource (logical id) and property at fault; they never contain property
/// values of connector credentials.
public struct StackError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The template, its parameters or the stack name is wrong; nothing was changed.
        case validation = "ValidationError"
        /// A resource operation failed while the stack was being changed (and was rolled back).
        case resourceFailed = "ResourceFailed"
    }

    public var code: Code
    public var message: String
    /// The AppFlow error that made a resource operation fail, if that is what happened.
    public var cause: AppFlowError?

    public init(_ code: Code, _ message: String, cause: AppFlowError? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String { "\(code.rawValue): \(message)" }

    static func template(_ message: String) -> StackError {
        StackError(.validation, "Template format error: \(message)")
    }

    /// An error in one property of one resource, e.g. `Resource MyFlow (AWS::AppFlow::Flow), property TriggerConfig: …`.
    static func property(_ logicalId: String, _ type: String, _ property: String?, _ message: String) -> StackError {
        let at = property.map { ", property \($0)" } ?? ""
        return StackError(.validation, "Resource \(logicalId) (\(type))\(at): \(message)")
    }
}
