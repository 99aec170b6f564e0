import type { Attachment, Member, Message } from "../api/types";

// What every message in a room needs to know and do, handed down once from RoomView rather than
// as a dozen props through MessageList to each message.

export type MessageContext = {
  me: string;
  myUsername: string;
  members: Map<string, Member>;
  direct: boolean;
  /** An owner or admin: deletes anyone's message. */
  canModerate: boolean;
  /** Owners and admins pin; anyone in a direct room. */
  canPin: boolean;
  /** The threads you have seen here (state/thread-reads.ts), by root seq. */
  threadsSeen: Map<number, string>;
  /** The message a jump landed on, shown highlighted for a moment. */
  highlighted: number | null;
  nameOf: (userId: string) => string;
  onEdit: (message: Message) => void;
  onDelete: (message: Message) => void;
  onReport: (message: Message) => void;
  onReact: (message: Message, emoji: string, on: boolean) => void;
  /** Opens the emoji picker for this message; the focus goes back to `opener` after. */
  onPickReaction: (message: Message, opener: HTMLElement | null) => void;
  onQuote: (message: Message) => void;
  onOpenThread: (message: Message) => void;
  onPin: (message: Message, pinned: boolean) => void;
  onJump: (seq: number) => void;
  /** Opens the image viewer on one of a message's images. */
  onOpenImage: (images: Attachment[], index: number) => void;
  /** The author takes the link preview off their message. */
  onRemovePreview: (message: Message) => void;
};
