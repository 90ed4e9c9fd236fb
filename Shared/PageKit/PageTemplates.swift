import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import NIOCore

/// Pages from Mustache templates (swift-mustache), which escape every value by default: `{{name}}` writes
/// `&lt;script&gt;` for what a person typed, and a value goes out raw only through triple braces, which no template
/// uses for anything but markup PageKit made. One template per screen lives beside its controller; the frame
/// (`layout`) and the form parts (`field`, `errors`) are PageKit's own, under `Shared/PageKit/Templates`.
public struct PageTemplates: Sendable {
    let library: MustacheLibrary

    /// A template names a partial or parent that is not there, or two folders hold templates of one name.
    public struct LoadError: Error, CustomStringConvertible {
        public let description: String
    }

    /// PageKit's templates and those in `folders` (each `.mustache` file by its name without the extension; a
    /// service's resource bundle is flat). A name found twice is an error rather than a silent override.
    public static func load(_ folders: [URL]) throws -> PageTemplates {
        var library = MustacheLibrary()
        var seen: [String: URL] = [:]
        guard let own = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            throw LoadError(description: "PageKit's templates are missing from its resource bundle")
        }
        for folder in [own] + folders {
            let files = (FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?.allObjects as? [URL] ?? [])
                .filter { $0.pathExtension == "mustache" }
            for file in files.sorted(by: { $0.path < $1.path }) {
                let name = file.deletingPathExtension().lastPathComponent
                if let other = seen[name] { throw LoadError(description: "two templates are named \(name): \(other.path) and \(file.path)") }
                seen[name] = file
                do {
                    try library.register(String(contentsOf: file, encoding: .utf8), named: name)
                } catch {
                    throw LoadError(description: "\(file.lastPathComponent) does not parse: \(error)")
                }
            }
        }
        return PageTemplates(library: library)
    }

    /// The text of `template` for `model` (a struct whose properties the template names).
    public func render(_ template: String, _ model: Any) throws -> String {
        guard let text = self.library.render(model, withTemplate: template) else {
            throw LoadError(description: "there is no template named \(template)")
        }
        return text
    }

    /// An HTML answer: never kept by shared caches (every page is someone's), charset declared.
    public func page(_ template: String, _ model: Any, status: HTTPResponse.Status = .ok) throws -> Response {
        let text = try self.render(template, model)
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
