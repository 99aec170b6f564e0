// The formatting people already type in chat (Slack's flavour): *bold*, _italic_, ~strike~,
// `code`, ```fenced blocks```, "> " quote lines, links and @mentions. The stored body stays plain
// text; this only reads it into a small tree, and RichText.tsx turns that tree into a fixed set of
// elements with text nodes inside. No HTML is ever parsed or produced, so `<script>` stays text.
//
// Why our own and not a Markdown library: chat is not Markdown (*one star* is bold here, a lone
// "_" in snake_case must stay text, and a line break is a line break), and a renderer that can
// only create the nodes listed below cannot be configured into an unsafe one.

export type Inline =
  | { kind: "text"; text: string }
  | { kind: "bold" | "italic" | "strike"; children: Inline[] }
  | { kind: "code"; text: string }
  | { kind: "link"; href: string; children: Inline[] }
  | { kind: "mention"; username: string };

export type Block =
  | { kind: "paragraph"; children: Inline[] }
  | { kind: "code"; text: string }
  | { kind: "quote"; children: Inline[] };

export type MarkupOptions = {
  /** Whether `@name` names someone who can be mentioned here (a member, or `room`). */
  isMentionable?: (username: string) => boolean;
};

const FENCE = "```";
const QUOTE_LINE = /^>\s?(.*)$/;

/** A message body as blocks: fenced code, quotes, and paragraphs of everything else. */
export function parseMarkup(body: string, options: MarkupOptions = {}): Block[] {
  const lines = body.split("\n");
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  const endParagraph = () => {
    if (paragraph.length)
      blocks.push({ kind: "paragraph", children: parseInlines(paragraph.join("\n"), options) });
    paragraph = [];
  };
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? "";
    const fence = line.startsWith(FENCE) ? closingFence(lines, index) : null;
    if (fence) {
      endParagraph();
      blocks.push({ kind: "code", text: fence.text });
      index = fence.lastLine;
      continue;
    }
    const quote = QUOTE_LINE.exec(line);
    if (quote) {
      endParagraph();
      const quoted = [quote[1] ?? ""];
      while (index + 1 < lines.length && QUOTE_LINE.test(lines[index + 1] ?? "")) {
        index += 1;
        quoted.push(QUOTE_LINE.exec(lines[index] ?? "")?.[1] ?? "");
      }
      blocks.push({ kind: "quote", children: parseInlines(quoted.join("\n"), options) });
      continue;
    }
    paragraph.push(line);
  }
  endParagraph();
  return blocks;
}

/**
 * The code block that opens at lines[start], if it closes: ```on one line```, or lines up to one
 * that ends with ```. An opening line of only ```word keeps the word as a language tag (dropped).
 * A fence that never closes is text, as typed.
 */
function closingFence(lines: string[], start: number): { text: string; lastLine: number } | null {
  const first = (lines[start] ?? "").slice(FENCE.length);
  if (first.length > FENCE.length && first.trimEnd().endsWith(FENCE))
    return { text: first.trimEnd().slice(0, -FENCE.length), lastLine: start };
  const body = /^[\w+-]*\s*$/.test(first) ? [] : [first];
  for (let index = start + 1; index < lines.length; index++) {
    const line = (lines[index] ?? "").trimEnd();
    if (line.endsWith(FENCE)) {
      const last = line.slice(0, -FENCE.length);
      if (last) body.push(last);
      return { text: body.join("\n"), lastLine: index };
    }
    body.push(lines[index] ?? "");
  }
  return null;
}

const URL_AT = /https?:\/\/[^\s<>"'`]*[^\s<>"'`.,;:!?)\]*_~]/y;
const LABELLED_LINK_AT = /\[([^\]\n]{1,200})\]\((https?:\/\/[^\s)<>"']+)\)/y;
const MENTION_AT = /@([A-Za-z0-9_.-]{3,32})(?![\w-])/y;
const WORD = /[\p{L}\p{N}_]/u;
const EMPHASIS: Record<string, "bold" | "italic" | "strike"> = { "*": "bold", _: "italic", "~": "strike" };

function matchAt(pattern: RegExp, text: string, at: number): RegExpExecArray | null {
  pattern.lastIndex = at;
  return pattern.exec(text);
}

const isWord = (char: string | undefined) => char !== undefined && WORD.test(char);
const isSpace = (char: string | undefined) => char === undefined || /\s/.test(char);

/** Inline formatting of one run of text. */
export function parseInlines(text: string, options: MarkupOptions = {}, inLink = false): Inline[] {
  const out: Inline[] = [];
  let plain = "";
  const push = (node: Inline) => {
    if (plain) out.push({ kind: "text", text: plain });
    plain = "";
    out.push(node);
  };
  let at = 0;
  while (at < text.length) {
    const found = inlineAt(text, at, options, inLink);
    if (found) {
      push(found.node);
      at = found.end;
    } else {
      plain += text[at];
      at += 1;
    }
  }
  if (plain) out.push({ kind: "text", text: plain });
  return out;
}

function inlineAt(
  text: string,
  at: number,
  options: MarkupOptions,
  inLink: boolean,
): { node: Inline; end: number } | null {
  const char = text[at];
  const before = text[at - 1];
  if (char === "`") {
    const close = text.indexOf("`", at + 1);
    if (close > at + 1) return { node: { kind: "code", text: text.slice(at + 1, close) }, end: close + 1 };
    return null;
  }
  if (!inLink && char === "[") {
    const link = matchAt(LABELLED_LINK_AT, text, at);
    if (link?.[1] && link[2])
      return {
        node: { kind: "link", href: link[2], children: parseInlines(link[1], options, true) },
        end: at + link[0].length,
      };
  }
  if (!inLink && char === "h" && !isWord(before)) {
    const url = matchAt(URL_AT, text, at);
    if (url)
      return {
        node: { kind: "link", href: url[0], children: [{ kind: "text", text: url[0] }] },
        end: at + url[0].length,
      };
  }
  if (char === "@" && !(before && /[\w.@-]/.test(before))) return mentionAt(text, at, options);
  if (char && char in EMPHASIS) return emphasisAt(text, at, char, options, inLink);
  return null;
}

/** `@name` as the server reads it: a sentence's full stop after a name is not part of it. */
function mentionAt(text: string, at: number, options: MarkupOptions): { node: Inline; end: number } | null {
  const match = matchAt(MENTION_AT, text, at);
  const name = match?.[1];
  if (!name) return null;
  const known = options.isMentionable ?? (() => true);
  if (known(name)) return { node: { kind: "mention", username: name }, end: at + 1 + name.length };
  const trimmed = name.replace(/\.+$/, "");
  if (trimmed.length >= 3 && trimmed !== name && known(trimmed))
    return { node: { kind: "mention", username: trimmed }, end: at + 1 + trimmed.length };
  return null;
}

/**
 * *bold*, **bold**, _italic_, ~strike~: the opening mark follows a space or punctuation and comes
 * before a non-space; the closing one follows a non-space and comes before a non-word character.
 * So snake_case_names, 2*3*4 and a lone "*" stay text. Code spans and links inside are skipped
 * over while looking for the close, so a "_" in a URL never closes an italic.
 */
function emphasisAt(
  text: string,
  at: number,
  mark: string,
  options: MarkupOptions,
  inLink: boolean,
): { node: Inline; end: number } | null {
  const width = text[at + 1] === mark ? 2 : 1;
  const delimiter = mark.repeat(width);
  const before = text[at - 1];
  if (isWord(before) || before === mark || isSpace(text[at + width])) return null;
  for (let close = at + width; close < text.length; close++) {
    if (text[close] === "`") {
      const end = text.indexOf("`", close + 1);
      if (end > close) close = end;
      continue;
    }
    const url = text[close] === "h" ? matchAt(URL_AT, text, close) : null;
    if (url) {
      close += url[0].length - 1;
      continue;
    }
    if (
      text.startsWith(delimiter, close) &&
      close > at + width &&
      !isSpace(text[close - 1]) &&
      !isWord(text[close + width]) &&
      text[close + width] !== mark
    ) {
      const children = parseInlines(text.slice(at + width, close), options, inLink);
      return { node: { kind: EMPHASIS[mark] ?? "bold", children }, end: close + width };
    }
  }
  return null;
}

/** The text of a body without its marks, e.g. for a notification or a quote's preview. */
export function plainText(blocks: Block[]): string {
  const inline = (nodes: Inline[]): string =>
    nodes
      .map((node) => {
        if (node.kind === "text" || node.kind === "code") return node.text;
        if (node.kind === "mention") return `@${node.username}`;
        return inline(node.children);
      })
      .join("");
  return blocks.map((block) => (block.kind === "code" ? block.text : inline(block.children))).join("\n");
}
