import Foundation
import FlowlineAPI
import FlowlineConnectors

/// Where a run's output went, for the flow page: the S3 folder and the files in it (as AppFlow lays
/// them out, `bucketPrefix/flowName/executionId/…`, found on disk so date folders and partitions
/// are shown as they are), or the Redshift table.
enum RunOutput {
    /// Files listed at most; a bigger run says how many more.
    static let listed = 10

    static func html(_ draft: FlowDraft, flowName: String, execution: AppFlow.ExecutionRecord, s3Root: S3Root) -> String {
        let id = execution.executionId ?? ""
        let status = execution.executionStatus
        guard status == .successful else {
            return "<p id=\"output\">The last run (\(HTML.escape(id))) ended \(HTML.escape(status?.rawValue ?? "")): it published nothing.</p>"
        }
        if draft.destinationType == "Redshift" {
            return "<p id=\"output\">The last run (\(HTML.escape(id))) loaded table <code>\(HTML.escape(draft.destinationObject))</code> "
                + "through connection \(HTML.escape(draft.destinationProfile)).</p>"
        }
        guard let keys = try? S3Root.keyComponents(draft.destinationPrefix), let bucketPath = try? s3Root.bucketPath(draft.destinationBucket) else {
            return ""
        }
        let flowFolder = (keys + [flowName]).joined(separator: "/")
        let found = files(of: id, under: bucketPath + "/" + flowFolder)
        if (execution.executionResult?.recordsProcessed ?? 0) == 0 && found.files.isEmpty {
            return "<p id=\"output\">The last run (\(HTML.escape(id))) transferred no records, so it wrote no files.</p>"
        }
        let folder = found.folder.map { flowFolder + "/" + $0 } ?? flowFolder
        var out = "<p id=\"output\">The last run (\(HTML.escape(id))) wrote to <code>s3://\(HTML.escape(draft.destinationBucket))/\(HTML.escape(folder))/</code>, "
        out += "on disk <code>\(HTML.escape(bucketPath + "/" + folder))</code></p>"
        if !found.files.isEmpty {
            out += "<ul id=\"output-files\">" + found.files.prefix(listed).map { "<li><code>\(HTML.escape($0))</code></li>" }.joined() + "</ul>"
            if found.files.count > listed { out += "<p class=\"hint\">and \(found.files.count - listed) more files.</p>" }
        }
        return out
    }

    /// The folder named after the run (relative to `root`, found within a few levels: date folders
    /// may come first) and its files relative to that folder.
    private static func files(of executionId: String, under root: String) -> (folder: String?, files: [String]) {
        let fm = FileManager.default
        guard !executionId.isEmpty, let walker = fm.enumerator(atPath: root) else { return (nil, []) }
        var folder: String?
        var looked = 0
        while let path = walker.nextObject() as? String, looked < 20_000 {
            looked += 1
            if (path as NSString).lastPathComponent == executionId { folder = path; break }
            if walker.level > 6 { walker.skipDescendants() }
        }
        guard let folder, let inside = fm.enumerator(atPath: root + "/" + folder) else { return (nil, []) }
        var files: [String] = []
        while let path = inside.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if fm.fileExists(atPath: root + "/" + folder + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue { files.append(path) }
        }
        return (folder, files.sorted())
    }
}
