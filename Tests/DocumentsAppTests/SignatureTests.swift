import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
@testable import DocumentsApp
import ServiceKit
import ServiceTesting
import Testing

/// Runs openssl (on every system the tests run on) and answers its exit status and what it printed.
func openssl(_ arguments: [String]) throws -> (status: Int32, output: String) {
    try ExternalTool.run("/usr/bin/env", ["openssl"] + arguments)
}

@Suite("Signatures under the province's CA")
struct SignatureTests {
    static let chairman = Identity(subject: "leader-hontre", roles: [.leader], agency: "000.55.01.H33")
    static let deputy = Identity(subject: "leader-hontre-2", roles: [.leader], agency: "000.55.01.H33")
    static let admin = Identity(subject: "admin-1", roles: [.admin])

    func issue(_ client: some TestClientProtocol, _ fixture: FilesFixture, for identity: Identity, name: String, days: Int = 730) async throws -> String {
        let response = try await client.execute(uri: "/v1/pki/certificates", method: .post, headers: try await fixture.headers(Self.admin),
                                                body: ByteBuffer(string: #"{"subject":"\#(identity.subject)","name":"\#(name)","agency":"UBND xã Hòn Tre","days":\#(days)}"#))
        #expect(response.status == .created)
        return try #require(jsonObject(response)?["serial"] as? String)
    }

    func sign(_ client: some TestClientProtocol, _ fixture: FilesFixture, _ id: String, as identity: Identity) async throws -> TestResponse {
        try await client.execute(uri: "/v1/documents/\(id)/signatures", method: .post, headers: try await fixture.headers(identity))
    }

    func verify(_ client: some TestClientProtocol, _ fixture: FilesFixture, _ body: String) async throws -> [[String: Any]] {
        let response = try await client.execute(uri: "/v1/verify", method: .post, headers: try await fixture.headers(Self.admin), body: ByteBuffer(string: body))
        return try #require(jsonObject(response)?["verifications"] as? [[String: Any]])
    }

    @Test func aSignedResultVerifiesWithOpenSSLAndOneChangedByteFails() async throws {
        let fixture = try await FilesFixture()
        let folder = fixture.settings.dataDirectory
        try await fixture.app().test(.router) { client in
            _ = try await self.issue(client, fixture, for: Self.chairman, name: "Nguyễn Văn Chủ Tịch")
            let file = try #require(stored(try await fixture.upload(client, FilesFixture.pdf, name: "quyet-dinh.pdf", as: Self.chairman)))
            let signed = try await self.sign(client, fixture, file.id, as: Self.chairman)
            #expect(signed.status == .created)
            #expect(jsonObject(signed)?["number"] as? Int == 1)
            let code = try #require(jsonObject(signed)?["code"] as? String)

            let ca = try await client.execute(uri: "/v1/pki/ca.pem", method: .get) { String(buffer: $0.body) }
            #expect(ca.hasPrefix("-----BEGIN CERTIFICATE-----"))
            let der = try await client.execute(uri: "/v1/documents/\(file.id)/signatures/1", method: .get, headers: try await fixture.headers(Self.chairman))
            #expect(der.headers[.contentType] == "application/pkcs7-signature")
            try ca.write(toFile: folder + "/ca.pem", atomically: true, encoding: .utf8)
            try Data(der.body.readableBytesView).write(to: URL(fileURLWithPath: folder + "/result.p7s"))
            try Data(FilesFixture.pdf.readableBytesView).write(to: URL(fileURLWithPath: folder + "/result.pdf"))
            let good = try openssl(["cms", "-verify", "-binary", "-inform", "DER", "-in", folder + "/result.p7s", "-content", folder + "/result.pdf",
                                    "-CAfile", folder + "/ca.pem", "-out", "/dev/null"])
            #expect(good.status == 0, "\(good.output)")
            var altered = Array(FilesFixture.pdf.readableBytesView)
            altered[20] ^= 0x01
            try Data(altered).write(to: URL(fileURLWithPath: folder + "/altered.pdf"))
            let bad = try openssl(["cms", "-verify", "-binary", "-inform", "DER", "-in", folder + "/result.p7s", "-content", folder + "/altered.pdf",
                                   "-CAfile", folder + "/ca.pem", "-out", "/dev/null"])
            #expect(bad.status != 0)

            let checked = try await self.verify(client, fixture, #"{"documentId":"\#(file.id)"}"#)
            #expect(checked.count == 1)
            #expect(checked.first?["valid"] as? Bool == true && checked.first?["integrity"] as? String == "intact")
            #expect(checked.first?["chain"] as? String == "trusted" && checked.first?["revocation"] as? String == "good")
            #expect(checked.first?["signerName"] as? String == "Nguyễn Văn Chủ Tịch" && checked.first?["agency"] as? String == "UBND xã Hòn Tre")
            #expect(checked.first?["signingTime"] != nil)
            let tampered = try await self.verify(client, fixture, #"{"file":"\#(Data(altered).base64EncodedString())","signature":"\#(Data(der.body.readableBytesView).base64EncodedString())"}"#)
            #expect(tampered.first?["valid"] as? Bool == false && tampered.first?["integrity"] as? String == "altered")
            #expect((tampered.first?["reason"] as? String)?.contains("changed after signing") == true)

            // The public check page's data, by the printed code.
            let page = try await client.execute(uri: "/v1/verify/\(code)", method: .get)
            #expect(page.status == .ok && jsonObject(page)?["name"] as? String == "quyet-dinh.pdf")
            #expect(try await client.execute(uri: "/v1/verify/AAA-BBBB-CCC", method: .get).status == .notFound)
        }
    }

    @Test func aCounterSignatureARevokedAndAnExpiredCertificate() async throws {
        let fixture = try await FilesFixture()
        let folder = fixture.settings.dataDirectory
        try await fixture.app().test(.router) { client in
            let first = try await self.issue(client, fixture, for: Self.chairman, name: "Chủ tịch")
            _ = try await self.issue(client, fixture, for: Self.deputy, name: "Phó Chủ tịch", days: 1)
            let file = try #require(stored(try await fixture.upload(client, FilesFixture.pdf, as: Self.chairman)))
            #expect(try await self.sign(client, fixture, file.id, as: Self.deputy).status == .created)
            let second = try await self.sign(client, fixture, file.id, as: Self.chairman)
            #expect(jsonObject(second)?["number"] as? Int == 2, "the second signature counter-signs")
            #expect(try await self.verify(client, fixture, #"{"documentId":"\#(file.id)"}"#).map { $0["valid"] as? Bool } == [true, true])

            let revoked = try await client.execute(uri: "/v1/pki/certificates/\(first)/revoke", method: .post, headers: try await fixture.headers(Self.admin))
            #expect(revoked.status == .ok && jsonObject(revoked)?["revokedAt"] != nil)
            #expect(try await client.execute(uri: "/v1/pki/certificates/\(first)/revoke", method: .post,
                                             headers: try await fixture.headers(Self.admin)).status == .conflict)
            let afterRevocation = try await self.verify(client, fixture, #"{"documentId":"\#(file.id)"}"#)
            #expect(afterRevocation.map { $0["revocation"] as? String } == ["good", "revoked"])
            #expect(afterRevocation.map { $0["valid"] as? Bool } == [true, false])
            let refused = try await self.sign(client, fixture, file.id, as: Self.chairman)
            #expect(refused.status == .conflict && problemOf(refused)?.detail.contains("revoked") == true)

            // The CRL lists it, signed by the root, as openssl reads it.
            let crl = try await client.execute(uri: "/v1/pki/crl", method: .get)
            #expect(crl.headers[.contentType] == "application/pkix-crl")
            try Data(crl.body.readableBytesView).write(to: URL(fileURLWithPath: folder + "/ca.crl"))
            try (try await client.execute(uri: "/v1/pki/ca.pem", method: .get) { String(buffer: $0.body) }).write(toFile: folder + "/ca.pem", atomically: true, encoding: .utf8)
            let read = try openssl(["crl", "-inform", "DER", "-in", folder + "/ca.crl", "-CAfile", folder + "/ca.pem", "-noout", "-text"])
            #expect(read.status == 0 && read.output.contains("verify OK"), "\(read.output)")
            #expect(read.output.uppercased().contains(first.uppercased()))

            fixture.clock.advance(2 * 86_400)
            let expired = try await self.sign(client, fixture, file.id, as: Self.deputy)
            #expect(expired.status == .conflict, "an expired certificate cannot sign")
        }
    }

    @Test func whoMaySignIssueAndVerify() async throws {
        let fixture = try await FilesFixture()
        try await fixture.app().test(.router) { client in
            let file = try #require(stored(try await fixture.upload(client, FilesFixture.pdf, as: Self.chairman)))
            #expect(try await self.sign(client, fixture, file.id, as: Self.chairman).status == .conflict, "no certificate yet")
            #expect(try await self.sign(client, fixture, file.id, as: FilesFixture.citizen).status == .forbidden)
            _ = try await self.issue(client, fixture, for: FilesFixture.stranger, name: "Cán bộ xã khác")
            #expect(try await self.sign(client, fixture, file.id, as: FilesFixture.stranger).status == .notFound, "another agency's file")
            #expect(try await self.sign(client, fixture, "nope", as: Self.chairman).status == .notFound)
            let notAdmin = try await client.execute(uri: "/v1/pki/certificates", method: .post, headers: try await fixture.headers(Self.chairman),
                                                    body: ByteBuffer(string: #"{"subject":"x","name":"y"}"#))
            #expect(notAdmin.status == .forbidden)
            let invalid = try await client.execute(uri: "/v1/pki/certificates", method: .post, headers: try await fixture.headers(Self.admin),
                                                   body: ByteBuffer(string: #"{"subject":" ","name":"","days":0}"#))
            #expect(problemOf(invalid)?.errors?.map(\.field) == ["subject", "name", "days"])
            let neither = try await client.execute(uri: "/v1/verify", method: .post, headers: try await fixture.headers(Self.admin), body: ByteBuffer(string: "{}"))
            #expect(neither.status == .badRequest)
            let garbage = try await self.verify(client, fixture, #"{"file":"AAAA","signature":"AAAA"}"#)
            #expect(garbage.first?["valid"] as? Bool == false && garbage.first?["reason"] != nil)
            #expect(try await client.execute(uri: "/v1/pki/certificates/00ff", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/v1/documents/\(file.id)/signatures/7", method: .get,
                                             headers: try await fixture.headers(Self.chairman)).status == .notFound)
        }
    }

    @Test func theRootIsKeptAcrossRestartsAndKeysOpenOnlyWithTheMasterKey() async throws {
        var settings = try await FilesFixture().settings
        settings.database = .sqliteFile(settings.dataDirectory + "/documents.sqlite")
        let first = try await buildDocumentsApplication(settings).test(.router) { client in
            try await client.execute(uri: "/v1/pki/ca.pem", method: .get) { String(buffer: $0.body) }
        }
        let again = try await buildDocumentsApplication(settings).test(.router) { client in
            try await client.execute(uri: "/v1/pki/ca.pem", method: .get) { String(buffer: $0.body) }
        }
        #expect(first == again)
        let vault = KeyVault(masterKey: "one"), other = KeyVault(masterKey: "two")
        let sealed = try vault.seal(.init())
        #expect(throws: KeyVault.VaultError.self) { try other.open(sealed) }
        #expect(!sealed.contains("BEGIN"), "no key in the clear")
    }
}
