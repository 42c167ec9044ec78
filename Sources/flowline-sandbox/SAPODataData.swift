import Foundation

/// SAP business partners (API_BUSINESS_PARTNER's A_BusinessPartner), generated like the other tables.
extension SandboxGenerator {
    var sapBusinessPartners: SandboxTable {
        let fields = [
            SandboxField(name: "BusinessPartner", nativeType: "Edm.String", kind: .string),
            SandboxField(name: "BusinessPartnerFullName", nativeType: "Edm.String", kind: .string),
            SandboxField(name: "BusinessPartnerCategory", nativeType: "Edm.String", kind: .string),
            SandboxField(name: "Industry", nativeType: "Edm.String", kind: .string),
            SandboxField(name: "CreditLimit", nativeType: "Edm.Decimal", kind: .double),
            SandboxField(name: "IsBlocked", nativeType: "Edm.Boolean", kind: .bool),
            SandboxField(name: "CreationDate", nativeType: "Edm.DateTime", kind: .time),
            SandboxField(name: "LastChangeDateTime", nativeType: "Edm.DateTimeOffset", kind: .time),
        ]
        let rows: [[SandboxValue]] = (0..<records).map { i in
            let r = random(i, 21)
            return [.string(String(format: "%010d", 1_000_000 + i)), .string("Partner \(i) GmbH & Co. KG, \"Süd\""),
                    .string(["1", "2"][Int(r % 2)]), .string(["MANU", "RETL", "SERV", ""][Int(r % 4)]),
                    .double(Double(r % 1_000_000) / 100), .bool(i % 13 == 0),
                    .time(created(i) / 86_400_000 * 86_400_000), .time(modified(i) / 1000 * 1000)]
        }
        return SandboxTable(name: "A_BusinessPartner", label: "Business Partner", fields: fields, rows: rows,
                            modifiedField: 7, deletedField: nil)
    }
}
