import Foundation

/// One page of a listing and the token for the next (nil on the last page).
public struct Page<Item> {
    public let items: [Item]
    public let nextToken: String?

    public init(items: [Item], nextToken: String?) {
        self.items = items
        self.nextToken = nextToken
    }
}

extension Page: Sendable where Item: Sendable {}
extension Page: Equatable where Item: Equatable {}

/// The opaque `nextToken`: the sort key of the last item handed out, tagged with its listing,
/// base64-encoded. Keyset paging, so rows added or removed between pages do not shift others.
enum PageToken {
    private struct Content: Codable {
        let listing: String
        let key: [String]
    }

    static func make(listing: String, key: [String]) -> String {
        // Encoding two arrays of strings cannot fail.
        let json = (try? JSONEncoder().encode(Content(listing: listing, key: key))) ?? Data()
        return json.base64EncodedString()
    }

    /// The key from `token`, or nil when there is no token; throws for a token of another listing.
    static func key(from token: String?, listing: String, count: Int) throws -> [String]? {
        guard let token else { return nil }
        guard let json = Data(base64Encoded: token),
              let content = try? JSONDecoder().decode(Content.self, from: json),
              content.listing == listing, content.key.count == count else {
            throw StoreError.invalidNextToken
        }
        return content.key
    }

    /// Clamps a page size to 1...1000 (sqlite LIMIT -1 would mean unlimited).
    static func limit(_ maxResults: Int) -> Int { min(max(maxResults, 1), 1000) }

    /// Splits `rows` fetched with LIMIT n+1 into a page.
    static func page<Item>(_ items: [Item], limit: Int, listing: String, key: (Item) -> [String]) -> Page<Item> {
        guard items.count > limit else { return Page(items: items, nextToken: nil) }
        let shown = Array(items.prefix(limit))
        return Page(items: shown, nextToken: make(listing: listing, key: key(shown[shown.count - 1])))
    }
}
