import ServiceKit
import Testing

/// The pieces of URLs services and pages build for each other.
@Suite("URL parts")
struct URLPartsTests {
    @Test func aPathSegmentNeverNamesAnotherSegment() {
        #expect("000.55.01.H33-261207-0001".pathSegment == "000.55.01.H33-261207-0001")
        #expect("a/b".pathSegment == "a%2Fb")
        #expect("x?y#z".pathSegment == "x%3Fy%23z")
        // "." and ".." would name this segment's folder or the one above: /v1/dossiers/.. is not /v1.
        #expect(".".pathSegment == "%2E")
        #expect("..".pathSegment == "%2E%2E")
        #expect("...".pathSegment == "...")
    }

    @Test func aQueryStringKeepsItsPairsInOrderEncodedAsFormsAre() {
        #expect(FormEncoding.query([("status", "2,4"), ("q", "trần thị"), ("after", "1~2~a-b")])
                == "status=2%2C4&q=tr%E1%BA%A7n+th%E1%BB%8B&after=1%7E2%7Ea-b")
        #expect(FormEncoding.query([]) == "")
        #expect(FormEncoding.parameters(of: FormEncoding.query([("q", "a&b=c"), ("n", "1")])) == ["q": "a&b=c", "n": "1"])
    }
}
