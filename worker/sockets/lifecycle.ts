// What both Durable Objects that hold WebSockets (Room, UserChannel) do the same way at the edges of
// a socket's life.

/** Keepalive: `{"type":"ping"}` is answered `{"type":"pong"}` by the runtime, without waking the object. */
export function answerPingsWhileAsleep(ctx: DurableObjectState): void {
  ctx.setWebSocketAutoResponse(
    new WebSocketRequestResponsePair(JSON.stringify({ type: "ping" }), JSON.stringify({ type: "pong" })),
  );
}

/**
 * Completes the close handshake the client started. With the Hibernation API the runtime does not
 * send the reciprocal Close frame itself; without it clients wait in CLOSING until they time out.
 */
export function completeClose(socket: WebSocket, code: number, reason: string): void {
  // 1005, 1006 and 1015 describe a close; they may not be sent in one.
  const sendable = code === 1005 || code === 1006 || code === 1015 ? 1000 : code;
  try {
    socket.close(sendable, reason);
  } catch {
    // already closed
  }
}
