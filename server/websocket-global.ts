/**
 * Medplum 5 (the sandbox's FHIR engine) reads `WebSocket.CLOSING`/`WebSocket.CLOSED` when its module loads, for
 * the subscription client of MedplumClient. Node 22+ has a global WebSocket; Node 20 only behind
 * --experimental-websocket, which cannot be switched on from inside a running process. The sandbox never opens
 * a WebSocket (it serves FHIR over HTTP; no subscriptions), so on Node 20 a stand-in class with the standard
 * ready-state constants is installed before Medplum loads. Constructing it fails loudly rather than pretending.
 * On Node 22+ (or with the flag) the real global is kept.
 */
class WebSocketUnavailable extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSING = 2;
  readonly CLOSED = 3;
  constructor() {
    super();
    throw new Error('WebSocket is not available on this Node.js version (Node 22+ has it; Node 20 needs --experimental-websocket). The sandbox EHR does not use WebSockets.');
  }
}

/** installs the stand-in when there is no global WebSocket; returns true when it did */
export function installWebSocketGlobal(): boolean {
  const g = globalThis as { WebSocket?: unknown };
  if (typeof g.WebSocket !== 'undefined') return false;
  Object.defineProperty(globalThis, 'WebSocket', { value: WebSocketUnavailable, writable: true, configurable: true, enumerable: false });
  return true;
}

installWebSocketGlobal();
