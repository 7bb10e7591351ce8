// A millisecond clock that reads the same in every thread of the process, so a send time taken
// in one worker thread and an arrival time taken in another can be subtracted.
//
// performance.now() counts from each thread's own start (a worker's origin is when the worker
// began), so its readings differ between threads by a constant; performance.timeOrigin +
// performance.now() would agree only as well as each thread sampled the wall clock at its start
// (and moves when NTP steps the clock). process.hrtime.bigint() is CLOCK_MONOTONIC, shared by
// all threads, but allocates a BigInt per call. So: both performance.now() and hrtime count the
// same monotonic clock, their difference is constant for the thread, and we measure it once
// here (per thread, at import) and then pay only performance.now() per reading.
import { performance } from 'node:perf_hooks'

function calibrate () {
  let best = Infinity
  let offset = 0
  // The bracket with the shortest gap pins hrtime's reading to performance.now()'s best.
  for (let i = 0; i < 50; i++) {
    const a = performance.now()
    const h = Number(process.hrtime.bigint()) / 1e6
    const b = performance.now()
    if (b - a < best) { best = b - a; offset = h - (a + b) / 2 }
  }
  return offset
}

const OFFSET = calibrate()

// Milliseconds on CLOCK_MONOTONIC (time since boot), comparable across threads.
export function now () {
  return performance.now() + OFFSET
}
