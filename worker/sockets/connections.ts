// The sockets a Durable Object holds, with typed per-socket state, for both objects that hold
// WebSockets (a Room and a UserChannel).
//
// With the Hibernation API the object may be evicted from memory while its sockets stay open, and
// is re-created when a frame, a close or an alarm arrives. So a socket's state lives in its
// attachment (serializeAttachment, at most 16 KiB) and is read back lazily after a wake-up; the
// WeakMap is only a cache of it. Tags (at most 10 per socket) let the runtime find a user's sockets.
// Code above this layer asks for `state(socket)` and never thinks about hibernation.

export class Connections<State extends { userId: string }, Frame extends { type: string }> {
  private readonly cache = new WeakMap<WebSocket, State>();

  constructor(private readonly ctx: DurableObjectState) {}

  /** Accepts the server end of a new socket, tagged with its user's id. */
  accept(socket: WebSocket, state: State): void {
    this.ctx.acceptWebSocket(socket, [state.userId]);
    this.save(socket, state);
  }

  state(socket: WebSocket): State {
    let state = this.cache.get(socket);
    if (!state) {
      state = socket.deserializeAttachment() as State;
      this.cache.set(socket, state);
    }
    return state;
  }

  /** Changes a socket's state; it survives hibernation. */
  update(socket: WebSocket, change: Partial<State>): State {
    const state = { ...this.state(socket), ...change };
    this.save(socket, state);
    return state;
  }

  private save(socket: WebSocket, state: State): void {
    socket.serializeAttachment(state);
    this.cache.set(socket, state);
  }

  /** Every socket, or one user's, that is still open. */
  open(userId?: string): WebSocket[] {
    return this.ctx.getWebSockets(userId).filter((socket) => socket.readyState === WebSocket.OPEN);
  }

  /** Every socket the runtime still holds (or one user's), open or closing, e.g. for sweeps over attachments. */
  held(userId?: string): WebSocket[] {
    return this.ctx.getWebSockets(userId);
  }

  /** The users with at least one open socket. */
  onlineUsers(): string[] {
    return [...new Set(this.open().map((socket) => this.state(socket).userId))];
  }

  /** Sends one frame to one socket; a socket that is closing is skipped (its close event cleans up). */
  send(socket: WebSocket, frame: Frame): boolean {
    return sendText(socket, JSON.stringify(frame));
  }

  /**
   * Sends one frame, serialised once, to every socket (but those of `except`); returns the users it
   * reached, once per socket.
   */
  broadcast(frame: Frame, options: { except?: string } = {}): string[] {
    const text = JSON.stringify(frame);
    const reached: string[] = [];
    for (const socket of this.ctx.getWebSockets()) {
      const { userId } = this.state(socket);
      if (userId === options.except) continue;
      if (sendText(socket, text)) reached.push(userId);
    }
    return reached;
  }

  /** Ends every socket of one user (or all of them) with a close code the client acts on. */
  end(code: number, reason: string, userId?: string): void {
    for (const socket of this.ctx.getWebSockets(userId)) endSocket(socket, code, reason);
  }
}

function sendText(socket: WebSocket, text: string): boolean {
  try {
    socket.send(text);
    return true;
  } catch {
    return false; // closing; cleaned up by its close event
  }
}

/** Closes a socket from our side with a code the client acts on (4003, 4004, …). */
export function endSocket(socket: WebSocket, code: number, reason: string): void {
  try {
    socket.close(code, reason);
  } catch {
    // already closed
  }
}
