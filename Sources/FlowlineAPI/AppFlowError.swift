/// An AppFlow API error: the code AWS would return, and a message safe to show (never a secret).
public struct AppFlowError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The error codes of the AppFlow model; the raw value is the wire name (`__type` / `x-amzn-ErrorType`).
    public enum Code: String, Sendable, CaseIterable {
        case validation = "ValidationException"
        case conflict = "ConflictException"
        case resourceNotFound = "ResourceNotFoundException"
        case serviceQuotaExceeded = "ServiceQuotaExceededException"
        case connectorAuthentication = "ConnectorAuthenticationException"
        case connectorServer = "ConnectorServerException"
        case internalServer = "InternalServerException"
        case accessDenied = "AccessDeniedException"
        case throttling = "ThrottlingException"
        case unsupportedOperation = "UnsupportedOperationException"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The HTTP status the model gives this error (see Generated/ErrorStatus.swift).
    public var httpStatus: Int { code.httpStatus }

    /// Formatted like the AWS CLI reports a service error.
    public var description: String { "\(code.rawValue): \(message)" }

    public static func validation(_ message: String) -> AppFlowError { .init(.validation, message) }
    public static func conflict(_ message: String) -> AppFlowError { .init(.conflict, message) }
    public static func notFound(_ message: String) -> AppFlowError { .init(.resourceNotFound, message) }
    public static func quotaExceeded(_ message: String) -> AppFlowError { .init(.serviceQuotaExceeded, message) }
    public static func connectorAuthentication(_ message: String) -> AppFlowError { .init(.connectorAuthentication, message) }
    public static func connectorServer(_ message: String) -> AppFlowError { .init(.connectorServer, message) }
    public static func internalServer(_ message: String) -> AppFlowError { .init(.internalServer, message) }
    public static func accessDenied(_ message: String) -> AppFlowError { .init(.accessDenied, message) }
    public static func throttling(_ message: String) -> AppFlowError { .init(.throttling, message) }
    public static func unsupportedOperation(_ message: String) -> AppFlowError { .init(.unsupportedOperation, message) }
}
