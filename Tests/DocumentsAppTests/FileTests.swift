import Contracts
import Crypto
import DomainKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
@testable import DocumentsApp
import ServiceKit
import ServiceTesting
import Testing

/// A documents service with its own files folder and tokens it trusts.
struct FilesFixture {
    let settings: ServiceSettings
    let clock = TestClock()

    init(environment: [String: String] = [:]) async throws {
        self.settings = try await trustingTestTokens(ServiceSettings.testing(name: "documents", environment: environment))
    }

    var filesDir: String { self.settings.dataDirectory + "/files" }

    func app() async throws -> some ApplicationProtocol {
        let clock = self.clock
        return try await buildDocumentsApplication(self.settings, clock: { clock.now })
    }

    /// Issued at the real time: tokens are verified against it, whatever the service's moved clock says.
    func headers(_ identity: Identity?) async throws -> HTTPFields {
        guard let identity else { return [:] }
        let issuer = try await TokenIssuer.loadOrCreate(settings: self.settings)
        return [.authorization: "Bearer \(try await issuer.token(for: identity))"]
    }

    static let citizen = Identity(subject: "citizen-files-1", roles: [.citizen])
    static let officer = Identity(subject: "officer-1", roles: [.officer], agency: "000.55.01.H33")
    static let colleague = Identity(subject: "officer-2", roles: [.officer], agency: "000.55.01.H33")
    static let stranger = Identity(subject: "officer-3", roles: [.officer], agency: "000.55.03.H33")

    static let pdf = ByteBuffer(string: "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n" + String(repeating: "Giấy khai sinh ", count: 50) + "\n%%EOF\n")

    func upload(_ client: some TestClientProtocol, _ body: ByteBuffer, name: String = "giay-khai-sinh.pdf", as identity: Identity? = citizen)
        async throws -> TestResponse {
        let query = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? name
        return try await client.execute(uri: "/v1/files?name=\(query)", method: .post, headers: try await self.headers(identity), body: body)
    }

    func blobs() -> [String] {
        (FileManager.default.enumerator(atPath: self.filesDir)?.allObjects as? [String] ?? [])
            .filter { !$0.hasPrefix("tmp") && $0.split(separator: "/").count == 3 }
    }
}

func stored(_ response: TestResponse) -> StoredFile? {
    try? JSONDecoder.motcua.decode(StoredFile.self, from: Data(response.body.readableBytesView))
}

@Suite("Stored files")
struct FileTests {
    @Test func aFileIsStoredByItsHashAndDownloadedWithETagRangeAndItsName() async throws {
        let fixture = try await FilesFixture()
        try await fixture.app().test(.router) { client in
            let response = try await fixture.upload(client, FilesFixture.pdf, name: "Giấy khai sinh.pdf")
            #expect(response.status == .created)
            let file = try #require(stored(response))
            let hash = Digits.hex(SHA256.hash(data: Data(FilesFixture.pdf.readableBytesView)))
            #expect(file.sha256 == hash && file.size == FilesFixture.pdf.readableBytes && file.contentType == "application/pdf")
            #expect(file.deduplicated == false)
            #expect(fixture.blobs() == ["\(hash.prefix(2))/\(hash.dropFirst(2).prefix(2))/\(hash)"])

            let owner = try await fixture.headers(FilesFixture.citizen)
            let download = try await client.execute(uri: "/v1/files/\(file.id)/content", method: .get, headers: owner)
            #expect(download.status == .ok && download.body == FilesFixture.pdf)
            #expect(download.headers[.eTag] == "\"\(hash)\"")
            #expect(download.headers[.contentDisposition] == #"attachment; filename="Giay khai sinh.pdf"; filename*=UTF-8''Gi%E1%BA%A5y%20khai%20sinh.pdf"#)
            var cached = owner
            cached[.ifNoneMatch] = "\"\(hash)\""
            #expect(try await client.execute(uri: "/v1/files/\(file.id)/content", method: .get, headers: cached).status == .notModified)
            var ranged = owner
            ranged[.range] = "bytes=0-4"
            let head = try await client.execute(uri: "/v1/files/\(file.id)/content", method: .get, headers: ranged)
            #expect(head.status == .partialContent && String(buffer: head.body) == "%PDF-")
            #expect(head.headers[.contentRange] == "bytes 0-4/\(file.size)")
            ranged[.range] = "bytes=-6"
            #expect(String(buffer: try await client.execute(uri: "/v1/files/\(file.id)/content", method: .get, headers: ranged).body) == "%%EOF\n")
            ranged[.range] = "bytes=\(file.size)-"
            let outside = try await client.execute(uri: "/v1/files/\(file.id)/content", method: .get, headers: ranged)
            #expect(outside.status == .rangeNotSatisfiable && outside.headers[.contentRange] == "bytes */\(file.size)")
            let info = try await client.execute(uri: "/v1/files/\(file.id)", method: .get, headers: owner)
            #expect(stored(info)?.name == "Giấy khai sinh.pdf")
        }
    }

    @Test func theSameBytesAreKeptOnce() async throws {
        let fixture = try await FilesFixture()
        try await fixture.app().test(.router) { client in
            let first = try #require(stored(try await fixture.upload(client, FilesFixture.pdf)))
            let second = try #require(stored(try await fixture.upload(client, FilesFixture.pdf, name: "ban-sao.pdf", as: FilesFixture.officer)))
            #expect(first.id != second.id && first.sha256 == second.sha256)
            #expect(second.deduplicated == true)
            #expect(fixture.blobs().count == 1)
        }
    }

    @Test func tooLargeWrongTypeEmptyOrUnnamedUploadsAreRefusedAndLeaveNothing() async throws {
        let fixture = try await FilesFixture(environment: ["MAX_UPLOAD_BYTES": "1000"])
        try await fixture.app().test(.router) { client in
            let big = ByteBuffer(string: "%PDF-1.7\n" + String(repeating: "x", count: 2000))
            let tooLarge = try await fixture.upload(client, big)
            #expect(tooLarge.status == .contentTooLarge)
            #expect(problemOf(tooLarge)?.detail.contains("1000 bytes") == true)
            for body in [ByteBuffer(string: "plain text, not a document"), ByteBuffer(bytes: [0x4D, 0x5A, 0x90, 0x00] + Array(repeating: 0, count: 60)),
                         ByteBuffer(bytes: [0x50, 0x4B, 0x03, 0x04] + Array("photos/cat.jpg".utf8))] {
                let refused = try await fixture.upload(client, body, name: "to-khai.pdf")
                #expect(refused.status == .unsupportedMediaType)
                #expect(problemOf(refused)?.detail.contains("first bytes") == true)
            }
            #expect(try await fixture.upload(client, ByteBuffer()).status == .badRequest)
            let unnamed = try await client.execute(uri: "/v1/files", method: .post, headers: try await fixture.headers(FilesFixture.citizen),
                                                   body: FilesFixture.pdf)
            #expect(unnamed.status == .badRequest && problemOf(unnamed)?.detail.contains("?name=") == true)
            // A NUL would cut the name where the file is saved; a line break could forge a header; a slash names a folder.
            for name in ["hop-dong.pdf\u{0}.exe", "to-khai\r\nX-Evil: 1.pdf", "../../etc/passwd"] {
                let refused = try await fixture.upload(client, FilesFixture.pdf, name: name)
                #expect(refused.status == .badRequest && problemOf(refused)?.detail.contains("control characters") == true, "\(name.debugDescription)")
            }
            #expect(try await fixture.upload(client, FilesFixture.pdf, as: nil).status == .unauthorized)
            #expect(fixture.blobs().isEmpty)
            #expect((try? FileManager.default.contentsOfDirectory(atPath: fixture.filesDir + "/tmp")) == [], "no half file is left")
        }
    }

    @Test func theOwnerTheirAgencyAndASignedLinkMayReadAndNoOneElse() async throws {
        let fixture = try await FilesFixture()
        try await fixture.app().test(.router) { client in
            let file = try #require(stored(try await fixture.upload(client, FilesFixture.pdf, as: FilesFixture.officer)))
            for (identity, status) in [(FilesFixture.officer, HTTPResponse.Status.ok), (FilesFixture.colleague, .ok), (FilesFixture.stranger, .notFound),
                                       (FilesFixture.citizen, .notFound)] {
                let response = try await client.execute(uri: "/v1/files/\(file.id)/content", method: .get, headers: try await fixture.headers(identity))
                #expect(response.status == status, "\(identity.subject)")
            }
            #expect(try await client.execute(uri: "/v1/files/\(file.id)/content", method: .get).status == .unauthorized)
            #expect(try await client.execute(uri: "/v1/files/nope", method: .get, headers: try await fixture.headers(FilesFixture.officer)).status == .notFound)

            let made = try await client.execute(uri: "/v1/files/\(file.id)/links", method: .post, headers: try await fixture.headers(FilesFixture.officer),
                                                body: ByteBuffer(string: #"{"seconds": 300}"#))
            #expect(made.status == .created)
            let url = try #require(jsonObject(made)?["url"] as? String)
            let path = String(url[try #require(url.range(of: "/v1/files/"))!.lowerBound...])
            let viaLink = try await client.execute(uri: path, method: .get)
            #expect(viaLink.status == .ok && viaLink.body == FilesFixture.pdf, "no token needed")
            let tampered = path.replacingOccurrences(of: "signature=", with: "signature=0")
            #expect(try await client.execute(uri: tampered, method: .get).status == .forbidden)
            let otherFile = path.replacingOccurrences(of: file.id, with: UUID().uuidString.lowercased())
            #expect(try await client.execute(uri: otherFile, method: .get).status == .forbidden, "a link names one file")
            fixture.clock.advance(301)
            let expired = try await client.execute(uri: path, method: .get)
            #expect(expired.status == .forbidden && problemOf(expired)?.detail.contains("expired") == true)
            let tooLong = try await client.execute(uri: "/v1/files/\(file.id)/links", method: .post, headers: try await fixture.headers(FilesFixture.officer),
                                                   body: ByteBuffer(string: #"{"seconds": 100000}"#))
            #expect(tooLong.status == .badRequest)
        }
    }

    @Test func aDossiersFilesAreOpenedToItsAgencyAllOrNoneOnlyByAServiceAndOnTransfer() async throws {
        let fixture = try await FilesFixture()
        let service = try await TokenVerifier(serviceSecret: fixture.settings.serviceTokenSecret, fetchJWKS: nil).serviceToken(for: "single-window", to: "documents")
        let serviceHeaders: HTTPFields = [.authorization: "Bearer \(service)", .contentType: "application/json"]
        try await fixture.app().test(.router) { client in
            let mine = try #require(stored(try await fixture.upload(client, FilesFixture.pdf)))
            let theirs = try #require(stored(try await fixture.upload(client, FilesFixture.pdf, name: "khac.pdf", as: FilesFixture.colleague)))
            func grant(_ body: String, headers: HTTPFields) async throws -> TestResponse {
                try await client.execute(uri: "/v1/file-grants", method: .post, headers: headers, body: ByteBuffer(string: body))
            }
            func readable(_ id: String, by identity: Identity) async throws -> Bool {
                try await client.execute(uri: "/v1/files/\(id)", method: .get, headers: try await fixture.headers(identity)).status == .ok
            }
            let citizen = #"{"subject":"\#(FilesFixture.citizen.subject)"}"#
            // Only a service opens files; an empty list is a 400.
            var officerHeaders = try await fixture.headers(FilesFixture.officer)
            officerHeaders[.contentType] = "application/json"
            #expect(try await grant(#"{"agency":"000.55.03.H33","fileIds":["\#(mine.id)"]}"#, headers: officerHeaders).status == .forbidden)
            #expect(try await grant(#"{"agency":"000.55.03.H33","fileIds":[]}"#, headers: serviceHeaders).status == .badRequest)
            // One file not the holder's and one unknown: both named, and the holder's own file is not opened either.
            let refused = try await grant(#"{"agency":"000.55.03.H33","fileIds":["\#(mine.id)","\#(theirs.id)","nope"],"holder":\#(citizen)}"#,
                                          headers: serviceHeaders)
            #expect(refused.status == .unprocessableContent)
            #expect(Set(problemOf(refused)?.errors?.map { "\($0.field) \($0.code)" } ?? []) == ["\(theirs.id) file.not-yours", "nope file.unknown"])
            #expect(try await readable(mine.id, by: FilesFixture.stranger) == false, "all or none")
            // The holder's own file: opened to the agency, whose officer then reads it.
            #expect(try await grant(#"{"agency":"000.55.03.H33","fileIds":["\#(mine.id)"],"holder":\#(citizen)}"#, headers: serviceHeaders).status == .noContent)
            #expect(try await readable(mine.id, by: FilesFixture.stranger))

            // A transfer: documents opens the dossier's files to the agency taking it over when the event arrives.
            var payload = DossierEventPayload(dossierId: "d-1", code: "000.55.01.H33-261129-0001", procedureCode: "1.000894", agencyCode: "000.55.09.H33",
                                              fromStatus: .processing, toStatus: .processing, applicantPhone: "0912345678", applicantEmail: nil, dueAt: nil)
            payload.fileIds = [theirs.id]
            let moved = try EventEnvelope(type: EventType.dossierTransferred, source: "single-window", requestId: "t-1", payload: payload)
            let elsewhere = Identity(subject: "officer-9", roles: [.officer], agency: "000.55.09.H33")
            #expect(try await readable(theirs.id, by: elsewhere) == false)
            try await client.execute(uri: "/internal/events", method: .post, headers: serviceHeaders,
                                     body: ByteBuffer(bytes: try JSONEncoder.motcua.encode(moved))) { #expect($0.status == .ok) }
            #expect(try await readable(theirs.id, by: elsewhere))
            // That agency's officer may now hand the file on with a new dossier (a component reused at the counter);
            // an officer of an agency it was never opened to may not.
            let reuser = #"{"subject":"officer-9","agency":"000.55.09.H33"}"#
            #expect(try await grant(#"{"agency":"000.55.09.H33","fileIds":["\#(theirs.id)"],"holder":\#(reuser)}"#, headers: serviceHeaders).status == .noContent)
            let outsider = #"{"subject":"officer-8","agency":"000.55.08.H33"}"#
            let notOpened = try await grant(#"{"agency":"000.55.08.H33","fileIds":["\#(theirs.id)"],"holder":\#(outsider)}"#, headers: serviceHeaders)
            #expect(problemOf(notOpened)?.errors?.map(\.code) == ["file.not-yours"])
        }
    }

    @Test func whatACrashLeftHalfWrittenIsRemovedAtTheNextStart() async throws {
        let fixture = try await FilesFixture()
        try FileManager.default.createDirectory(atPath: fixture.filesDir + "/tmp", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: fixture.filesDir + "/tmp/half-upload", contents: Data("%PDF-1.7 half".utf8))
        try await fixture.app().test(.router) { _ in
            #expect((try? FileManager.default.contentsOfDirectory(atPath: fixture.filesDir + "/tmp")) == [])
        }
    }
}

@Suite("Content types from the first bytes")
struct ContentTypeTests {
    static func zip(_ names: [String]) -> [UInt8] {
        names.reduce([0x50, 0x4B, 0x03, 0x04]) { $0 + Array(repeating: 0, count: 26) + Array($1.utf8) + [0x50, 0x4B, 0x03, 0x04] }
    }

    @Test func eachAllowedTypeIsRecognisedAndOthersAreNot() {
        #expect(ContentType.sniff(Array("%PDF-1.4".utf8)) == .pdf)
        #expect(ContentType.sniff([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]) == .png)
        #expect(ContentType.sniff([0xFF, 0xD8, 0xFF, 0xE0]) == .jpeg)
        #expect(ContentType.sniff(Self.zip(["[Content_Types].xml", "_rels/.rels", "word/document.xml"])) == .docx)
        #expect(ContentType.sniff(Self.zip(["[Content_Types].xml", "xl/workbook.xml"])) == .xlsx)
        #expect(ContentType.sniff(Self.zip(["[Content_Types].xml", "ppt/presentation.xml"])) == nil, "PowerPoint is not on the list")
        #expect(ContentType.sniff(Self.zip(["word/document.xml"])) == nil, "a ZIP that is not an Office document")
        #expect(ContentType.sniff([0xEF, 0xBB, 0xBF] + Array("\n <?xml version=\"1.0\"?><hoSo/>".utf8)) == .xml)
        #expect(ContentType.sniff(Array("<html>".utf8)) == nil)
        #expect(ContentType.sniff(Array("%PD".utf8)) == nil)
        #expect(ContentType.sniff([]) == nil)
    }

    @Test func rangesAreReadAsOneRangeWithinTheFile() {
        #expect(FileController.byteRange("bytes=0-9", size: 100) == 0...9)
        #expect(FileController.byteRange("bytes=90-", size: 100) == 90...99)
        #expect(FileController.byteRange("bytes=-10", size: 100) == 90...99)
        #expect(FileController.byteRange("bytes=-500", size: 100) == 0...99)
        #expect(FileController.byteRange("bytes=50-500", size: 100) == 50...99)
        #expect(FileController.byteRange("bytes=100-", size: 100) == nil)
        #expect(FileController.byteRange("bytes=9-0", size: 100) == nil)
        #expect(FileController.byteRange("bytes=0-1,5-6", size: 100) == nil)
        #expect(FileController.byteRange("items=0-1", size: 100) == nil)
    }
}
