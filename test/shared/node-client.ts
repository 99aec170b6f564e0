import WebSocket from "ws";
import { callApi } from "../../scripts/api-call.ts";
import { fixtures } from "./fixtures.ts";
import { recordSocket, type TestSocket } from "./socket-harness.ts";

// How the Node suites (test/e2e, test/hard) reach a running Hubbub: sockets as wscat opens them,
// through the `ws` package, recorded by the shared harness; and the shared fixtures over JSON calls
// as curl makes them.

export type NodeSocket = TestSocket<WebSocket>;

/**
 * Opens a WebSocket and resolves once it is open, with every frame recorded from the first one.
 * A refused upgrade rejects with "HTTP <status>".
 */
export function openSocket(url: string, options: WebSocket.ClientOptions = {}): Promise<NodeSocket> {
  const ws = new WebSocket(url, options);
  const socket = recordSocket(ws);
  return new Promise((resolve, reject) => {
    ws.on("unexpected-response", (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    // Also after the open: an error is followed by a close, which the harness reports.
    ws.on("error", reject);
    ws.on("open", () => resolve(socket));
  });
}

/** The shared fixtures against the server at `base()` (a function: a restarted server may move). */
export function fixturesAt(base: () => string) {
  return fixtures((method, path, options) => callApi(base(), method, path, options));
}
