// Reads a process's CPU time and memory from /proc (Linux only). The servers under test run as
// child processes of the generator, so their figures never include the generator's own work.
import fs from 'node:fs'
import { execFileSync } from 'node:child_process'

let ticksPerSecond = 100
try {
  ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100
} catch {}

// CPU seconds (user + system, all threads) the process has used so far.
export function cpuSeconds (pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1')
  // The command name (field 2) may hold spaces; fields after its closing ')' are plain.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const utime = Number(fields[11]) // field 14 of stat(5)
  const stime = Number(fields[12]) // field 15
  return (utime + stime) / ticksPerSecond
}

// Resident set size now and its peak (VmHWM), in bytes.
export function memory (pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'latin1')
  const kb = (name) => {
    const m = status.match(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm'))
    return m ? Number(m[1]) * 1024 : NaN
  }
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') }
}

// CPU seconds (user + system) of the calling thread only: a worker thread's own load, which
// process.cpuUsage() (whole process) cannot tell apart. /proc/thread-self is the thread making
// the read, and readFileSync reads on the calling thread.
export function threadCpuSeconds () {
  const stat = fs.readFileSync('/proc/thread-self/stat', 'latin1')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond
}
