import ArgumentParser

/// Options every AppFlow operation command takes, as `aws appflow` does.
struct CommonOptions: ParsableArguments {
    @Option(name: .customLong("cli-input-json"),
            help: "The whole request as JSON (inline or file://PATH); options given on the command line override its members.")
    var cliInputJSON: String?

    @Option(name: .customLong("endpoint-url"),
            help: "Send the request to a `flowline serve` at this URL (e.g. http://127.0.0.1:8080) instead of the local store; signed with SigV4 from FLOWLINE_ACCESS_KEY_ID/FLOWLINE_SECRET_ACCESS_KEY or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.")
    var endpointURL: String?
}
