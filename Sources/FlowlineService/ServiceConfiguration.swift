import Foundation
import FlowlineAPI
import FlowlineConnectors
import FlowlineStore

/// Where Flowline keeps its state and how it names things, read from the environment.
public struct ServiceConfiguration: Sendable {
    public var home: FlowlineHome
    public var account: AppFlowAccount
    public var s3Root: S3Root
    public var runSettings: RunSettings
    /// The principal recorded as `createdBy` / `lastUpdatedBy`.
    public var identity: String
    /// Who performs the runs `start-flow` starts: in the foreground by default (the CLI);
    /// `flowline serve` gives its background run manager.
    public var runLauncher: any RunLauncher
    /// Whether `create-connector-profile` and `update-connector-profile` try the connection and
    /// credentials before storing them; off with `FLOWLINE_SKIP_CONNECTION_CHECK=1` (offline setups).
    public var checksConnections: Bool

    public init(home: FlowlineHome, account: AppFlowAccount = AppFlowAccount(), s3Root: S3Root? = nil,
                runSettings: RunSettings = RunSettings(), identity: String? = nil,
                runLauncher: any RunLauncher = ForegroundRunLauncher(), checksConnections: Bool = true) {
        self.home = home
        self.account = account
        self.s3Root = s3Root ?? S3Root(path: home.url.appendingPathComponent("s3").path)
        self.runSettings = runSettings
        self.identity = identity ?? "arn:aws:iam::\(account.accountId):user/flowline"
        self.runLauncher = runLauncher
        self.checksConnections = checksConnections
    }

    /// `FLOWLINE_HOME`, `FLOWLINE_S3_ROOT`, `FLOWLINE_REGION`, `FLOWLINE_ACCOUNT_ID`,
    /// `FLOWLINE_MAX_BYTES_PER_RUN` and `FLOWLINE_SKIP_CONNECTION_CHECK`, each with a default.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) -> ServiceConfiguration {
        let home = FlowlineHome.resolve(environment: env)
        let defaults = AppFlowAccount()
        let account = AppFlowAccount(region: env["FLOWLINE_REGION"] ?? defaults.region,
                                     accountId: env["FLOWLINE_ACCOUNT_ID"] ?? defaults.accountId)
        var settings = RunSettings()
        if let cap = env["FLOWLINE_MAX_BYTES_PER_RUN"].flatMap(Int64.init), cap > 0 {
            settings.maxBytesPerRun = cap
        }
        // The switch lives here, not in the requests: boto3 and the AWS CLI refuse members the model lacks.
        let skipCheck = ["1", "true", "yes"].contains(env["FLOWLINE_SKIP_CONNECTION_CHECK"]?.lowercased() ?? "")
        return ServiceConfiguration(home: home, account: account,
                                    s3Root: S3Root(environment: env, home: home.url.path), runSettings: settings,
                                    checksConnections: !skipCheck)
    }
}
