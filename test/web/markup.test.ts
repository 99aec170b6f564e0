import { describe, expect, it } from "vitest";
import type { Member } from "../../web/src/api/types";
import { parseInlines, parseMarkup, plainText } from "../../web/src/text/markup";
import { insertMention, mentionCandidates, mentionKind, mentionQuery } from "../../web/src/text/mentions";

// The formatting people type, read into the small tree RichText renders, and the mentions the
// composer offers and the timeline highlights.

describe("formatting in a message", () => {
  it("reads *bold*, _italic_, ~strike~ and `code`, and leaves snake_case and 2*3*4 alone", () => {
    expect(parseInlines("a *big* _small_ ~gone~ `x*y*z` end")).toEqual([
      { kind: "text", text: "a " },
      { kind: "bold", children: [{ kind: "text", text: "big" }] },
      { kind: "text", text: " " },
      { kind: "italic", children: [{ kind: "text", text: "small" }] },
      { kind: "text", text: " " },
      { kind: "strike", children: [{ kind: "text", text: "gone" }] },
      { kind: "text", text: " " },
      { kind: "code", text: "x*y*z" },
      { kind: "text", text: " end" },
    ]);
    expect(parseInlines("my_file_name and 2*3*4 and * alone *")).toEqual([
      { kind: "text", text: "my_file_name and 2*3*4 and * alone *" },
    ]);
  });

  it("nests marks, and takes **double** marks as people type them from Markdown", () => {
    expect(parseInlines("*bold _and italic_*")).toEqual([
      {
        kind: "bold",
        children: [
          { kind: "text", text: "bold " },
          { kind: "italic", children: [{ kind: "text", text: "and italic" }] },
        ],
      },
    ]);
    expect(parseInlines("**loud**")).toEqual([{ kind: "bold", children: [{ kind: "text", text: "loud" }] }]);
  });

  it("links http(s) addresses and [labels](https://…), never other schemes, and a _ in a URL closes nothing", () => {
    expect(parseInlines("see https://example.com/a_b_c.")).toEqual([
      { kind: "text", text: "see " },
      {
        kind: "link",
        href: "https://example.com/a_b_c",
        children: [{ kind: "text", text: "https://example.com/a_b_c" }],
      },
      { kind: "text", text: "." },
    ]);
    expect(parseInlines("[docs](https://example.com/docs)")).toEqual([
      { kind: "link", href: "https://example.com/docs", children: [{ kind: "text", text: "docs" }] },
    ]);
    expect(parseInlines("[x](javascript:alert(1)) javascript:alert(1)")).toEqual([
      { kind: "text", text: "[x](javascript:alert(1)) javascript:alert(1)" },
    ]);
    expect(parseInlines("_see https://example.com/x_y_")[0]).toMatchObject({ kind: "italic" });
  });

  it("reads fenced code blocks and quote lines, and keeps an unclosed fence as text", () => {
    expect(parseMarkup("look:\n```js\nconst a = *1*;\n```\n> quoted *line*\n> second\nafter")).toEqual([
      { kind: "paragraph", children: [{ kind: "text", text: "look:" }] },
      { kind: "code", text: "const a = *1*;" },
      {
        kind: "quote",
        children: [
          { kind: "text", text: "quoted " },
          { kind: "bold", children: [{ kind: "text", text: "line" }] },
          { kind: "text", text: "\nsecond" },
        ],
      },
      { kind: "paragraph", children: [{ kind: "text", text: "after" }] },
    ]);
    expect(parseMarkup("```one line```")).toEqual([{ kind: "code", text: "one line" }]);
    expect(parseMarkup("``` never closed")).toEqual([
      { kind: "paragraph", children: [{ kind: "text", text: "``` never closed" }] },
    ]);
  });

  it("keeps markup-looking HTML as plain text", () => {
    const blocks = parseMarkup("<script>alert(1)</script> <b>hi</b>");
    expect(blocks).toEqual([
      { kind: "paragraph", children: [{ kind: "text", text: "<script>alert(1)</script> <b>hi</b>" }] },
    ]);
    expect(plainText(parseMarkup("*Hi* `there` @ann"))).toBe("Hi there @ann");
  });
});

const members: Member[] = [
  { userId: "u-ann", username: "ann", displayName: "Ann Lee", role: "owner", online: true, avatarUrl: null },
  {
    userId: "u-ben",
    username: "ben.s",
    displayName: "Ben Stone",
    role: "member",
    online: false,
    avatarUrl: null,
  },
  {
    userId: "u-cat",
    username: "cat",
    displayName: "Catherine",
    role: "member",
    online: false,
    avatarUrl: null,
  },
];

describe("mentions", () => {
  it("finds @names as the server does: after a space or punctuation, a full stop after a name left out", () => {
    const known = (name: string) => ["ann", "ben.s"].includes(name);
    expect(parseInlines("hi @ann, and @ben.s. mail@ann.com @nobody", { isMentionable: known })).toEqual([
      { kind: "text", text: "hi " },
      { kind: "mention", username: "ann" },
      { kind: "text", text: ", and " },
      { kind: "mention", username: "ben.s" },
      { kind: "text", text: ". mail@ann.com @nobody" },
    ]);
  });

  it("highlights your own name and an @room that reached you more strongly than others'", () => {
    const context = { me: "u-cat", myUsername: "cat", mentions: ["u-cat"], members };
    expect(mentionKind("Cat", context)).toBe("me");
    expect(mentionKind("ann", context)).toBe("other");
    expect(mentionKind("stranger", context)).toBeNull();
    expect(mentionKind("room", context)).toBe("me");
    // An @room from someone who may not use it mentions nobody: it stays text.
    expect(mentionKind("room", { ...context, mentions: [] })).toBeNull();
  });

  it("offers members by username or display name as you type @, and @room to owners and admins", () => {
    expect(mentionQuery("hello @be", 9)).toEqual({ start: 6, query: "be" });
    expect(mentionQuery("mail@be", 7)).toBeNull();
    expect(mentionQuery("@", 1)).toEqual({ start: 0, query: "" });
    const offered = (query: string, canMentionRoom: boolean) =>
      mentionCandidates(members, query, { me: "u-ann", canMentionRoom }).map((each) => each.username);
    expect(offered("st", false)).toEqual(["ben.s"]);
    expect(offered("", true)).toEqual(["ben.s", "cat", "room"]);
    expect(offered("r", false)).toEqual([]);
  });

  it("puts the chosen name in place of what was typed, with one space after it", () => {
    expect(insertMention("hi @be there", { start: 3, query: "be" }, "ben.s")).toEqual({
      text: "hi @ben.s there",
      caret: 10,
    });
    expect(insertMention("@", { start: 0, query: "" }, "ann")).toEqual({ text: "@ann ", caret: 5 });
  });
});
