import Attune
#if canImport(Glibc)
import Glibc
#endif

// `attune run --threads N`: the same output as one thread, from N.
//
//   main thread:  read a chunk ─► batch of lines ─► round ─► merge in input order ─► adapters
//   worker w:     decode its slice of the batch ─► barrier ─► apply the lines whose session
//                 hashes to w (its own Engine: sessions never share state) ─► done
//
// Each line's number is its position in the input. A worker keeps, per line it
// applied, the recommendations and warnings that line caused; the main thread
// walks the batch in order and writes them, so what comes out is what one
// thread would write, byte for byte. Sessions still open at the end are closed
// in the order they first appeared, across workers. While the workers run
// round r+1, the main thread writes the output of round r.
//
// Idle sessions (`bus.idleEvents`) are closed as one bus would close them: every
// worker numbers the accepted events of the whole input (not only its own), and
// after every accepted event except `end` (whichever worker applies it) each worker
// closes its sessions that are then idle. What such a close writes belongs to that
// input line, after the line's own output, in the order of the closed sessions'
// last events (the key below), which is the order one bus closes them in.

/// A pthread mutex and condition variable (no Foundation).
final class Monitor: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let cond = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(cond, nil)
    }

    deinit {
        pthread_cond_destroy(cond)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        cond.deallocate()
    }

    func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }

    /// Waits (lock held by the caller through `locked`) until woken.
    func wait() { pthread_cond_wait(cond, mutex) }
    func broadcast() { pthread_cond_broadcast(cond) }
}

/// N threads meet here between decoding and applying.
final class Barrier: @unchecked Sendable {
    private let monitor = Monitor()
    private let parties: Int
    private var arrived = 0
    private var generation = 0

    init(parties: Int) { self.parties = parties }

    func arriveAndWait() {
        monitor.locked {
            let g = generation
            arrived += 1
            if arrived == parties {
                arrived = 0
                generation += 1
                monitor.broadcast()
            } else {
                while generation == g { monitor.wait() }
            }
        }
    }
}

/// One input line in a batch: where its bytes are, or only its length when it was over the limit.
struct LineSpan {
    var start: Int
    var count: Int
    var overlong: Bool
}

/// Lines read in one go, their decoded results and the worker each one goes to.
final class Batch: @unchecked Sendable {
    var buffer: UnsafeMutableRawPointer
    var capacity: Int
    var spans: [LineSpan] = []
    /// Line number of `spans[0]`.
    var firstLine = 1
    /// Written by the workers (disjoint slices), read after the barrier.
    private(set) var results: UnsafeMutablePointer<Result<InputEvent, LineError>?>
    /// The worker a line goes to; -1 for a bad line; plus ``endFlag`` for an `end` control.
    private(set) var shards: UnsafeMutablePointer<Int32>
    static let endFlag: Int32 = 1 << 16
    private var resultCapacity = 0
    /// Lines to apply and merge: all of them, or up to and including the first bad line under --strict.
    var cut = 0

    init(capacity: Int) {
        self.capacity = capacity
        buffer = .allocate(byteCount: capacity, alignment: 16)
        results = .allocate(capacity: 1)
        shards = .allocate(capacity: 1)
        results.initialize(to: nil)
    }

    deinit {
        buffer.deallocate()
        results.deinitialize(count: max(resultCapacity, 1))
        results.deallocate()
        shards.deallocate()
    }

    func grow(to newCapacity: Int, keeping used: Int) {
        let b = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        b.copyMemory(from: buffer, byteCount: used)
        buffer.deallocate()
        buffer = b
        capacity = newCapacity
    }

    /// Sizes the result slots for `spans` and clears them (dropping the last round's events).
    func prepareResults() {
        let n = spans.count
        if n > resultCapacity {
            results.deinitialize(count: max(resultCapacity, 1))
            results.deallocate()
            shards.deallocate()
            resultCapacity = max(n, resultCapacity * 2)
            results = .allocate(capacity: resultCapacity)
            results.initialize(repeating: nil, count: resultCapacity)
            shards = .allocate(capacity: resultCapacity)
        }
        // The old results are released as the workers overwrite them: the thread that
        // allocated a value frees it, and no malloc arena lock is passed between threads.
    }

    func bytes(_ i: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: buffer + spans[i].start, count: spans[i].count)
    }
}

/// Fills batches from a file descriptor: whole lines only; a partial last line
/// is carried into the next batch; an overlong line is skipped as it streams past.
struct BatchReader {
    let fd: Int32
    let maxLine: Int
    private var carry: [UInt8] = []
    private var carryOverlong = false
    private var carryLength = 0
    private(set) var atEnd = false
    private var nextLine = 1

    init(fd: Int32, maxLine: Int) {
        self.fd = fd
        self.maxLine = maxLine
    }

    /// Reads once (more only while no line is complete). Returns an errno on a read error.
    mutating func fill(_ batch: Batch) -> Int32? {
        batch.spans.removeAll(keepingCapacity: true)
        batch.firstLine = nextLine
        defer { nextLine += batch.spans.count }
        while batch.spans.isEmpty && !atEnd {
            var used = 0
            if !carryOverlong {
                if carry.count * 2 > batch.capacity { batch.grow(to: carry.count * 2 + 4096, keeping: 0) }
                carry.withUnsafeBytes { if $0.count > 0 { batch.buffer.copyMemory(from: $0.baseAddress!, byteCount: $0.count) } }
                used = carry.count
                carry.removeAll(keepingCapacity: true)
            }
            let n = read(fd, batch.buffer + used, batch.capacity - used)
            if n < 0 {
                if errno == EINTR {
                    carry.append(contentsOf: UnsafeRawBufferPointer(start: batch.buffer, count: used))
                    if Signals.received != 0 { return nil }
                    continue
                }
                return errno
            }
            if n == 0 {
                atEnd = true
                if carryOverlong {
                    batch.spans.append(LineSpan(start: 0, count: carryLength, overlong: true))
                } else if used > 0 {
                    batch.spans.append(LineSpan(start: 0, count: used, overlong: used > maxLine))
                }
                carryOverlong = false
                return nil
            }
            let base = UnsafeRawPointer(batch.buffer)
            var lineStart = 0
            var scan = used
            let end = used + n
            while scan < end, let nl = memchr(base + scan, 0x0A, end - scan) {
                let p = base.distance(to: UnsafeRawPointer(nl))
                if carryOverlong {
                    batch.spans.append(LineSpan(start: 0, count: carryLength + (p - scan), overlong: true))
                    carryOverlong = false
                    carryLength = 0
                } else {
                    let length = p - lineStart
                    batch.spans.append(LineSpan(start: lineStart, count: length, overlong: length > maxLine))
                }
                lineStart = p + 1
                scan = p + 1
            }
            let tail = end - scan
            if carryOverlong {
                carryLength += tail
            } else if end - lineStart > maxLine {
                carryOverlong = true
                carryLength = end - lineStart
            } else {
                carry.append(contentsOf: UnsafeRawBufferPointer(start: base + lineStart, count: end - lineStart))
            }
        }
        return nil
    }
}

/// The recommendations and warnings caused by the lines one worker applied in one round.
/// Each item has the index of the input line it belongs to and a key that orders the
/// items of one line across workers: 0 for what applying the line caused, otherwise the
/// arrival number of the last event of a session closed for being idle at that line.
///
/// Its properties, like a worker's, are touched by one thread at a time (the rounds and the
/// barrier order them), so they are `@exclusivity(unchecked)`: the runtime's dynamic access
/// checks were several calls a line.
final class RoundOutput: @unchecked Sendable {
    @exclusivity(unchecked) var recommendations: [(index: Int, key: Int, recommendation: Recommendation)] = []
    /// With JSON-lines output alone, the lines are written here by the worker (in parallel),
    /// and `rendered` says which bytes belong to which input line; the main thread only copies.
    @exclusivity(unchecked) var bytes: [UInt8] = []
    @exclusivity(unchecked) var rendered: [(index: Int, key: Int, end: Int)] = []
    @exclusivity(unchecked) var warnings: [(index: Int, key: Int, line: Int, message: String)] = []
    /// With --feedback-summary: the totals of the sessions closed, in the order they closed.
    @exclusivity(unchecked) var feedback: [(index: Int, key: Int, totals: SessionFeedback)] = []

    func clear() {
        recommendations.removeAll(keepingCapacity: true)
        bytes.removeAll(keepingCapacity: true)
        rendered.removeAll(keepingCapacity: true)
        warnings.removeAll(keepingCapacity: true)
        feedback.removeAll(keepingCapacity: true)
    }
}

final class Worker: @unchecked Sendable {
    let id: Int
    let count: Int
    @exclusivity(unchecked) var engine: StandardEngine
    let decoder: LineDecoder
    let limits: WireLimits
    let strict: Bool
    let renderJSON: Bool
    let collectFeedback: Bool
    let closesIdle: Bool
    /// Two, so the main thread can read one round's while this worker writes the next.
    let outputs = (RoundOutput(), RoundOutput())
    /// Accepted events of the whole input so far (every worker counts all of them).
    @exclusivity(unchecked) private var arrivals = 0
    /// Of the engine's feedback totals, how many were passed on.
    @exclusivity(unchecked) private var feedbackPassed = 0
    /// Renders this worker's JSON lines, its scratch memory kept from line to line.
    @exclusivity(unchecked) private var lines = JSONLineWriter()

    init(id: Int, count: Int, configuration: AttuneConfiguration, channels: ChannelRegistry, strict: Bool, renderJSON: Bool,
         collectFeedback: Bool) {
        self.renderJSON = renderJSON
        self.collectFeedback = collectFeedback
        self.closesIdle = configuration.bus.idleEvents > 0
        self.id = id
        self.count = count
        self.engine = StandardEngine(configuration: configuration, channels: channels)
        self.engine.forwardsAllWarnings = true
        self.decoder = LineDecoder(channels: channels, limits: configuration.bus.limits)
        self.limits = configuration.bus.limits
        self.strict = strict
    }

    func output(_ round: Int) -> RoundOutput { round & 1 == 0 ? outputs.0 : outputs.1 }

    func decode(_ batch: Batch) {
        let n = batch.spans.count
        let lo = n * id / count, hi = n * (id + 1) / count
        for i in lo..<hi {
            let span = batch.spans[i]
            let line = batch.firstLine + i
            let result: Result<InputEvent, LineError> = span.overlong
                ? .failure(.overlong(line: line, length: span.count, limit: limits.maxLineBytes))
                : decoder.decode(batch.bytes(i), line: line)
            if case .success(let event) = result {
                var isEnd = false
                if case .control(let c) = event, c.kind == .end { isEnd = true }
                batch.shards[i] = Int32(shard(of: event.session, among: count)) | (isEnd ? Batch.endFlag : 0)
            } else {
                batch.shards[i] = -1
            }
            batch.results[i] = result
        }
    }

    func apply(_ batch: Batch, round: Int) {
        let out = output(round)
        out.clear()
        // Every worker finds the same cut: no second barrier needed.
        var cut = batch.spans.count
        if strict {
            for i in 0..<cut where batch.shards[i] < 0 { cut = i + 1; break }
        }
        if id == 0 { batch.cut = cut }
        let me = Int32(id)
        for i in 0..<cut {
            let s = batch.shards[i]
            if s < 0 { continue }
            arrivals += 1
            if s & ~Batch.endFlag == me {
                engine.accept(decoded: batch.results[i]!, arrival: arrivals)
                collect(into: out, index: i, key: 0)
            }
            // One bus closes idle sessions after every event but `end`.
            if closesIdle && s & Batch.endFlag == 0 {
                while let last = engine.closeIdleSession(at: arrivals) { collect(into: out, index: i, key: last) }
            }
        }
    }

    /// Takes what the engine emitted since the last call, as belonging to input line `index`.
    func collect(into out: RoundOutput, index i: Int, key: Int) {
        if renderJSON {
            let before = out.bytes.count
            engine.drain { lines.append($0, to: &out.bytes) }
            if out.bytes.count != before { out.rendered.append((i, key, out.bytes.count)) }
        } else {
            engine.drain { out.recommendations.append((i, key, $0)) }
        }
        for w in engine.drainWarnings() { out.warnings.append((i, key, w.line, w.message)) }
        if collectFeedback {
            let totals = engine.bus.feedbackTotals
            while feedbackPassed < totals.count {
                out.feedback.append((i, key, totals[feedbackPassed]))
                feedbackPassed += 1
            }
        }
    }
}

/// FNV-1a over the session id's bytes: the same worker for a session on every run.
/// Which worker does not change the output, only how evenly the work is spread.
func shard(of session: String, among n: Int) -> Int {
    Int(NameTable<Int>.hash(session) % UInt64(n))
}

/// Runs the worker threads round by round.
final class WorkerPool: @unchecked Sendable {
    let workers: [Worker]
    private let monitor = Monitor()
    private let barrier: Barrier
    private var round = -1
    private var batch: Batch?
    private var remaining = 0
    private var stopping = false
    private var threads: [pthread_t] = []

    /// Starts `count` threads; thread `i` runs `make(i)` and then its rounds. Returns once
    /// every worker is made: building a worker's channel plugins (the text channel's tables
    /// above all) is most of start-up, and this way the workers build theirs at once.
    init(count: Int, make: @escaping @Sendable (Int) -> Worker) {
        barrier = Barrier(parties: count)
        let made = Made(count: count)
        // SIGINT/SIGTERM must reach the main thread (they interrupt its blocking read):
        // the workers start with them blocked (a new thread inherits the creator's mask).
        var stopSignals = sigset_t(), previous = sigset_t()
        sigemptyset(&stopSignals)
        sigaddset(&stopSignals, SIGINT)
        sigaddset(&stopSignals, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &stopSignals, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        var tids: [pthread_t] = []
        for i in 0..<count {
            let context = Unmanaged.passRetained(ThreadContext(id: i, made: made, make: make)).toOpaque()
            var tid = pthread_t()
            let rc = pthread_create(&tid, nil, { raw in
                let context = Unmanaged<ThreadContext>.fromOpaque(raw!).takeRetainedValue()
                let worker = context.make(context.id)
                let pool = context.made.deliver(worker, at: context.id)
                pool.loop(worker)
                return nil
            }, context)
            precondition(rc == 0, "pthread_create failed: \(rc)")
            tids.append(tid)
        }
        workers = made.waitForAll()
        threads = tids
        made.open(self)
    }

    /// Where the threads leave their workers, and where they then wait for the pool.
    private final class Made: @unchecked Sendable {
        private let monitor = Monitor()
        private var slots: [Worker?]
        private var pool: WorkerPool?
        init(count: Int) { slots = Array(repeating: nil, count: count) }

        func deliver(_ w: Worker, at i: Int) -> WorkerPool {
            monitor.locked {
                slots[i] = w
                monitor.broadcast()
                while pool == nil { monitor.wait() }
                return pool!
            }
        }

        func waitForAll() -> [Worker] {
            monitor.locked {
                while slots.contains(where: { $0 == nil }) { monitor.wait() }
                return slots.map { $0! }
            }
        }

        func open(_ p: WorkerPool) {
            monitor.locked {
                pool = p
                monitor.broadcast()
            }
        }
    }

    private final class ThreadContext {
        let id: Int
        let made: Made
        let make: @Sendable (Int) -> Worker
        init(id: Int, made: Made, make: @escaping @Sendable (Int) -> Worker) {
            self.id = id
            self.made = made
            self.make = make
        }
    }

    private func loop(_ worker: Worker) {
        var seen = -1
        while true {
            let job: (Int, Batch)? = monitor.locked {
                while round == seen && !stopping { monitor.wait() }
                return stopping ? nil : (round, batch!)
            }
            guard let (r, b) = job else { return }
            seen = r
            worker.decode(b)
            barrier.arriveAndWait()
            worker.apply(b, round: r)
            monitor.locked {
                remaining -= 1
                if remaining == 0 { monitor.broadcast() }
            }
        }
    }

    /// Starts a round on `batch`; returns its number.
    func start(_ b: Batch) -> Int {
        b.prepareResults()
        return monitor.locked {
            round += 1
            batch = b
            remaining = workers.count
            monitor.broadcast()
            return round
        }
    }

    func wait() {
        monitor.locked {
            while remaining > 0 { monitor.wait() }
        }
    }

    func stop() {
        monitor.locked {
            stopping = true
            monitor.broadcast()
        }
        for t in threads { pthread_join(t, nil) }
        threads.removeAll()
    }
}

/// What the workers are made from, handed to their threads.
private final class Shared: @unchecked Sendable {
    let configuration: AttuneConfiguration
    let channels: ChannelRegistry
    let makeChannels: ((AttuneConfiguration) -> ChannelRegistry)?
    init(configuration: AttuneConfiguration, channels: ChannelRegistry, makeChannels: ((AttuneConfiguration) -> ChannelRegistry)?) {
        self.configuration = configuration
        self.channels = channels
        self.makeChannels = makeChannels
    }
}

/// Whether reading `fd` now would not block (a regular file always reads at once).
func inputReady(_ fd: Int32) -> Bool {
    var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
    return poll(&p, 1, 0) != 0
}

extension AttuneCommand.Run {
    /// The multi-threaded body of `runEngine`: same input, same output, same exit status.
    ///
    /// Each worker gets its own copy of the configuration and, with `makeChannels`, its own
    /// channel plugins: shared copy-on-write storage would be retained and released by every
    /// thread on every event, and those reference counts would bounce between cores.
    func runParallel(threads: Int, configuration: AttuneConfiguration, channels: ChannelRegistry,
                     makeChannels: ((AttuneConfiguration) -> ChannelRegistry)?,
                     inputFD: Int32, rejectSink: ByteSink?, outputs: Outputs) throws -> Int32 {
        var adapter = outputs.adapter
        // Worker 0 takes the configuration and channels already made (this thread only reads
        // a few settings from them, once); the others make their own copies, in their threads.
        let strict = strict, renderJSON = outputs.soleJSONLinesSink != nil, collectFeedback = feedbackSummary
        let shared = Shared(configuration: configuration, channels: channels, makeChannels: makeChannels)
        let pool = WorkerPool(count: threads) { id in
            var own = shared.configuration, ownChannels = shared.channels
            if id > 0 {
                let copy = try? AttuneConfiguration.load(overrides: shared.configuration.json)
                own = copy == shared.configuration ? copy! : shared.configuration
                ownChannels = shared.makeChannels?(own) ?? shared.channels
            }
            return Worker(id: id, count: threads, configuration: own, channels: ownChannels, strict: strict,
                          renderJSON: renderJSON, collectFeedback: collectFeedback)
        }
        defer { pool.stop() }
        var reader = BatchReader(fd: inputFD, maxLine: configuration.bus.limits.maxLineBytes)
        let chunk = 1 << 20
        var spare = Batch(capacity: chunk)
        var inFlight: (batch: Batch, round: Int)?
        var main = RunCounts()
        var warningGate = WarningGate()
        var feedbackTotals: [SessionFeedback] = []
        var strictFailure = false
        var readError: Int32?

        func warn(_ line: Int, _ message: String) {
            if let shown = warningGate.admit((line, message)) { printError("attune: line \(shown.line): \(shown.message)") }
        }

        func keep(_ f: SessionFeedback) {
            if feedbackTotals.count < StandardBus.maxFeedbackTotals { feedbackTotals.append(f) }
        }

        /// The worker whose next item (by `position`) belongs to line `i` with the smallest key.
        func next(_ i: Int, _ outs: [RoundOutput], _ position: [Int], _ item: (RoundOutput, Int) -> (index: Int, key: Int)?) -> Int? {
            var best: Int?
            var bestKey = Int.max
            for w in outs.indices {
                if let it = item(outs[w], position[w]), it.index == i, it.key < bestKey {
                    best = w
                    bestKey = it.key
                }
            }
            return best
        }

        func merge(_ batch: Batch, round: Int) throws {
            let outs = pool.workers.map { $0.output(round) }
            var nextRec = [Int](repeating: 0, count: outs.count)
            var nextWarn = [Int](repeating: 0, count: outs.count)
            var nextRendered = [Int](repeating: 0, count: outs.count)
            var nextFeedback = [Int](repeating: 0, count: outs.count)
            let rawSink = outputs.soleJSONLinesSink
            for i in 0..<batch.cut {
                main.read += 1
                if batch.shards[i] < 0 {
                    guard case .failure(let error) = batch.results[i]! else { continue }
                    main.rejected += 1
                    if error.kind == .blank { main.blank += 1 }
                    if error.kind != .blank { printError("attune: line \(error.line): \(error.message)") }
                    if let rejectSink {
                        try rejectSink.write(rejectRecord(error, bytes: batch.spans[i].overlong ? nil : batch.bytes(i)))
                    }
                    if strict { strictFailure = true }
                } else {
                    // The line's own output (key 0, from the worker that applied it), then what closing
                    // idle sessions at this line wrote, from any worker, in the order one bus closes them.
                    if let rawSink {
                        while let w = next(i, outs, nextRendered, { o, k in k < o.rendered.count ? (o.rendered[k].index, o.rendered[k].key) : nil }) {
                            let o = outs[w]
                            let start = nextRendered[w] == 0 ? 0 : o.rendered[nextRendered[w] - 1].end
                            let end = o.rendered[nextRendered[w]].end
                            try o.bytes.withUnsafeBytes { try rawSink.write(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
                            nextRendered[w] += 1
                        }
                    }
                    while let w = next(i, outs, nextRec, { o, k in k < o.recommendations.count ? (o.recommendations[k].index, o.recommendations[k].key) : nil }) {
                        try adapter.write(outs[w].recommendations[nextRec[w]].recommendation)
                        nextRec[w] += 1
                    }
                    while let w = next(i, outs, nextWarn, { o, k in k < o.warnings.count ? (o.warnings[k].index, o.warnings[k].key) : nil }) {
                        let warning = outs[w].warnings[nextWarn[w]]
                        warn(warning.line, warning.message)
                        nextWarn[w] += 1
                    }
                    while let w = next(i, outs, nextFeedback, { o, k in k < o.feedback.count ? (o.feedback[k].index, o.feedback[k].key) : nil }) {
                        keep(outs[w].feedback[nextFeedback[w]].totals)
                        nextFeedback[w] += 1
                    }
                }
                if lineBuffered { try outputs.flushAll() }
            }
        }

        func settle() throws {
            guard let f = inFlight else { return }
            pool.wait()
            inFlight = nil
            try merge(f.batch, round: f.round)
        }

        do {
            while !strictFailure && !reader.atEnd {
                if Signals.received != 0 { break }
                if inFlight != nil && !inputReady(inputFD) {
                    // The next read may block: write what is done first.
                    try settle()
                    try outputs.flushLive()
                    continue
                }
                if let code = reader.fill(spare) { readError = code; break }
                if spare.spans.isEmpty { continue }
                var previous: (batch: Batch, round: Int)?
                if let f = inFlight {
                    pool.wait()
                    previous = f
                    inFlight = nil
                    if strict && (0..<f.batch.cut).contains(where: { f.batch.shards[$0] < 0 }) {
                        // Stop at the bad line: the lines read after it are not applied.
                        try merge(f.batch, round: f.round)
                        break
                    }
                }
                let r = pool.start(spare)
                inFlight = (spare, r)
                spare = previous?.batch ?? Batch(capacity: chunk)
                if let previous { try merge(previous.batch, round: previous.round) }
            }
            try settle()
            pool.wait()

            // Close what is still open, in the order the sessions first appeared.
            var open: [(order: Int, worker: Int, name: String)] = []
            for (w, worker) in pool.workers.enumerated() {
                for o in worker.engine.bus.openSessionsInOrder { open.append((o.order, w, o.name)) }
            }
            open.sort { $0.order < $1.order }
            for o in open {
                let worker = pool.workers[o.worker]
                let before = worker.engine.bus.feedbackTotals.count
                worker.engine.finish(session: o.name)
                try worker.engine.drain { try adapter.write($0) }
                for w in worker.engine.drainWarnings() { warn(w.line, w.message) }
                if feedbackSummary, worker.engine.bus.feedbackTotals.count > before {
                    keep(worker.engine.bus.feedbackTotals[before])
                }
            }
            var counts = main
            var sessionsClosed = 0
            for worker in pool.workers {
                let c = worker.engine.counts
                counts.accepted += c.accepted
                counts.late += c.late
                counts.sessions += c.sessions
                counts.idleClosed += c.idleClosed
                counts.emitted += c.emitted
                counts.warnings += c.warnings
                sessionsClosed += worker.engine.bus.counts.sessionsClosed
            }
            try adapter.finish(counts)
            try outputs.flushAll()
            printError("attune: \(counts.summary)")
            if feedbackSummary {
                for f in feedbackTotals {
                    printError("attune: feedback: session \(f.session): \(f.totals.summary)")
                }
                if sessionsClosed > feedbackTotals.count {
                    printError("attune: feedback: \(sessionsClosed - feedbackTotals.count) more sessions not listed")
                }
            }
        } catch let e as ByteSink.WriteError where e.isBrokenPipe {
            return 0
        }
        if let readError {
            printError("attune: reading input failed: \(String(cString: strerror(readError)))")
            return 74
        }
        if Signals.received == SIGINT { return 130 }
        if Signals.received == SIGTERM { return 143 }
        if strictFailure { return 65 }
        return 0
    }
}
