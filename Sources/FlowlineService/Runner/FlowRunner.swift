import AsyncAlgorithms
import FlowlineCore

/// Runs one execution of a flow: source → task plan → destinations, as three overlapping stages.
///
/// Stages hand batches over through `AsyncThrowingChannel`s, whose `send` waits for the next
/// stage to take the batch: at most a few batches are alive at once whatever the input size,
/// and the slowest stage sets the pace. Writers see nothing of a run until `commit`, so a failed
/// or canceled run leaves every destination as it was.
public struct FlowRunner: Sendable {
    public var source: any RecordSource
    public var plan: TaskPlan
    public var destinations: [any RecordDestination]
    public var window: IncrementalWindow?
    public var resumeToken: String?
    public var settings: RunSettings
    public var context: WriteContext
    /// Asked between batches; returning true cancels the run cleanly.
    public var isCanceled: @Sendable () async -> Bool
    /// Called after each written batch.
    public var onProgress: @Sendable (RunProgress) -> Void

    public init(source: any RecordSource, plan: TaskPlan, destinations: [any RecordDestination], window: IncrementalWindow?,
                resumeToken: String?, settings: RunSettings, context: WriteContext,
                isCanceled: @escaping @Sendable () async -> Bool = { false },
                onProgress: @escaping @Sendable (RunProgress) -> Void = { _ in }) {
        self.source = source
        self.plan = plan
        self.destinations = destinations
        self.window = window
        self.resumeToken = resumeToken
        self.settings = settings
        self.context = context
        self.isCanceled = isCanceled
        self.onProgress = onProgress
    }

    public func run() async -> RunOutcome {
        var writers: [any DestinationWriter] = []
        var tally = Tally(sampleLimit: 10)
        do {
            for destination in destinations {
                writers.append(try await destination.open(context))
            }
            let stop = try await pump(into: writers, tally: &tally)
            if case .canceled = stop {
                for w in writers { await w.abort() }
                return tally.outcome(.canceled, message: "Canceled by request; nothing was written")
            }
            var locations: [String] = []
            var bytesWritten: Int64 = 0
            for w in writers {
                let summary = try await w.commit()
                locations += summary.locations
                bytesWritten += summary.bytesWritten
            }
            tally.progress.bytesWritten = bytesWritten
            var outcome = tally.outcome(.successful, message: tally.rejectionNote())
            outcome.locations = locations
            if case .cap(let token) = stop {
                outcome.stoppedAtCap = true
                outcome.resumeToken = token
                let note = "Stopped at the per-run cap of \(settings.maxBytesPerRun) bytes after \(tally.progress.bytesRead) bytes; the next run resumes from there"
                outcome.message = [note, outcome.message].compactMap { $0 }.joined(separator: ". ")
            }
            return outcome
        } catch {
            for w in writers { await w.abort() }
            return tally.outcome(.failed, message: "\(error)")
        }
    }

    private enum Stop: Sendable {
        case exhausted
        case cap(resumeToken: String?)
        case canceled
    }

    private struct Transformed: Sendable {
        var batch: RecordBatch
        var rejected: [RejectedRecord]
        var recordsRead: Int
        var bytesRead: Int64
    }

    private enum StageResult: Sendable {
        case reader(Stop)
        case transformer
    }

    /// Moves every batch through the plan into the writers; returns why reading stopped.
    private func pump(into writers: [any DestinationWriter], tally: inout Tally) async throws -> Stop {
        let raw = AsyncThrowingChannel<Handoff<SourceChunk>, Error>()
        let transformed = AsyncThrowingChannel<Transformed, Error>()
        let request = ReadRequest(projection: plan.projection, window: window, resumeToken: resumeToken, batchSize: settings.batchSize)
        let filterWindow = source.appliesWindow ? nil : window
        let plan = self.plan, source = self.source, cap = settings.maxBytesPerRun, isCanceled = self.isCanceled

        return try await withThrowingTaskGroup(of: StageResult.self) { group in
            group.addTask {
                var bytes: Int64 = 0
                var lastToken = request.resumeToken
                do {
                    var chunks = source.read(request).makeAsyncIterator()
                    // Boxed straight from the source, so the box holds the chunk's only reference.
                    while let box = try await chunks.next().map(Handoff.init) {
                        if await isCanceled() { raw.finish(); return .reader(.canceled) }
                        let (chunkBytes, token) = box.peek { ($0.bytesRead, $0.resumeToken) }
                        if bytes + chunkBytes > cap, bytes > 0 {
                            raw.finish()
                            return .reader(.cap(resumeToken: lastToken))
                        }
                        bytes += chunkBytes
                        lastToken = token
                        await raw.send(box)
                    }
                    raw.finish()
                    return .reader(.exhausted)
                } catch {
                    raw.fail(error)
                    throw error
                }
            }
            group.addTask {
                do {
                    for try await box in raw {
                        // Taken apart so the plan gets the only reference to the records and can
                        // rewrite them in place.
                        var chunk = box.take()
                        let recordsRead = chunk.batch.count, bytesRead = chunk.bytesRead
                        var rejected = chunk.rejected
                        var batch = RecordBatch(schema: chunk.batch.schema)
                        swap(&batch, &chunk.batch)
                        if let w = filterWindow {
                            batch = try WindowFilter(window: w, schema: batch.schema).apply(batch, rejected: &rejected)
                        }
                        // Whole columns at a time when the batch and the plan allow it; records otherwise.
                        let output: TaskOutput
                        if let columnar = plan.applyColumns(batch) {
                            output = columnar
                        } else {
                            output = try plan.apply(consume batch)
                        }
                        rejected += output.rejected
                        await transformed.send(Transformed(batch: output.batch, rejected: rejected,
                                                           recordsRead: recordsRead, bytesRead: bytesRead))
                    }
                    transformed.finish()
                    return .transformer
                } catch {
                    transformed.fail(error)
                    throw error
                }
            }

            do {
                for try await item in transformed {
                    if !item.rejected.isEmpty, settings.failOnFirstError {
                        throw RunError.firstRecordFailed(item.rejected[0])
                    }
                    tally.add(item.rejected)
                    if !item.batch.isEmpty {
                        for w in writers { try await w.write(item.batch) }
                    }
                    tally.progress.recordsRead += Int64(item.recordsRead)
                    tally.progress.recordsWritten += Int64(item.batch.count)
                    tally.progress.bytesRead += item.bytesRead
                    onProgress(tally.progress)
                }
            } catch {
                group.cancelAll()
                throw error
            }
            var stop = Stop.exhausted
            for try await result in group {
                if case .reader(let s) = result { stop = s }
            }
            return stop
        }
    }
}

/// Counts and samples rejected records as a run goes.
struct Tally {
    var progress = RunProgress()
    var samples: [RejectedRecord] = []
    let sampleLimit: Int

    init(sampleLimit: Int) {
        self.sampleLimit = sampleLimit
    }

    mutating func add(_ rejected: [RejectedRecord]) {
        progress.recordsRejected += Int64(rejected.count)
        for r in rejected where samples.count < sampleLimit { samples.append(r) }
    }

    func rejectionNote() -> String? {
        guard progress.recordsRejected > 0, let first = samples.first else { return nil }
        return "\(progress.recordsRejected) record(s) were not transferred; first: \(first.location): \(first.reason)"
    }

    func outcome(_ status: RunOutcome.Status, message: String?) -> RunOutcome {
        RunOutcome(status: status, progress: progress, message: message, rejectedSamples: samples)
    }
}

public enum RunError: Error, CustomStringConvertible {
    case firstRecordFailed(RejectedRecord)

    public var description: String {
        switch self {
        case .firstRecordFailed(let r):
            return "Stopped at the first record that could not be transferred (\(r.location)): \(r.reason)"
        }
    }
}
