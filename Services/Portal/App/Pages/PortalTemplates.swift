import Foundation
import PageKit

/// The portal's page templates, one beside each screen (`Catalog/catalog.mustache`…), with PageKit's frame and form
/// parts. Loaded once for the process: `buildPortalApplication` loads them before it serves, so a template that does
/// not parse stops the start with its file's name, and the pages never meet that failure.
enum PortalTemplates {
    static func load() throws -> PageTemplates { try self.loaded.get() }

    /// For the pages, after the start has loaded them.
    static var library: PageTemplates {
        switch self.loaded {
        case .success(let templates): return templates
        case .failure(let error): preconditionFailure("the portal's templates were not checked at start: \(error)")
        }
    }

    private static let loaded = Result<PageTemplates, any Error> { try PageTemplates.load([Bundle.module.resourceURL].compactMap { $0 }) }
}
