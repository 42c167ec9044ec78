import Crypto
import Foundation

/// Seals secrets at rest with AES-256-GCM.
///
/// A sealed blob is `version (1 byte) | key id length (1 byte) | key id (UTF-8) | nonce | ciphertext | tag`.
/// The header and the caller's associated data (e.g. the profile ARN) are both authenticated, so a
/// blob copied onto another record, or relabelled with another key id, does not open.
public struct CredentialSealer {
    public static let formatVersion: UInt8 = 1
    /// The key id written for blobs sealed under the home's master key.
    public static let masterKeyId = "master"

    private let masterKey: SymmetricKey
    private let customerKey: (String) throws -> SymmetricKey

    /// - Parameter customerKey: the key material for a customer key id (not the master key).
    public init(masterKey: SymmetricKey,
                customerKey: @escaping (String) throws -> SymmetricKey = { throw SealingError.unknownKey(keyId: $0) }) {
        self.masterKey = masterKey
        self.customerKey = customerKey
    }

    /// Seals `plaintext` under the customer key `keyId`, or under the master key when nil.
    public func seal(plaintext: Data, keyId: String?, associatedData: Data) throws -> Data {
        let id = keyId ?? Self.masterKeyId
        let idBytes = Data(id.utf8)
        guard !idBytes.isEmpty, idBytes.count <= Int(UInt8.max) else { throw SealingError.invalidKeyId }
        var header = Data([Self.formatVersion, UInt8(idBytes.count)])
        header.append(idBytes)
        let box = try AES.GCM.seal(plaintext, using: try key(for: id), authenticating: header + associatedData)
        guard let combined = box.combined else { throw SealingError.malformed(reason: "no combined form") }
        return header + combined
    }

    /// Opens a blob made by `seal` with the same associated data.
    public func open(_ sealed: Data, associatedData: Data) throws -> Data {
        let (id, headerLength) = try Self.parseHeader(sealed)
        let header = sealed.prefix(headerLength)
        let box: AES.GCM.SealedBox
        do {
            box = try AES.GCM.SealedBox(combined: sealed.dropFirst(headerLength))
        } catch {
            throw SealingError.malformed(reason: "ciphertext too short")
        }
        do {
            return try AES.GCM.open(box, using: try key(for: id), authenticating: header + associatedData)
        } catch let error as SealingError {
            throw error
        } catch {
            throw SealingError.authenticationFailed(keyId: id)
        }
    }

    /// The key id a blob was sealed under.
    public static func keyId(of sealed: Data) throws -> String {
        try parseHeader(sealed).keyId
    }

    private func key(for id: String) throws -> SymmetricKey {
        id == Self.masterKeyId ? masterKey : try customerKey(id)
    }

    private static func parseHeader(_ sealed: Data) throws -> (keyId: String, length: Int) {
        let bytes = [UInt8](sealed.prefix(2 + Int(UInt8.max)))
        guard bytes.count >= 2 else { throw SealingError.malformed(reason: "shorter than its header") }
        guard bytes[0] == formatVersion else { throw SealingError.unsupportedVersion(bytes[0]) }
        let idLength = Int(bytes[1])
        guard idLength > 0, bytes.count >= 2 + idLength,
              let id = String(bytes: bytes[2..<(2 + idLength)], encoding: .utf8) else {
            throw SealingError.malformed(reason: "bad key id")
        }
        return (id, 2 + idLength)
    }
}

public enum SealingError: Error, CustomStringConvertible, Sendable, Equatable {
    case unsupportedVersion(UInt8)
    case malformed(reason: String)
    case invalidKeyId
    case unknownKey(keyId: String)
    case authenticationFailed(keyId: String)

    public var description: String {
        switch self {
        case .unsupportedVersion(let version):
            return "sealed data has format version \(version); this binary knows \(CredentialSealer.formatVersion)"
        case .malformed(let reason):
            return "sealed data is malformed: \(reason)"
        case .invalidKeyId:
            return "a sealing key id must be 1 to 255 bytes of UTF-8"
        case .unknownKey(let keyId):
            return "no sealing key \(keyId)"
        case .authenticationFailed(let keyId):
            return "sealed data did not open under key \(keyId): wrong key, or it was altered or moved from another record"
        }
    }
}
