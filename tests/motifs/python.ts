import { execFileSync } from 'node:child_process'

/**
 * Run a Python snippet with Debian's /usr/bin/python3 (which has Biopython, sklearn) and
 * return its stdout. Throws, and so fails the test, when that interpreter is missing.
 */
export function python(code: string, input?: string): string {
  return execFileSync('/usr/bin/python3', ['-c', code], { input, encoding: 'utf8', maxBuffer: 64 << 20 })
}
