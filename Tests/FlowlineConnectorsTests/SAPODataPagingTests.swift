import FlowlineCore
import Foundation
import NIOCore
import NIOHTTP1
import Testing
@testable import FlowlineConnectors

/// The SAP OData paging rules as value-type machines, without I/O: windows continue with `$skip`
/// after every `__next` chain, a short window ends the data, parallel windows are handed on in
/// order, `__next` links stay on the profile's origin, and the count must add up.
@Suite struct SAPODataPagingTests {
    let links = SAPODataNextLink(serviceURL: "http://sap.example:8000/sap/opu/odata/sap/API_BUSINESS_PARTNER",
                                 fixedQuery: [("sap-client", "100")])
    let setURL = "http://sap.example:8000/sap/opu/odata/sap/API_BUSINESS_PARTNER/A_BusinessPartner"

    /// What a Gateway service with server-side paging answers, reduced to record positions: a
    /// request for `$top`/`$skip` (nil `$top`: the whole set) gets at most `serverPage` records
    /// and a `__next` link while the request's records are not all sent.
    struct PagingServer {
        let total: Int
        let serverPage: Int
        let setURL: String

        func page(skip: Int, top: Int?) -> (records: Range<Int>, next: String?) {
            let end = top.map { min(total, skip + $0) } ?? total
            let start = min(skip, end)
            let served = start..<min(end, start + serverPage)
            guard served.upperBound < end else { return (served, nil) }
            var next = "\(setURL)?$skiptoken=\(served.upperBound)&sap-client=100&$format=json"
            if let top { next += "&$top=\(end - served.upperBound)" }
            return (served, next)
        }

        /// Where a followed `__next` link continues (the sandbox-independent reading of the link above).
        static func position(_ url: String) -> (skip: Int, top: Int?) {
            let items = URLComponents(string: url)?.queryItems ?? []
            let skip = items.first { $0.name == "$skiptoken" }?.value.flatMap { Int($0) } ?? 0
            return (skip, items.first { $0.name == "$top" }?.value.flatMap { Int($0) })
        }
    }

    struct Outcome {
        var delivered: [Int] = []
        var requests = 0
        var mostInFlight = 0
    }

    /// Reads a whole entity set the way `SAPODataReader` does, with windows finishing in the
    /// order `finishOrder` picks among those started, and returns the records in delivery order.
    func read(_ server: PagingServer, paging: SAPODataPaging, parallelism: Int = 1, count: Int?? = .none,
              finishOrder: ([Int]) -> Int = { $0.min()! }) throws -> Outcome {
        var plan = SAPODataWindowPlan(paging: paging, maxParallelism: parallelism)
        var out = Outcome()
        var finished: [Int: [Int]] = [:]
        var running: [Int] = plan.windowsToStart()
        #expect(running == [0])
        plan.counted(count ?? server.total)
        running += plan.windowsToStart()
        while !plan.ended {
            out.mostInFlight = max(out.mostInFlight, running.count + finished.count)
            if let records = finished.removeValue(forKey: plan.handedOn) {
                let index = plan.handedOn
                out.delivered += records
                if plan.handOn(window: index, records: records.count) == .end {
                    for abandoned in plan.abandoned { running.removeAll { $0 == abandoned }; finished[abandoned] = nil }
                }
                running += plan.windowsToStart()
                continue
            }
            let index = finishOrder(running)
            running.removeAll { $0 == index }
            var chain = SAPODataWindowChain(entitySet: "A_BusinessPartner", window: index, top: paging.top)
            var position = (skip: index * (paging.top ?? 0), top: paging.top)
            var url = setURL
            var records: [Int] = []
            while true {
                out.requests += 1
                let page = server.page(skip: position.skip, top: position.top)
                records += Array(page.records)
                switch try chain.page(from: url, records: page.records.count, next: page.next, links: links) {
                case .complete(let n):
                    #expect(n == records.count)
                    finished[index] = records
                case .follow(let next):
                    url = next
                    position = PagingServer.position(next)
                }
                if finished[index] != nil { break }
            }
        }
        return out
    }

    @Test func windowsContinueWithSkipAfterEveryNextChain() throws {
        // The issue's cases: $top 97 over server pages of 47 (600 records), and the default
        // $top 3,000 over 3,100 records behind pages of 1,000.
        let small = try read(PagingServer(total: 600, serverPage: 47, setURL: setURL), paging: .windows(top: 97))
        #expect(small.delivered == Array(0..<600))
        let byDefault = try read(PagingServer(total: 3100, serverPage: 1000, setURL: setURL), paging: .windows(top: 3000))
        #expect(byDefault.delivered == Array(0..<3100))
        // 12,000 records behind 47-record pages, and a set that ends exactly at a window's end.
        #expect(try read(PagingServer(total: 12_000, serverPage: 47, setURL: setURL), paging: .windows(top: 3000)).delivered
                == Array(0..<12_000))
        let exact = try read(PagingServer(total: 194, serverPage: 500, setURL: setURL), paging: .windows(top: 97))
        #expect(exact.delivered == Array(0..<194))
        #expect(exact.requests == 3)   // two full windows, then the empty one that ends the data
    }

    @Test func withoutTopTheServersNextChainIsTheWholeSet() throws {
        let server = PagingServer(total: 600, serverPage: 47, setURL: setURL)
        let out = try read(server, paging: .serverDriven, parallelism: 4)
        #expect(out.delivered == Array(0..<600))
        #expect(out.requests == 13)
        #expect(out.mostInFlight == 1)   // one chain: nothing to read in parallel
        var plan = SAPODataWindowPlan(paging: .serverDriven, maxParallelism: 4)
        #expect(plan.query(window: 0).isEmpty)   // no $top, no $skip
        #expect(plan.windowsToStart() == [0])
        plan.counted(600)
        #expect(plan.windowsToStart().isEmpty)
    }

    @Test func parallelWindowsAreHandedOnInOrderWithAtMostParallelismHeld() throws {
        let server = PagingServer(total: 1000, serverPage: 47, setURL: setURL)
        // The most recently started window always finishes first: the worst order for handing on.
        let out = try read(server, paging: .windows(top: 97), parallelism: 4, finishOrder: { $0.max()! })
        #expect(out.delivered == Array(0..<1000))
        #expect(out.mostInFlight <= 4)
        #expect(out.mostInFlight == 4)
        // The count keeps the plan from starting windows past the data: 11 windows, no empty one.
        #expect(out.requests == (0..<11).map { w in (min(1000, (w + 1) * 97) - w * 97 + 46) / 47 }.reduce(0, +))
    }

    @Test func aCountTooLowCostsParallelismNeverRecords() throws {
        let server = PagingServer(total: 600, serverPage: 47, setURL: setURL)
        let out = try read(server, paging: .windows(top: 97), parallelism: 4, count: .some(100), finishOrder: { $0.max()! })
        #expect(out.delivered == Array(0..<600))
        // Without a count, windows are started as far ahead as parallelism allows.
        var plan = SAPODataWindowPlan(paging: .windows(top: 97), maxParallelism: 3)
        #expect(plan.windowsToStart() == [0])
        plan.counted(nil)
        #expect(plan.windowsToStart() == [1, 2])
        #expect(plan.query(window: 2).map { "\($0.0)=\($0.1)" } == ["$top=97", "$skip=194"])
    }

    @Test func aFullWindowIsCompleteAndAnOverfullOneFails() throws {
        var chain = SAPODataWindowChain(entitySet: "A_BusinessPartner", window: 1, top: 100)
        #expect(try chain.page(from: setURL, records: 60, next: setURL + "?$skiptoken=160", links: links)
                == .follow(setURL + "?$skiptoken=160&sap-client=100&%24format=json"))
        // The window is full: a link past it would repeat the next window's records.
        #expect(try chain.page(from: setURL + "?$skiptoken=160", records: 40, next: setURL + "?$skiptoken=200", links: links)
                == .complete(records: 100))
        var overfull = SAPODataWindowChain(entitySet: "A_BusinessPartner", window: 2, top: 100)
        #expect {
            try overfull.page(from: setURL, records: 101, next: nil, links: links)
        } throws: { "\($0)".contains("A_BusinessPartner: the window at $skip=200 returned 101 records for $top=100") }
        var looping = SAPODataWindowChain(entitySet: "A_BusinessPartner", window: 0, top: nil)
        let first = setURL + "?$skiptoken=5&sap-client=100&$format=json"
        _ = try looping.page(from: setURL, records: 5, next: first, links: links)
        #expect { try looping.page(from: first, records: 5, next: first, links: links) } throws: { "\($0)".contains("already read") }
    }

    @Test func nextLinksStayOnTheProfilesOriginAndClient() throws {
        // Absolute and relative links on the profile's own scheme, host and port are followed,
        // with the profile's sap-client and JSON added when the server left them out.
        #expect(try links.resolve("A_BusinessPartner?$skiptoken=47", from: setURL + "?$top=97", entitySet: "A")
                == setURL + "?$skiptoken=47&sap-client=100&%24format=json")
        #expect(try links.resolve("HTTP://SAP.example:8000/sap/opu/odata/sap/API_BUSINESS_PARTNER/A_BusinessPartner?sap-client=100&$format=json",
                                  from: setURL, entitySet: "A").hasSuffix("/A_BusinessPartner?sap-client=100&$format=json"))
        let defaultPort = SAPODataNextLink(serviceURL: "https://sap.example/sap/opu/odata/sap/X", fixedQuery: [("sap-client", "100")])
        #expect(try defaultPort.resolve("https://sap.example:443/sap/opu/odata/sap/X/S?$skiptoken=1", from: "https://sap.example/sap/opu/odata/sap/X/S",
                                        entitySet: "S").contains("$skiptoken=1"))
        for hostile in ["http://attacker.example:8000/sap/opu/odata/sap/API_BUSINESS_PARTNER/A_BusinessPartner?$skiptoken=1",
                        "http://sap.example:8001/sap/opu/odata/sap/API_BUSINESS_PARTNER/A_BusinessPartner?$skiptoken=1",
                        "https://sap.example:8000/sap/opu/odata/sap/API_BUSINESS_PARTNER/A_BusinessPartner?$skiptoken=1",
                        "//attacker.example:8000/A_BusinessPartner?$skiptoken=1",
                        "http://sap.example.attacker.example:8000/x",
                        "http://user:pw@sap.example:8000/sap/opu/odata/sap/API_BUSINESS_PARTNER/A_BusinessPartner",
                        "ftp://sap.example:8000/x"] {
            #expect(throws: ConnectorError.self, "\(hostile)") { try links.resolve(hostile, from: setURL, entitySet: "A_BusinessPartner") }
        }
        #expect {
            try links.resolve("http://attacker.example:9/A?$skiptoken=1", from: setURL, entitySet: "A_BusinessPartner")
        } throws: { "\($0)".contains("points to http://attacker.example:9, not to the profile's http://sap.example:8000; it was not followed") }
        #expect {
            try links.resolve(setURL + "?sap-client=200&$skiptoken=1", from: setURL, entitySet: "A_BusinessPartner")
        } throws: { "\($0)".contains("names sap-client 200, not the profile's 100") }
    }

    @Test func theCountMustAddUp() throws {
        var short = SAPODataRecordCount(entitySet: "A_BusinessPartner", expected: 600)
        try short.add(97)
        #expect { try short.finish() } throws: { "\($0)".contains("A_BusinessPartner: the server counted 600 records but 97 arrived") }
        var long = SAPODataRecordCount(entitySet: "A_BusinessPartner", expected: 600)
        try long.add(600)
        try long.finish()
        #expect { try long.add(1) } throws: { "\($0)".contains("counted 600 records but at least 601 arrived") }
        var uncountable = SAPODataRecordCount(entitySet: "A_BusinessPartner", expected: nil)
        try uncountable.add(5)
        try uncountable.finish()
    }

    @Test func metadataGivesKeysAndWhatEachSetSupports() throws {
        let xml = #"""
            <edmx:Edmx><edmx:DataServices><Schema Namespace="S">
            <EntityType Name="OrderItemType"><Key><PropertyRef Name="Order"/><PropertyRef Name="Item"/></Key>
            <Property Name="Order" Type="Edm.String"/><Property Name="Item" Type="Edm.String"/><Property Name="Qty" Type="Edm.Decimal"/></EntityType>
            <EntityContainer Name="C"><EntitySet Name="Items" EntityType="S.OrderItemType" sap:pageable="false" sap:countable="false"/>
            <EntitySet Name="AllItems" EntityType="S.OrderItemType"/><EntitySet Name="TopOnly" EntityType="S.OrderItemType" sap:topable="false"/></EntityContainer>
            </Schema></edmx:DataServices></edmx:Edmx>
            """#
        let metadata = SAPODataMetadata(xml: xml)
        let fields = try metadata.entityType(forSet: "Items").fields
        #expect(fields.map(\.isPrimaryKey) == [true, true, false])
        #expect(metadata.capabilities(ofSet: "Items") == .init(pageable: false, countable: false))
        #expect(metadata.capabilities(ofSet: "AllItems") == .init(pageable: true, countable: true))
        #expect(metadata.capabilities(ofSet: "TopOnly").pageable == false)
    }

    @Test func errorRepliesSayWhatSAPSaid() {
        let decoder = SAPODataErrorDecoder(client: "200")
        func reply(_ status: Int, _ body: String, _ type: String) -> HTTPReply {
            HTTPReply(status: status, headers: HTTPHeaders([("Content-Type", type)]), body: ByteBuffer(string: body))
        }
        let html = #"<html><head><title>Logon Error Message</title><style>p{}</style></head><body><h1>Logon failed</h1><p>Client 200 is not available in this system</p></body></html>"#
        #expect("\(decoder.error(for: reply(401, html, "text/html"), service: "SAP OData"))"
                == "SAP OData error Unauthorized (HTTP 401): Logon failed: Client 200 is not available in this system (logon to sap-client 200)")
        let json = #"{"error":{"code":"/IWFND/CM_CONSUMER/101","message":{"lang":"en","value":"Client 200 is not available"}}}"#
        #expect("\(decoder.error(for: reply(401, json, "application/json"), service: "SAP OData"))"
                == "SAP OData error /IWFND/CM_CONSUMER/101 (HTTP 401): Client 200 is not available (logon to sap-client 200)")
        let xml = #"<?xml version="1.0"?><error xmlns="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata"><code>/IWBEP/CM_MGW_RT/021</code><message xml:lang="en">Resource not found for segment &apos;X&apos;</message></error>"#
        #expect("\(decoder.error(for: reply(404, xml, "application/xml"), service: "SAP OData"))"
                == "SAP OData error /IWBEP/CM_MGW_RT/021 (HTTP 404): Resource not found for segment 'X'")
        #expect("\(decoder.error(for: reply(401, "", "text/plain"), service: "SAP OData"))".contains("the client may be wrong (logon to sap-client 200)"))
    }
}
