import ArgumentParser
import Foundation

/// `flowline`: the AppFlow API on the command line, with `aws appflow`'s subcommands and options,
/// plus Flowline's own commands.
struct Flowline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flowline",
        abstract: "A self-hosted data flow service that speaks the Amazon AppFlow API.",
        discussion: """
            Subcommands and options are those of `aws appflow`: type `flowline` where the AWS documentation \
            types `aws appflow`. State lives in $FLOWLINE_HOME (default ~/.flowline); the local S3 buckets in \
            $FLOWLINE_S3_ROOT (default $FLOWLINE_HOME/s3).
            """,
        version: FlowlineVersion.current,
        subcommands: operationCommands + [QuickstartCommand.self, RunFlowCommand.self, CreateKeyCommand.self,
                                          ListKeysCommand.self, MapTasksFromCSVCommand.self, ServeCommand.self,
                                          DeployCommand.self, DeleteStackCommand.self, DescribeStackResourcesCommand.self])
}

@main
enum Main {
    static func main() async {
        do {
            var command = try Flowline.parseAsRoot()
            if var async = command as? any AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
        } catch let error as CLIError {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            Foundation.exit(CLIError.usageExitCode)
        } catch {
            // A command line the parser could not use (unknown command or option, missing value,
            // failed validation) exits 252, as the AWS CLI does; help and --version exit 0.
            guard Flowline.exitCode(for: error) == .validationFailure else { Flowline.exit(withError: error) }
            FileHandle.standardError.write(Data((Flowline.fullMessage(for: error) + "\n").utf8))
            Foundation.exit(CLIError.usageExitCode)
        }
    }
}
