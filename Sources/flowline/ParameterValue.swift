import Foundation

/// The text of an option value, reading `file://PATH` as the AWS CLI does.
enum ParameterValue {
    static func text(_ raw: String, option: String) throws(CLIError) -> String {
        guard raw.hasPrefix("file://") else { return raw }
        let path = String(raw.dropFirst("file://".count))
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .badParameter(option: option, "Unable to load paramfile \(raw): no such readable file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .badParameter(option: option, "Unable to load paramfile \(raw): not UTF-8 text")
        }
        return text
    }
}
