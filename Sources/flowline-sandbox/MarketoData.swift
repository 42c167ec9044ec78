import Foundation

/// Marketo's leads and activities, generated like the other sandbox tables.
extension SandboxGenerator {
    static let marketoActivityTypes: [(id: Int64, name: String, primary: String)] = [
        (1, "Visit Webpage", "Webpage ID"), (2, "Fill Out Form", "Webform ID"), (12, "New Lead", "Lead ID"),
    ]

    /// The lead table the sandbox starts with: nine standard fields, one partition.
    var marketoLeads: SandboxTable { marketoLeads(layout: nil) }

    var marketoActivities: SandboxTable { marketoActivities(count: records, leads: records) }

    /// How `POST /_sandbox/marketo?leads=…&partitions=…&fields=…` shapes the lead table.
    struct MarketoLeadLayout: Sendable {
        var perPartition: Int
        var partitions: Int
        /// Lead fields in all (standard, `leadPartitionId`, then custom ones up to this count).
        var fields: Int
        var total: Int { perPartition * partitions }
    }

    static let marketoStandardLeadFields = [
        SandboxField(name: "id", nativeType: "integer", kind: .int),
        SandboxField(name: "email", nativeType: "email", kind: .string),
        SandboxField(name: "firstName", nativeType: "string", kind: .string),
        SandboxField(name: "lastName", nativeType: "string", kind: .string),
        SandboxField(name: "company", nativeType: "string", kind: .string),
        SandboxField(name: "leadScore", nativeType: "integer", kind: .int),
        SandboxField(name: "unsubscribed", nativeType: "boolean", kind: .bool),
        SandboxField(name: "createdAt", nativeType: "datetime", kind: .time),
        SandboxField(name: "updatedAt", nativeType: "datetime", kind: .time),
    ]

    /// A custom lead field's name: long enough that a few hundred of them pass Marketo's 8 KB URL limit,
    /// as real instances' field lists do.
    static func marketoCustomField(_ k: Int) -> SandboxField {
        let kinds: [(String, SandboxKind)] = [("string", .string), ("integer", .int), ("boolean", .bool), ("datetime", .time)]
        let (type, kind) = kinds[k % kinds.count]
        let number = String(k + 1000).dropFirst()   // three digits, zero-padded
        return SandboxField(name: "customAttribute\(number)\(type.prefix(1).uppercased())\(type.dropFirst())", nativeType: type, kind: kind)
    }

    /// Leads; with a layout, `leadPartitionId` and custom fields (every 13th custom value is empty).
    func marketoLeads(layout: MarketoLeadLayout?) -> SandboxTable {
        var fields = Self.marketoStandardLeadFields
        let count = layout?.total ?? records
        if let layout {
            fields.append(SandboxField(name: "leadPartitionId", nativeType: "integer", kind: .int))
            for k in 0..<max(0, layout.fields - fields.count) { fields.append(Self.marketoCustomField(k)) }
        }
        let standard = Self.marketoStandardLeadFields.count
        let rows: [[SandboxValue]] = (0..<count).map { i in
            let r = random(i, 11)
            var row: [SandboxValue] = [
                .int(Int64(1001 + i)), .string("lead\(i)@example.org"), .string("Ana \(i)"), .string("O'Brien, \(r % 97)"),
                .string("Company \(r % 300)"), .int(Int64(r % 100)), .bool(i % 9 == 0),
                .time(created(i) / 1000 * 1000), .time(modified(i) / 1000 * 1000)]
            guard let layout else { return row }
            row.reserveCapacity(fields.count)
            row.append(.int(Int64(i / layout.perPartition + 1)))
            for c in (standard + 1)..<fields.count {
                let v = random(i, 100 + UInt64(c))
                if v % 13 == 0 { row.append(.null); continue }
                switch fields[c].kind {
                case .int: row.append(.int(Int64(v % 100_000)))
                case .bool: row.append(.bool(v % 2 == 0))
                case .time: row.append(.time(created(i) / 1000 * 1000 - Int64(v % 86_400) * 1000))
                default: row.append(.string(v % 7 == 0 ? "a, \"b\"" : "v\(v % 100_000)"))
                }
            }
            return row
        }
        return SandboxTable(name: "leads", label: "Leads", fields: fields, rows: rows, modifiedField: 8, deletedField: nil)
    }

    func marketoActivities(count: Int, leads: Int) -> SandboxTable {
        let fields = [
            SandboxField(name: "id", nativeType: "integer", kind: .int),
            SandboxField(name: "marketoGUID", nativeType: "string", kind: .string),
            SandboxField(name: "leadId", nativeType: "integer", kind: .int),
            SandboxField(name: "activityDate", nativeType: "datetime", kind: .time),
            SandboxField(name: "activityTypeId", nativeType: "integer", kind: .int),
            SandboxField(name: "primaryAttributeValueId", nativeType: "integer", kind: .int),
            SandboxField(name: "primaryAttributeValue", nativeType: "string", kind: .string),
        ]
        let rows: [[SandboxValue]] = (0..<count).map { i in
            let r = random(i, 12)
            let type = Self.marketoActivityTypes[Int(r % 3)]
            return [.int(Int64(50_001 + i)), .string(String(format: "%08x-0000-4000-8000-%012x", i, r % 0xFFFF_FFFF)),
                    .int(Int64(1001 + Int(r % UInt64(max(leads, 1))))), .time(modified(i) / 1000 * 1000), .int(type.id),
                    .int(Int64(r % 500)), .string("\(type.name) #\(r % 500)")]
        }
        return SandboxTable(name: "activities", label: "Activities", fields: fields, rows: rows, modifiedField: 3, deletedField: nil)
    }

    /// An activity's secondary attributes (name, value): the REST API lists them, Bulk Extract writes them as one JSON object.
    static func marketoActivityAttributes(row r: Int) -> [(name: String, value: String)] {
        [("Client IP Address", "10.0.\(r % 250).1")]
    }
}
