import { describe, expect, it } from 'vitest'
import { hardenContents, hardenSession, isTrustedSenderUrl, mainWindowOptions } from '../../src/main/window'
import { contentSecurityPolicy } from '../../src/main/security/csp'

describe('Electron window security', () => {
  const prefs = mainWindowOptions('/app/out/preload/index.cjs').webPreferences ?? {}

  it('isolates the renderer: context isolation and sandbox on, Node integration off', () => {
    expect(prefs.contextIsolation).toBe(true)
    expect(prefs.sandbox).toBe(true)
    expect(prefs.nodeIntegration).toBe(false)
    expect(prefs.nodeIntegrationInWorker).toBe(false)
    expect(prefs.nodeIntegrationInSubFrames).toBe(false)
    expect(prefs.webSecurity).toBe(true)
    expect(prefs.allowRunningInsecureContent).toBe(false)
    expect(prefs.webviewTag).toBe(false)
    expect(prefs.preload).toBe('/app/out/preload/index.cjs')
  })

  it('blocks navigation, redirects, webviews and new windows', () => {
    const listeners = new Map<string, (e: { preventDefault(): void }) => void>()
    let openHandler: ((d: { url: string }) => { action: string }) | undefined
    hardenContents({
      setWindowOpenHandler: (h) => (openHandler = h),
      on: (event, l) => listeners.set(event, l as (e: { preventDefault(): void }) => void),
    })
    expect(openHandler?.({ url: 'https://example.org' })).toEqual({ action: 'deny' })
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      let prevented = false
      listeners.get(name)?.({ preventDefault: () => (prevented = true) })
      expect(prevented, name).toBe(true)
    }
  })

  it('denies permissions, sets the CSP header and cancels every remote request', () => {
    let permission: boolean | undefined
    let headers: Record<string, string[] | string> = {}
    const remote: Record<string, boolean> = {}
    let beforeRequest: ((d: { url: string }, cb: (r: { cancel: boolean }) => void) => void) | undefined
    hardenSession({
      setPermissionRequestHandler: (h) => h(null, 'media', (g) => (permission = g)),
      setPermissionCheckHandler: (h) => expect(h()).toBe(false),
      webRequest: {
        onHeadersReceived: (l) => l({ responseHeaders: { 'X-A': ['1'] } }, (r) => (headers = r.responseHeaders)),
        onBeforeRequest: (_f, l) => (beforeRequest = l),
      },
    })
    expect(permission).toBe(false)
    expect(headers['Content-Security-Policy']).toEqual([contentSecurityPolicy('electron')])
    expect(headers['X-A']).toEqual(['1'])
    for (const url of ['https://example.org/x.js', 'http://127.0.0.1:9/', 'wss://evil.test/']) beforeRequest?.({ url }, (r) => (remote[url] = r.cancel))
    expect(Object.values(remote)).toEqual([true, true, true])
  })

  it('has a strict CSP: own scripts only, nothing remote, no plugins or framing', () => {
    const csp = contentSecurityPolicy('electron')
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain("script-src 'self'")
    expect(csp).not.toMatch(/script-src[^;]*unsafe/)
    expect(csp).toContain("connect-src 'none'")
    expect(csp).toContain("object-src 'none'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(contentSecurityPolicy('browser')).toContain("connect-src 'self'")
  })

  it('answers IPC only from our own page', () => {
    const app = 'file:///opt/motiflens/out/renderer/index.html'
    expect(isTrustedSenderUrl('file:///opt/motiflens/out/renderer/index.html', app)).toBe(true)
    expect(isTrustedSenderUrl('file:///tmp/evil.html', app)).toBe(false)
    expect(isTrustedSenderUrl('https://example.org/', app)).toBe(false)
    expect(isTrustedSenderUrl('http://localhost:5173/x', 'http://localhost:5173/')).toBe(true)
    expect(isTrustedSenderUrl('not a url', app)).toBe(false)
  })
})
