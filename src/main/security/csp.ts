/**
 * The Content-Security-Policy of the renderer, in both shells: only our own scripts and
 * styles, no remote content, no plugins, no framing. Style attributes are allowed because
 * Svelte and d3 set inline styles; scripts stay strict. Browser mode adds its own origin to
 * connect-src for the WebSocket; Electron connects nowhere.
 */
export function contentSecurityPolicy(shell: 'electron' | 'browser'): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    shell === 'browser' ? "connect-src 'self'" : "connect-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}
