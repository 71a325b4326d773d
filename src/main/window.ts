/**
 * The Electron window's security settings, kept apart from the Electron glue so a unit test
 * can assert each one without starting Electron: context isolation and the sandbox on, Node
 * integration off, no navigation, no new windows, no webviews, no permissions, no remote
 * content, a strict CSP, and IPC accepted only from our own page.
 */
import type { BrowserWindowConstructorOptions } from 'electron'
import { contentSecurityPolicy } from './security/csp.js'

export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    title: 'MotifLens',
    autoHideMenuBar: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  }
}

/** The minimal surface of WebContents we configure (so tests can pass a fake). */
export interface HardenableContents {
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void
  on(event: 'will-navigate' | 'will-redirect' | 'will-attach-webview', listener: (event: { preventDefault(): void }, ...rest: unknown[]) => void): unknown
}

export function hardenContents(contents: HardenableContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  const block = (event: { preventDefault(): void }) => event.preventDefault()
  contents.on('will-navigate', block)
  contents.on('will-redirect', block)
  contents.on('will-attach-webview', block)
}

/** The minimal surface of Session we configure. */
export interface HardenableSession {
  setPermissionRequestHandler(handler: (wc: unknown, permission: string, callback: (granted: boolean) => void) => void): void
  setPermissionCheckHandler(handler: () => boolean): void
  webRequest: {
    onHeadersReceived(listener: (details: { responseHeaders?: Record<string, string[] | string> }, callback: (response: { responseHeaders: Record<string, string[] | string> }) => void) => void): void
    onBeforeRequest(filter: { urls: string[] }, listener: (details: { url: string }, callback: (response: { cancel: boolean }) => void) => void): void
  }
}

/**
 * No permissions (camera, notifications, ...), the CSP on every response, and no request
 * leaves the machine: only the app's own files load (and the dev server in development).
 */
export function hardenSession(session: HardenableSession, devServerUrl?: string): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
  const csp = contentSecurityPolicy('electron')
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...(details.responseHeaders ?? {}), 'Content-Security-Policy': [csp] } })
  })
  session.webRequest.onBeforeRequest({ urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'] }, (details, callback) => {
    callback({ cancel: !(devServerUrl && details.url.startsWith(devServerUrl)) })
  })
}

/** IPC is answered only for our own top-level page. */
export function isTrustedSenderUrl(frameUrl: string, appUrl: string): boolean {
  try {
    const a = new URL(frameUrl)
    const b = new URL(appUrl)
    if (a.protocol === 'file:') return b.protocol === 'file:' && a.pathname === b.pathname
    return a.origin === b.origin
  } catch {
    return false
  }
}
