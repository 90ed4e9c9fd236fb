import DomainKit
import Foundation
import Hummingbird
import NIOCore
import ServiceKit
import X509

/// The province's CA over HTTP: its root and CRL at fixed addresses, and certificates issued and revoked by admins.
struct PKIController {
    let authority: CertificateAuthority
    let now: @Sendable () -> Date

    struct Issue: Decodable {
        var subject: String
        var name: String
        var agency: String?
        var days: Int?
    }

    func register(on router: Router<ServiceRequestContext>, openAPI: inout OpenAPIDocument) {
        router.get("/v1/pki/ca.pem", use: self.caPEM)
        router.get("/v1/pki/crl", use: self.crl)
        router.post("/v1/pki/certificates", use: self.issue)
        router.get("/v1/pki/certificates/:serial", use: self.show)
        router.post("/v1/pki/certificates/:serial/revoke", use: self.revoke)
        openAPI.add("GET", "/v1/pki/ca.pem", summary: "The province's root CA certificate (PEM)", tag: "pki", responses: [200: ("PEM", nil)])
        openAPI.add("GET", "/v1/pki/crl", summary: "The certificate revocation list (DER, signed by the root, valid a day)", tag: "pki",
                    responses: [200: ("application/pkix-crl", nil)])
        openAPI.add("POST", "/v1/pki/certificates", summary: "Admins: a signing certificate (ECDSA P-256) for an account, with its name and agency; "
                    + "the key is kept sealed here", tag: "pki",
                    request: Schema.object(["subject": Schema.string, "name": Schema.string, "agency": Schema.string, "days": Schema.integer],
                                           required: ["subject", "name"]),
                    responses: [201: ("The certificate", Schema.anyObject), 422: ("No subject or name, or days outside 1-1825", nil)], token: true)
        openAPI.add("GET", "/v1/pki/certificates/:serial", summary: "A certificate by its serial (hex)", tag: "pki",
                    responses: [200: ("The certificate", Schema.anyObject), 404: ("Unknown serial", nil)])
        openAPI.add("POST", "/v1/pki/certificates/:serial/revoke", summary: "Admins: revoke a certificate; it signs nothing from now on and "
                    + "is listed in the CRL", tag: "pki", responses: [200: ("Revoked", Schema.anyObject), 404: ("Unknown serial", nil),
                                                                     409: ("Revoked already", nil)], token: true)
    }

    @Sendable func caPEM(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        Response(status: .ok, headers: [.contentType: "application/x-pem-file", .contentDisposition: "attachment; filename=\"motcua-kiengiang-ca.pem\""],
                 body: .init(byteBuffer: ByteBuffer(string: self.authority.rootPEM + "\n")))
    }

    @Sendable func crl(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        Response(status: .ok, headers: [.contentType: "application/pkix-crl", .cacheControl: "public, max-age=300"],
                 body: .init(byteBuffer: ByteBuffer(bytes: try await self.authority.revocationList(at: self.now()))))
    }

    @Sendable func issue(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try context.requireRole(.admin)
        let asked = try await request.decodeJSON(as: Issue.self)
        var issues: [FieldIssue] = []
        if asked.subject.trimmingCharacters(in: .whitespaces).isEmpty {
            issues.append(FieldIssue(field: "subject", code: "required", vi: "Cần tài khoản người được cấp.", en: "The account is required."))
        }
        if asked.name.trimmingCharacters(in: .whitespaces).isEmpty {
            issues.append(FieldIssue(field: "name", code: "required", vi: "Cần họ tên người được cấp.", en: "The holder's name is required."))
        }
        if let days = asked.days, !(1...1825).contains(days) {
            issues.append(FieldIssue(field: "days", code: "range", vi: "Thời hạn từ 1 đến 1825 ngày.", en: "A certificate lasts 1 to 1825 days."))
        }
        guard issues.isEmpty else { throw Problem.validation(issues) }
        let issued = try await self.authority.issue(subject: asked.subject, name: asked.name, agency: asked.agency, days: asked.days ?? 730, now: self.now())
        var response = try issued.response(from: request, context: context)
        response.status = .created
        return response
    }

    @Sendable func show(_ request: Request, context: ServiceRequestContext) async throws -> IssuedCertificate {
        let serial = try context.parameters.require("serial")
        guard let issued = try await self.authority.find(serial: serial) else { throw Problem.notFound("No certificate has the serial \(serial).") }
        return issued
    }

    @Sendable func revoke(_ request: Request, context: ServiceRequestContext) async throws -> IssuedCertificate {
        try context.requireRole(.admin)
        let serial = try context.parameters.require("serial")
        guard try await self.authority.find(serial: serial) != nil else { throw Problem.notFound("No certificate has the serial \(serial).") }
        guard try await self.authority.revoke(serial: serial, at: self.now()) else { throw Problem.conflict("Certificate \(serial) was revoked before.") }
        return try await self.authority.find(serial: serial)!
    }
}

/// A certificate as the API shows it: its holder, validity, revocation and the certificate itself in PEM.
extension IssuedCertificate: Encodable, ResponseEncodable {
    enum CodingKeys: String, CodingKey { case serial, subject, name, agency, notBefore, notAfter, revokedAt, pem }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.serial, forKey: .serial)
        try container.encode(self.subject, forKey: .subject)
        try container.encode(self.name, forKey: .name)
        try container.encodeIfPresent(self.agency, forKey: .agency)
        try container.encode(self.notBefore, forKey: .notBefore)
        try container.encode(self.notAfter, forKey: .notAfter)
        try container.encodeIfPresent(self.revokedAt, forKey: .revokedAt)
        try container.encode(try self.certificate.serializeAsPEM().pemString, forKey: .pem)
    }
}
