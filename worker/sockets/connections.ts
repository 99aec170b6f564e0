// The sockets a Durable Object holds, with typed per-socket state, for both objects that hold
// WebSockets (a Room and a UserChannel).
//
// With the Hibernation API the object may be evicted from memory while its sockets stay open, and
// is re-created when a frame, a close or an alarm arrives. So a socket's state lives in its
// attachment (serializeAttachment, at most 16 KiB) and is read back lazily after a wake-up; the
// WeakMap is only a cache of it. Tags (at most 10 per socket) let the runtime find a user's sockets.
// Code above this layer asks for `state(socket)` and never thinks about hibernation.
//
// Batching (API.md "Real time, extended"): a socket opened with ?batch=1 gets every frame that is
// ready for it in the same turn in one `{type: "batch", frames: [...]}` text frame (a busy room then
// costs one send per socket per turn instead of one per message); with one frame ready, that frame
// alone. The frames are serialised once, as for everyone; the batch only joins their texts.

/** What every socket's state carries. */
export type SocketBase = { userId: string; batch?: boolean };

export class Connections<State extends SocketBase, Frame extends { type: string }> {
  private readonly cache = new WeakMap<WebSocket, State>();
  /** Frames waiting for the end of this turn, per batching socket, in order. */
  private readonly queued = new Map<WebSocket, string[]>();
  private flushing = false;

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
    return this.deliver(socket, JSON.stringify(frame));
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
      if (this.deliver(socket, text)) reached.push(userId);
    }
    return reached;
  }

  /** Ends every socket of one user (or all of them) with a close code the client acts on. */
  end(code: number, reason: string, userId?: string): void {
    this.flush(); // what was meant for them goes before the close
    for (const socket of this.ctx.getWebSockets(userId)) endSocket(socket, code, reason);
  }

  private deliver(socket: WebSocket, text: string): boolean {
    if (!this.state(socket).batch) return sendText(socket, text);
    if (socket.readyState !== WebSocket.OPEN) return false;
    const queue = this.queued.get(socket);
    if (queue) queue.push(text);
    else this.queued.set(socket, [text]);
    if (!this.flushing) {
      this.flushing = true;
      queueMicrotask(() => this.flush());
    }
    return true;
  }

  /** Sends what this turn queued: one frame as it is, several as one batch. */
  flush(): void {
    this.flushing = false;
    for (const [socket, texts] of this.queued) {
      sendText(
        socket,
        texts.length === 1 ? (texts[0] as string) : `{"type":"batch","frames":[${texts.join(",")}]}`,
      );
    }
    this.queued.clear();
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
