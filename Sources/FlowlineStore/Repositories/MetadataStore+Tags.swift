import Foundation

// Tags per resource ARN. A connector profile's or flow's tags are deleted with it (by trigger).

extension ReadTransaction {
    public func tags(forResource arn: String) throws -> [String: String] {
        var tags: [String: String] = [:]
        for row in try query("SELECT tag_key, tag_value FROM resource_tags WHERE resource_arn = ?", [.text(arn)]) {
            tags[try row.text("tag_key")] = try row.text("tag_value")
        }
        return tags
    }
}

extension WriteTransaction {
    /// Adds `tags` to the resource, replacing the values of keys it already has.
    public func setTags(_ tags: [String: String], forResource arn: String) throws {
        for (key, value) in tags.sorted(by: { $0.key < $1.key }) {
            try run("""
                INSERT INTO resource_tags (resource_arn, tag_key, tag_value) VALUES (?, ?, ?)
                ON CONFLICT (resource_arn, tag_key) DO UPDATE SET tag_value = excluded.tag_value
                """, [.text(arn), .text(key), .text(value)])
        }
    }

    /// Removes the given keys; keys the resource does not have are ignored.
    public func removeTags(keys: [String], fromResource arn: String) throws {
        for key in keys {
            try run("DELETE FROM resource_tags WHERE resource_arn = ? AND tag_key = ?", [.text(arn), .text(key)])
        }
    }
}
