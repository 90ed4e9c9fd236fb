import Foundation
import NIOSSL

/// TLS between services, with certificates from the province's service CA (kept apart from the signing CA that
/// signs results): each service answers other services on a second port, `INTERNAL_PORT`, where both sides show a
/// certificate the service CA issued and each verifies the other's. Service tokens are accepted there only, so a token
/// that leaked is no use to anyone without a certificate; the public port keeps serving browsers and people's tokens.
///
/// On when `SERVICE_TLS_CERT`, `SERVICE_TLS_KEY` and `SERVICE_TLS_CA` (PEM files) are all set; `scripts/service-ca`
/// makes a CA and a certificate per service.
public struct ServiceTLS: Sendable {
    public let certificateFile: String
    public let keyFile: String
    public let caFile: String
    /// The port of the mutual-TLS listener (default: the public port + 1000).
    public let internalPort: Int

    /// The settings' TLS, or nil when it is off. Some but not all of the files set, or a file that does not read as
    /// PEM, is an error naming the setting.
    public static func from(_ settings: ServiceSettings) throws(ConfigurationError) -> ServiceTLS? {
        let files = ["SERVICE_TLS_CERT", "SERVICE_TLS_KEY", "SERVICE_TLS_CA"].map { (key: $0, value: settings.environment[$0] ?? "") }
        let set = files.filter { !$0.value.isEmpty }
        guard !set.isEmpty else { return nil }
        if let missing = files.first(where: { $0.value.isEmpty }) {
            throw ConfigurationError.invalid(missing.key, "", "a PEM file, since \(set.map(\.key).joined(separator: ", ")) is set")
        }
        for file in files where !FileManager.default.isReadableFile(atPath: file.value) {
            throw ConfigurationError.invalid(file.key, file.value, "a readable PEM file")
        }
        let internalPort = try settings.integer("INTERNAL_PORT", default: settings.port == 0 ? 0 : settings.port + 1000, range: 0...65535)
        let tls = ServiceTLS(certificateFile: files[0].value, keyFile: files[1].value, caFile: files[2].value, internalPort: internalPort)
        do { _ = try tls.material() } catch {
            throw ConfigurationError.invalid("SERVICE_TLS_CERT", files[0].value, "a certificate, its private key and the CA as PEM (\(error))")
        }
        return tls
    }

    private func material() throws -> (chain: [NIOSSLCertificate], key: NIOSSLPrivateKey, ca: [NIOSSLCertificate]) {
        (try NIOSSLCertificate.fromPEMFile(self.certificateFile), try NIOSSLPrivateKey(file: self.keyFile, format: .pem),
         try NIOSSLCertificate.fromPEMFile(self.caFile))
    }

    /// The listener's side: its certificate, and a certificate from the service CA required of every caller.
    public func serverConfiguration() throws -> TLSConfiguration {
        let (chain, key, ca) = try self.material()
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.trustRoots = .certificates(ca)
        configuration.certificateVerification = .noHostnameVerification
        configuration.minimumTLSVersion = .tlsv12
        return configuration
    }

    /// The caller's side: its certificate shown, and the listener's checked against the service CA only (not the
    /// system's roots) and against the name called: `ServiceClient` calls `https://single-window:port` at the
    /// instance's address, so the certificate must name single-window (`scripts/service-ca` puts the name in its DNS
    /// names).
    public func clientConfiguration() throws -> TLSConfiguration {
        let (chain, key, ca) = try self.material()
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateChain = chain.map { .certificate($0) }
        configuration.privateKey = .privateKey(key)
        configuration.trustRoots = .certificates(ca)
        configuration.certificateVerification = .fullVerification
        configuration.minimumTLSVersion = .tlsv12
        return configuration
    }
}
