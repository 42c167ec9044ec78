import Foundation

/// A throwaway certificate authority and a server certificate it signed for `127.0.0.1` and
/// `localhost`, made with the `openssl` command in a temporary directory, for tests of
/// `flowline serve --tls-cert/--tls-key` against clients that trust only this CA.
public final class TestCertificateAuthority: @unchecked Sendable {
    // @unchecked: immutable after init.
    public let directory: TemporaryDirectory
    /// The CA certificate (PEM): what clients are told to trust (`verify=`, `--ca-bundle`).
    public var caCertificate: String { directory.file("ca.pem").path }
    /// The server's certificate chain and private key (PEM), for `--tls-cert` / `--tls-key`.
    public var serverCertificate: String { directory.file("server.pem").path }
    public var serverKey: String { directory.file("server-key.pem").path }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public init() throws {
        directory = try TemporaryDirectory("flowline-test-ca")
        guard let openssl = Subprocess.which("openssl") else {
            throw Failure(description: "openssl is not on PATH; run scripts/bootstrap (apt: openssl)")
        }
        try directory.write("server.ext", """
            subjectAltName = IP:127.0.0.1, DNS:localhost
            basicConstraints = critical, CA:FALSE
            keyUsage = critical, digitalSignature, keyEncipherment
            extendedKeyUsage = serverAuth

            """)
        let steps: [[String]] = [
            ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
             "-keyout", "ca-key.pem", "-out", "ca.pem", "-subj", "/CN=Flowline Test CA",
             "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
            ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
             "-keyout", "server-key.pem", "-out", "server.csr", "-subj", "/CN=127.0.0.1"],
            ["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-CAcreateserial",
             "-days", "2", "-extfile", "server.ext", "-out", "server.pem"],
        ]
        for arguments in steps {
            let result = try Subprocess.run(openssl, arguments, currentDirectory: directory.url)
            guard result.status == 0 else {
                throw Failure(description: "openssl \(arguments[0]) failed (\(result.status)): \(result.stderr)")
            }
        }
    }
}
