/// Errors the CLI itself reports, before or after calling an operation, worded as the AWS CLI words them.
enum CLIError: Error, CustomStringConvertible {
    case badParameter(option: String, String)
    case missingArguments([String])
    case usage(String)

    var description: String {
        switch self {
        case .badParameter(let option, let detail):
            return "Error parsing parameter '\(option)': \(detail)"
        case .missingArguments(let options):
            return "flowline: error: the following arguments are required: \(options.joined(separator: ", "))"
        case .usage(let message):
            return "flowline: error: \(message)"
        }
    }

    /// The AWS CLI's exit status for a command line it could not use.
    static let usageExitCode: Int32 = 252
    /// The AWS CLI's exit status when the service answered with an error.
    static let serviceExitCode: Int32 = 254
}
