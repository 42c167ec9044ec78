import Foundation
import FlowlineAPI
import FlowlineService

/// The service on the embedded store in `FLOWLINE_HOME`, as CLI commands use it.
enum LocalService {
    static func open() throws -> AppFlowService {
        do {
            return try AppFlowService(configuration: .fromEnvironment(),
                                      progress: ProgressLine.shared.isEnabled ? ProgressLine.shared.report : nil)
        } catch {
            FileHandle.standardError.write(Data("flowline: \(error.message)\n".utf8))
            throw ExitCode(1)
        }
    }
}

import ArgumentParser
