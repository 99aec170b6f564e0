import type { ComponentChildren } from "preact";
import { type Block, type Inline, parseMarkup } from "../text/markup";

// Message text as people formatted it (text/markup.ts reads the marks). Only these elements are
// ever created: p, pre, code, blockquote, strong, em, s, a (http and https only) and span, each
// with text nodes inside; the body is never read as HTML, so `<script>` stays text.

export type MentionStyle = (username: string) => "me" | "other" | null;

export function RichText(props: { text: string; mentionStyle?: MentionStyle }) {
  const style = props.mentionStyle;
  const blocks = parseMarkup(props.text, {
    isMentionable: style ? (name) => style(name) !== null : () => false,
  });
  return <>{blocks.map((block, index) => renderBlock(block, `${index}`, style))}</>;
}

function renderBlock(block: Block, key: string, style: MentionStyle | undefined) {
  switch (block.kind) {
    case "code":
      return (
        <pre key={key} class="code-block">
          <code>{block.text}</code>
        </pre>
      );
    case "quote":
      return (
        <blockquote key={key} class="quote-block">
          {renderInlines(block.children, key, style)}
        </blockquote>
      );
    case "paragraph":
      return (
        <p key={key} class="text-block">
          {renderInlines(block.children, key, style)}
        </p>
      );
  }
}

function renderInlines(nodes: Inline[], key: string, style: MentionStyle | undefined): ComponentChildren {
  return nodes.map((node, index) => renderInline(node, `${key}.${index}`, style));
}

function renderInline(node: Inline, key: string, style: MentionStyle | undefined): ComponentChildren {
  switch (node.kind) {
    case "text":
      return node.text;
    case "code":
      return (
        <code key={key} class="code-span">
          {node.text}
        </code>
      );
    case "bold":
      return <strong key={key}>{renderInlines(node.children, key, style)}</strong>;
    case "italic":
      return <em key={key}>{renderInlines(node.children, key, style)}</em>;
    case "strike":
      return <s key={key}>{renderInlines(node.children, key, style)}</s>;
    case "link":
      return (
        <a key={key} href={node.href} title={node.href} target="_blank" rel="noopener noreferrer nofollow">
          {renderInlines(node.children, key, style)}
        </a>
      );
    case "mention": {
      const kind = style?.(node.username);
      return (
        <span key={key} class={kind === "me" ? "mention me" : "mention"}>
          @{node.username}
        </span>
      );
    }
  }
}
