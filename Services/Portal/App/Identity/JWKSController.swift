import Hummingbird
import ServiceKit

/// Publishes the portal's token-signing public keys, which every other service verifies tokens against.
struct JWKSController {
    let issuer: TokenIssuer

    func register(on router: Router<ServiceRequestContext>, openAPI: inout OpenAPIDocument) {
        let jwks = self.issuer.jwks
        router.get("/.well-known/jwks.json") { _, _ -> Response in
            var response = try StreamingJSON.encode(jwks).response(contentType: "application/json")
            response.headers[.cacheControl] = "public, max-age=300"
            return response
        }
        openAPI.add("GET", "/.well-known/jwks.json", summary: "Public keys of the access-token issuer (RFC 7517)", tag: "identity",
                    responses: [200: ("Key set", Schema.object(["keys": Schema.array(Schema.anyObject)]))])
    }
}

import Foundation
import NIOCore

extension Data {
    /// A 200 response carrying these bytes.
    func response(contentType: String) -> Response {
        Response(status: .ok, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(bytes: self)))
    }
}
