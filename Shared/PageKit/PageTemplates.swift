import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import NIOCore

/// Pages from Mustache templates (swift-mustache), which escape every value by default: `{{name}}` writes
/// `&lt;script&gt;` for what a person typed; a value goes out raw only through triple braces, which only the console's
/// printed slips use, for the QR code's SVG that PageKit draws (`QRCode`). One template per screen lives beside its controller; the frame
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

    /// The text of `template` for `model` (a struct whose properties the template names). The model is read once
    /// into dictionaries (`tree`): swift-mustache otherwise reflects a value again for every name it looks up, at
    /// every level of the context, which made a queue page of 50 rows cost milliseconds.
    public func render(_ template: String, _ model: Any) throws -> String {
        guard let text = self.library.render(Self.tree(model), withTemplate: template) else {
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

    /// A view model as nested dictionaries and arrays: what Mustache reads by name without reflection. A nil
    /// optional becomes NSNull, so a name that is there but empty stays empty instead of being looked up further out.
    private static let leaves: Set<ObjectIdentifier> = [ObjectIdentifier(String.self), ObjectIdentifier(Int.self), ObjectIdentifier(Bool.self),
                                                         ObjectIdentifier(Double.self), ObjectIdentifier(NSNull.self)]

    static func tree(_ value: Any) -> Any {
        // Leaves by their type's identity: an `is` test on `Any` looks the conformance up, and a page has thousands.
        if Self.leaves.contains(ObjectIdentifier(type(of: value))) { return value }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            return mirror.children.first.map { self.tree($0.value) } ?? NSNull()
        case .struct, .class:
            var fields: [String: Any] = [:]
            for child in mirror.children {
                if let label = child.label { fields[label] = self.tree(child.value) }
            }
            return fields
        case .collection, .set:
            return mirror.children.map { self.tree($0.value) }
        default:
            return value
        }
    }
}
