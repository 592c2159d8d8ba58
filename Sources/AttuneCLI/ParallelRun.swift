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
    private(set) var shards: UnsafeMutablePointer<Int32>
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
final class RoundOutput: @unchecked Sendable {
    var recommendations: [(index: Int, recommendation: Recommendation)] = []
    /// With JSON-lines output alone, the lines are written here by the worker (in parallel),
    /// and `rendered` says which bytes belong to which input line; the main thread only copies.
    var bytes: [UInt8] = []
    var rendered: [(index: Int, end: Int)] = []
    var warnings: [(index: Int, line: Int, message: String)] = []

    func clear() {
        recommendations.removeAll(keepingCapacity: true)
        bytes.removeAll(keepingCapacity: true)
        rendered.removeAll(keepingCapacity: true)
        warnings.removeAll(keepingCapacity: true)
    }
}

final class Worker: @unchecked Sendable {
    let id: Int
    let count: Int
    var engine: StandardEngine
    let decoder: LineDecoder
    let limits: WireLimits
    let strict: Bool
    let renderJSON: Bool
    /// Two, so the main thread can read one round's while this worker writes the next.
    let outputs = (RoundOutput(), RoundOutput())
    /// Sessions this worker opened, with the input position that opened them (for closing order at the end).
    var opened: [(name: String, index: Int)] = []
    private var sessionsOpened = 0

    init(id: Int, count: Int, configuration: AttuneConfiguration, channels: ChannelRegistry, strict: Bool, renderJSON: Bool) {
        self.renderJSON = renderJSON
        self.id = id
        self.count = count
        self.engine = StandardEngine(configuration: configuration, channels: channels)
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
                batch.shards[i] = Int32(shard(of: event.session, among: count))
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
        for i in 0..<cut where batch.shards[i] == Int32(id) {
            engine.accept(decoded: batch.results[i]!)
            if engine.counts.sessions != sessionsOpened {
                sessionsOpened = engine.counts.sessions
                opened.append((batch.results[i]!.session, i + batch.firstLine))
            }
            if renderJSON {
                engine.drain { $0.appendJSONLine(to: &out.bytes) }
                if out.bytes.count != (out.rendered.last?.end ?? 0) { out.rendered.append((i, out.bytes.count)) }
            } else {
                engine.drain { out.recommendations.append((i, $0)) }
            }
            for w in engine.drainWarnings() { out.warnings.append((i, w.line, w.message)) }
        }
    }
}

extension Result where Success == InputEvent {
    fileprivate var session: String {
        if case .success(let e) = self { return e.session }
        return ""
    }
}

/// FNV-1a over the session id's bytes: the same worker for a session on every run.
func shard(of session: String, among n: Int) -> Int {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in session.utf8 {
        h = (h ^ UInt64(b)) &* 0x100_0000_01b3
    }
    return Int(h % UInt64(n))
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

    init(_ workers: [Worker]) {
        self.workers = workers
        barrier = Barrier(parties: workers.count)
        for w in workers {
            let context = Unmanaged.passRetained(ThreadContext(pool: self, worker: w)).toOpaque()
            var tid = pthread_t()
            let rc = pthread_create(&tid, nil, { raw in
                let context = Unmanaged<ThreadContext>.fromOpaque(raw!).takeRetainedValue()
                context.pool.loop(context.worker)
                return nil
            }, context)
            precondition(rc == 0, "pthread_create failed: \(rc)")
            threads.append(tid)
        }
    }

    private final class ThreadContext {
        let pool: WorkerPool
        let worker: Worker
        init(pool: WorkerPool, worker: Worker) { self.pool = pool; self.worker = worker }
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
        let pool = WorkerPool((0..<threads).map {
            let copy = try? AttuneConfiguration.load(overrides: configuration.json)
            let own = copy == configuration ? copy! : configuration
            return Worker(id: $0, count: threads, configuration: own, channels: makeChannels?(own) ?? channels, strict: strict,
                          renderJSON: outputs.soleJSONLinesSink != nil)
        })
        defer { pool.stop() }
        var reader = BatchReader(fd: inputFD, maxLine: configuration.bus.limits.maxLineBytes)
        let chunk = 1 << 20
        var spare = Batch(capacity: chunk)
        var inFlight: (batch: Batch, round: Int)?
        var main = RunCounts()
        var seenWarnings: Set<String> = []
        var strictFailure = false
        var readError: Int32?

        func merge(_ batch: Batch, round: Int) throws {
            let outs = pool.workers.map { $0.output(round) }
            var nextRec = [Int](repeating: 0, count: outs.count)
            var nextWarn = [Int](repeating: 0, count: outs.count)
            var nextRendered = [Int](repeating: 0, count: outs.count)
            let rawSink = outputs.soleJSONLinesSink
            for i in 0..<batch.cut {
                main.read += 1
                let w = Int(batch.shards[i])
                if w < 0 {
                    guard case .failure(let error) = batch.results[i]! else { continue }
                    main.rejected += 1
                    if error.kind == .blank { main.blank += 1 }
                    if error.kind != .blank { printError("attune: line \(error.line): \(error.message)") }
                    if let rejectSink {
                        try rejectSink.write(rejectRecord(error, bytes: batch.spans[i].overlong ? nil : batch.bytes(i)))
                    }
                    if strict { strictFailure = true }
                } else {
                    let o = outs[w]
                    if let rawSink, nextRendered[w] < o.rendered.count, o.rendered[nextRendered[w]].index == i {
                        let start = nextRendered[w] == 0 ? 0 : o.rendered[nextRendered[w] - 1].end
                        let end = o.rendered[nextRendered[w]].end
                        try o.bytes.withUnsafeBytes { try rawSink.write(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
                        nextRendered[w] += 1
                    }
                    while nextRec[w] < o.recommendations.count, o.recommendations[nextRec[w]].index == i {
                        try adapter.write(o.recommendations[nextRec[w]].recommendation)
                        nextRec[w] += 1
                    }
                    while nextWarn[w] < o.warnings.count, o.warnings[nextWarn[w]].index == i {
                        let warning = o.warnings[nextWarn[w]]
                        if seenWarnings.insert(warning.message).inserted {
                            printError("attune: line \(warning.line): \(warning.message)")
                        }
                        nextWarn[w] += 1
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
            var open: [(index: Int, worker: Int, name: String)] = []
            for (w, worker) in pool.workers.enumerated() {
                let names = Set(worker.engine.bus.openSessionNames)
                var latest: [String: Int] = [:]
                for o in worker.opened where names.contains(o.name) { latest[o.name] = o.index }
                for (name, index) in latest { open.append((index, w, name)) }
            }
            open.sort { $0.index < $1.index }
            for o in open {
                let worker = pool.workers[o.worker]
                worker.engine.finish(session: o.name)
                try worker.engine.drain { try adapter.write($0) }
                for w in worker.engine.drainWarnings() where seenWarnings.insert(w.message).inserted {
                    printError("attune: line \(w.line): \(w.message)")
                }
            }
            var counts = main
            for worker in pool.workers {
                let c = worker.engine.counts
                counts.accepted += c.accepted
                counts.late += c.late
                counts.sessions += c.sessions
                counts.emitted += c.emitted
                counts.warnings += c.warnings
            }
            try adapter.finish(counts)
            try outputs.flushAll()
            printError("attune: \(counts.summary)")
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
